"""Screenshots of the reading site on desktop and phone widths, taken in headless Chromium.

Serves the demo site on a free local port (demo content is loaded into an SQLite file of its
own unless DATABASE_URL is set), then writes PNGs to screenshots/. Look at them.
Usage: .venv/bin/python scripts/screenshots.py [path ...]
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chromium import chromium  # noqa: E402

OUT = ROOT / "screenshots"
PAGES = ["/en/", "/ja/", "/en/speaking-out/101/", "/ja/speaking-out/101/", "/en/speaking-out/",
         "/ja/speaking-out/", "/en/archive/", "/ja/archive/", "/en/search/?q=security",
         "/ja/search/?q=安全保障", "/en/authors/haruka-mori/", "/en/tags/"]  # fmt: skip
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(paths):
    env = {**os.environ, "DEBUG": "1"}
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/screens.sqlite3"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/en/")
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(exist_ok=True)
        for label, (width, height) in WIDTHS.items():
            driver = chromium(width, height)
            try:
                for path in paths:
                    # An exact viewport (a window's size includes no toolbars in headless
                    # mode, but is not the viewport either), then as tall as the page.
                    metrics = {"width": width, "height": height, "deviceScaleFactor": 1,
                               "mobile": label == "phone"}  # fmt: skip
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                    driver.get(base + path)
                    full = driver.execute_script("return document.documentElement.scrollHeight")
                    metrics["height"] = max(height, min(full, 4000))
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                    name = re.sub(r"[/?=&]+", "_", path.strip("/")) or "root"
                    target = OUT / f"{label}-{name}.png"
                    driver.save_screenshot(str(target))
                    print(target.relative_to(ROOT))
            finally:
                driver.quit()
    finally:
        server.terminate()


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES)
