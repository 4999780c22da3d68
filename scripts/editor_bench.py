"""The body editor's weight and start-up in the admin: the bytes of script and style it adds
to the change form (as stored and compressed), and the time from navigation to an editable
body in headless Chromium. A benchmark, not a test: the figures go in docs/editor.md.

Usage (a database of its own; it is made and dropped again):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank_bench \
      .venv/bin/python scripts/editor_bench.py [--rounds 5]
"""

import argparse
import gzip
import os
import statistics
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.test_settings")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

# What the editor adds to the change form (articles.editor.BodyEditor's media), in order.
FILES = [
    "django_prose_editor/editor.js",
    "js/body_editor.js",
    "django_prose_editor/editor.css",
    "django_prose_editor/overrides.css",
    "django_prose_editor/material-icons.css",
    "css/body_editor.css",
    "django_prose_editor/material-icons.woff2",
]
# Resolves when the body is editable; records the time since navigation began.
READY = """
new MutationObserver((records, observer) => {
  if (document.querySelector(".prose-editor .ProseMirror[contenteditable=true]")) {
    window.editorReady = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def weights():
    rows = []
    for name in FILES:
        data = Path(finders.find(name)).read_bytes()
        rows.append((name, len(data), len(gzip.compress(data, 9)), len(brotli.compress(data))))
    return rows


def start_up(rounds):
    from django.contrib.auth import get_user_model

    from articles.models import Article, Series
    from tests import chromium

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "pw")
    series = Series.objects.create(slug="speaking-out", name_en="Speaking Out", name_ja="直言")
    paragraphs = "".join(f"<p>Paragraph {n} of a long piece. " * 12 + "</p>" for n in range(60))
    article = Article.objects.create(
        series=series, number=1, language="en", title="A long piece", body=paragraphs,
        created_by=user,
    )  # fmt: skip
    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://localhost:{server.port}"
    browser = chromium.chromium()
    times = []
    try:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": READY})
        browser.get(base + "/admin/login/")
        browser.find_element("name", "username").send_keys("bench")
        browser.find_element("name", "password").send_keys("pw\n")
        browser.find_element("id", "user-tools")
        for _ in range(rounds + 1):  # the first warms the server's caches
            browser.execute_cdp_cmd("Network.clearBrowserCache", {})
            browser.get(f"{base}/admin/articles/article/{article.pk}/change/")
            for _wait in range(200):
                ready = browser.execute_script("return window.editorReady || null")
                if ready:
                    break
                browser.implicitly_wait(0.05)
            times.append(ready)
    finally:
        browser.quit()
        server.terminate()
    return times[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    total = [0, 0, 0]
    print(f"{'file':45} {'bytes':>9} {'gzip':>9} {'brotli':>9}")
    for name, raw, gzipped, brotlied in weights():
        print(f"{name:45} {raw:9,} {gzipped:9,} {brotlied:9,}")
        total = [total[0] + raw, total[1] + gzipped, total[2] + brotlied]
    print(f"{'total':45} {total[0]:9,} {total[1]:9,} {total[2]:9,}")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        times = [t for t in start_up(arguments.rounds) if t]
    finally:
        teardown_databases(old_config, verbosity=0)
    if times:
        print(
            f"editable body after {statistics.median(times):.0f} ms (median of {len(times)}, "
            f"cold browser cache, 60 paragraphs; min {min(times):.0f}, max {max(times):.0f})"
        )


if __name__ == "__main__":
    main()
