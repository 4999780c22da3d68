"""Latency of the public pages under load while content changes, and through outages.

Starts a Redis and a PgBouncer (transaction mode) of its own and gunicorn (the page cache on
that Redis, Postgres through that PgBouncer), warms a mix of pages (homes, lists, archives,
topics, commentaries), then loads them with --connections keep-alive connections for
--seconds in each mode:

- quiet: nothing changes (the yardstick);
- publish: a commentary is saved (its title changed, as an edit) every --every seconds, by
  this process, as the admin would: its pages, its lists and the home are out of date;
- uncached: the page cache off (the yardstick for "redis-down");
- redis-down: Redis stopped for the whole run;
- database-down: PgBouncer stopped (the database unreachable for the app) for --outage
  seconds from the second second on.

Prints p50/p99/max latency, errors (non-200), timeouts and throughput per mode, and for
"publish" the p99 of the 3 s after each change. Needs DATABASE_URL (Postgres) with public
content (`make bench` loads the demo content), redis-server and pgbouncer:
  .venv/bin/python scripts/publishbench.py --seconds 20 --modes quiet publish
"""

import argparse
import http.client
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODES = ("quiet", "publish", "uncached", "redis-down", "database-down")


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, process, what):
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"{what} did not start")


class Redis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(self.port, self.process, "redis-server")

    def stop(self):
        self.process.terminate()
        self.process.wait()


