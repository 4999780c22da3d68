"""Requests per second of the public pages under gunicorn, as ratios to a bare Django view.

Starts gunicorn (scripts/benchsite.py: the site as configured plus /bench/hello/, a bare
Django view through the same middleware, and scripts/benchwsgi.py: /bench/bare/, the same
view with no middleware at all) three times: with the page cache on ("cached"), with
it off ("uncached": each page built, with what is kept per generation of the content: the
navigation, the archive's months, a commentary's surroundings), and "cold": each page built
as on the first request for it after a change of content, only what all pages share found
kept (scripts/benchcache.py). In each run it
alternates between the bare view and each page: wrk -t1 -c16 for --seconds each, or, without
wrk, a Python load generator (16 threads, keep-alive). Each page's ratio is to the mean of the
bare views' runs just before and after it. Prints a Markdown table.

Needs a database with public content (`make bench` loads the demo content first), e.g.
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank make bench
  .venv/bin/python scripts/loadbench.py --seconds 2 --workers 2
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
HELLO = "/bench/hello/"
BARE = "/bench/bare/"  # the same view with no middleware (scripts/benchwsgi.py)


def pages():
    """[(name, language, path)] of real public pages, found in the configured database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
    os.environ.setdefault("SECRET_KEY", "load-benchmark")
    import django

    django.setup()
    from django.utils import timezone, translation

    from articles.models import Article, Tag

    found = []
    for language in ("en", "ja"):
        with translation.override(language):
            article = Article.objects.published().in_language().select_related("series").first()
            if article is None:
                sys.exit(f"No public commentary in {language}: load content first (make bench).")
            tag = Tag.objects.filter(tagged_articles__content_object=article).first()
            year = timezone.localtime(article.published_at).year
            word = "relations" if language == "en" else "安全"
            found += [
                ("commentary", language, article.get_absolute_url()),
                ("commentary in a series", language, in_a_series().get_absolute_url()),
                ("home", language, f"/{language}/"),
                ("series", language, article.series.get_absolute_url()),
                ("year archive", language, f"/{language}/archive/{year}/"),
                ("search", language, f"/{language}/search/?q={word}"),
                ("feed", language, f"/{language}/feed/"),
                ("api list", language, f"/api/v1/commentaries/?language={language}"),
                ("api detail", language, f"/api/v1/commentaries/{article.pk}/"),
            ]
            if tag is not None:
                found.insert(-4, ("topic", language, tag.get_absolute_url()))
    return [(name, language, quote(path, safe="/?=&")) for name, language, path in found]


def in_a_series():
    """A public commentary with a previous and a next piece and related pieces, as most are
    (the newest, measured as "commentary", has no next)."""
    from articles.models import Article

    for article in Article.objects.published().in_language().select_related("series"):
        if all(article.neighbours()) and article.related().exists():
            return article
    sys.exit("No commentary with neighbours and related pieces: load the demo content first.")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


MODES = ("cached", "uncached", "cold")


def start(port, workers, mode):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchsite",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-benchmark"),
        "PAGE_CACHE_SECONDS": "3600" if mode == "cached" else "0",
        "API_THROTTLE_RATE": "100000000/second",  # measured, not refused
        "BENCH_COLD": "1" if mode == "cold" else "",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "benchwsgi", "--preload"]
    command += ["--pythonpath", f"{ROOT / 'scripts'},{ROOT}", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urlopen(f"http://127.0.0.1:{port}{HELLO}", timeout=10).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def wrk(url, seconds):
    output = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def python_load(url, seconds, connections=16):
    host, path = re.match(r"http://([^/]+)(/.*)", url).groups()
    done = []
    stop = time.monotonic() + seconds

    def client():
        count, connection = 0, http.client.HTTPConnection(host, timeout=30)
        while time.monotonic() < stop:
            connection.request("GET", path)
            connection.getresponse().read()
            count += 1
        done.append(count)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def load_generator():
    if shutil.which("wrk"):
        return wrk, "wrk -t1 -c16"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True)
        if shutil.which("wrk"):
            return wrk, "wrk -t1 -c16"
    print("wrk not found (apt-get install wrk): using a Python load generator", file=sys.stderr)
    return python_load, "Python, 16 keep-alive connections"


def run(found, workers, seconds, mode, measure, rounds=1):
    """{(name, language): (req/s, ratio to the bare view, bare req/s, ratio to the bare view
    with no middleware, its req/s, the machine's load average)} for one server run: with
    several rounds over the pages, the round of the median ratio to the bare view with no
    middleware (the one issue 21 measures against)."""
    port = free_port()
    server = start(port, workers, mode)
    base = f"http://127.0.0.1:{port}"
    try:
        samples = {}
        before = measure(base + HELLO, seconds), measure(base + BARE, seconds)
        for _round in range(rounds):
            for name, language, path in found:
                urlopen(base + path, timeout=30).close()  # built once, as after any change
                rate = measure(base + path, seconds)
                after = measure(base + HELLO, seconds), measure(base + BARE, seconds)
                hello, bare = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
                samples.setdefault((name, language), []).append(
                    (rate, rate / hello, hello, rate / bare, bare, os.getloadavg()[0])
                )
                before = after
        return {
            page: sorted(values, key=lambda value: value[3])[len(values) // 2]
            for page, values in samples.items()
        }
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="per measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--pages", nargs="+", metavar="NAME", help="only these pages (e.g. commentary search)"
    )
    parser.add_argument("--modes", nargs="+", choices=MODES, default=MODES, help="which runs")
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds over the pages; the median is shown"
    )
    options = parser.parse_args()
    found = [page for page in pages() if not options.pages or page[0] in options.pages]
    measure, method = load_generator()
    runs = {
        mode: run(found, options.workers, options.seconds, mode, measure, options.rounds)
        for mode in options.modes
    }
    hello = [found[2] for results in runs.values() for found in results.values()]
    bare = [found[4] for results in runs.values() for found in results.values()]
    load = [found[5] for results in runs.values() for found in results.values()]
    print(
        f"\n{method}, {options.seconds} s per measurement, median of {options.rounds} "
        f"round(s), gunicorn {options.workers} sync workers, {os.cpu_count()} CPUs; bare "
        f"view {min(hello):,.0f}–{max(hello):,.0f} req/s through the site's middleware, "
        f"{min(bare):,.0f}–{max(bare):,.0f} req/s with none; load average (1 min) "
        f"{min(load):.1f}–{max(load):.1f}\n"
    )
    heads = "".join(
        f" {mode} req/s | × bare view | × bare, no middleware |" for mode in options.modes
    )
    print(f"| page | language |{heads} load |")
    print("| --- | --- |" + " --- | --- | --- |" * len(options.modes) + " --- |")
    for name, language, _path in found:
        cells = "".join(
            f" {runs[mode][name, language][0]:,.0f} | {runs[mode][name, language][1]:.3f} | "
            f"{runs[mode][name, language][3]:.3f} |"
            for mode in options.modes
        )
        loads = "–".join(f"{runs[mode][name, language][5]:.1f}" for mode in options.modes)
        print(f"| {name} | {language} |{cells} {loads} |")


if __name__ == "__main__":
    main()