class PgBouncer:
    def __init__(self, db):
        self.folder = Path(tempfile.mkdtemp(prefix="bench-pgbouncer-"))
        self.folder.chmod(0o777)
        self.port = free_port()
        (self.folder / "users.txt").write_text(f'"{db["USER"]}" ""\n')
        (self.folder / "pgbouncer.ini").write_text(
            f"[databases]\n{db['NAME']} = host={db['HOST'] or '127.0.0.1'} "
            f"port={db['PORT'] or 5432}\n[pgbouncer]\nlisten_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\nunix_socket_dir =\nauth_type = trust\n"
            f"auth_file = {self.folder}/users.txt\npool_mode = transaction\n"
            "default_pool_size = 10\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        self.url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@127.0.0.1:{self.port}/{db['NAME']}"
        )
        self.start()

    def start(self):
        command = ["pgbouncer", "-q", str(self.folder / "pgbouncer.ini")]
        if os.geteuid() == 0:
            command[1:1] = ["-u", "postgres"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(self.port, self.process, "pgbouncer")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def gunicorn(env, options, cached):
    port = free_port()
    env = {**env, "PAGE_CACHE_SECONDS": "3600" if cached else "0"}
    command = [sys.executable, "-m", "gunicorn", "thinktank.wsgi", "--preload"]
    command += ["--workers", str(options.workers), "--threads", str(options.threads)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    wait_for(port, process, "gunicorn")
    return port, process


def load(port, paths, seconds, connections, timeout=5.0):
    """[(start, latency, status)] of every request; status 0 is a timeout or a broken
    connection."""
    results, stop = [], time.monotonic() + seconds

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        index = offset
        while time.monotonic() < stop:
            path = paths[index % len(paths)]
            index += 1
            began = time.monotonic()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            results.append((began, time.monotonic() - began, status))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


def summary(results, seconds):
    latencies = [latency for _start, latency, _status in results]
    return {
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "max": max(latencies, default=0) * 1000,
        "errors": sum(1 for *_rest, status in results if status not in (0, 200)),
        "timeouts": sum(1 for *_rest, status in results if status == 0),
        "rate": len(results) / seconds,
    }


def editor(every, stop, changes):
    """Saves a public commentary every `every` seconds, as an edit in the admin would."""
    from articles.models import Article

    pieces = list(Article.objects.published().values_list("pk", flat=True)[:40])
    while not stop.wait(every):
        article = Article.objects.get(pk=random.choice(pieces))
        article.title = article.title.rstrip(" *") + (" *" if time.time() % 2 < 1 else "")
        article.save()
        changes.append(time.monotonic())


def run(mode, options, env, redis, bouncer, paths):
    port, server = gunicorn(env, options, cached=mode != "uncached")
    try:
        paths = [path for path in paths if load_once(port, path) == 200]  # built once
        changes, stop = [], threading.Event()
        background = None
        if mode == "publish":
            background = threading.Thread(target=editor, args=(options.every, stop, changes))
        elif mode == "database-down":
            background = threading.Thread(target=outage, args=(bouncer, options.outage, stop))
        if mode == "redis-down":
            redis.stop()
        if background:
            background.start()
        results = load(port, paths, options.seconds, options.connections)
        stop.set()
        if background:
            background.join()
        if mode == "redis-down":
            redis.start()
        found = summary(results, options.seconds)
        after = [
            latency
            for began, latency, _status in results
            if any(0 <= began - change < 3 for change in changes)
        ]
        found["after"] = percentile(after, 0.99) * 1000 if after else None
        found["changes"] = len(changes)
        found["pages"] = len(paths)
        return found
    finally:
        server.terminate()
        server.wait()


def outage(bouncer, seconds, stop):
    if stop.wait(1):
        return
    bouncer.stop()
    stop.wait(seconds)
    bouncer.start()


def load_once(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def mix():
    """About 40 public pages: homes, lists, archives, topics, authors and commentaries."""
    from django.utils import translation

    from articles.models import Article, Tag

    paths = []
    for language in ("en", "ja"):
        with translation.override(language):
            paths += [f"/{language}/", f"/{language}/archive/", f"/{language}/tags/"]
            pieces = Article.objects.published().filter(language=language).select_related("series")
            for article in pieces.order_by("-published_at")[:14]:
                paths.append(article.get_absolute_url())
            for tag in Tag.objects.filter(tagged_articles__content_object__language=language)[:2]:
                paths.append(tag.get_absolute_url())
    return list(dict.fromkeys(paths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--every", type=float, default=4.0, help="seconds between changes")
    parser.add_argument("--outage", type=float, default=30.0, help="database-down seconds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=MODES)
    options = parser.parse_args()
    if options.outage >= options.seconds - 1 and "database-down" in options.modes:
        options.seconds = int(options.outage) + 5
    for tool in ("redis-server", "pgbouncer"):
        if not shutil.which(tool):
            print(f"publishbench skipped: needs {tool} (apt-get install {tool})", file=sys.stderr)
            return

    redis = Redis()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ.update(REDIS_URL=redis.url, CACHE_KEY_PREFIX=prefix, DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
    os.environ.setdefault("SECRET_KEY", "publish-benchmark")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        redis.stop()
        print("publishbench skipped: needs DATABASE_URL (Postgres)", file=sys.stderr)
        return
    bouncer = PgBouncer(connection.settings_dict)
    env = {
        **os.environ,
        "DATABASE_URL": bouncer.url,
        "DATABASE_POOLER": "pgbouncer",
        "DATABASE_REPLICA_URLS": "",
        "LOG_LEVEL": "WARNING",
    }
    paths = mix()
    try:
        results = {mode: run(mode, options, env, redis, bouncer, paths) for mode in options.modes}
    finally:
        redis.stop()
        bouncer.stop()
    print(
        f"\n{options.connections} keep-alive connections over {len(paths)} pages (those "
        "answering 200), "
        f"{options.seconds} s per mode, gunicorn {options.workers} workers × "
        f"{options.threads} threads, {os.cpu_count()} CPUs\n"
    )
    print(
        "| mode | req/s | p50 ms | p99 ms | max ms | errors | timeouts | p99 3 s after a change |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for mode, found in results.items():
        after = f"{found['after']:.0f} ({found['changes']} changes)" if found["after"] else "–"
        print(
            f"| {mode} | {found['rate']:,.0f} | {found['p50']:.1f} | {found['p99']:.0f} | "
            f"{found['max']:.0f} | {found['errors']} | {found['timeouts']} | {after} |"
        )


if __name__ == "__main__":
    main()
