"""A page-cache hit against the bare Django view with no middleware, in one process: the WSGI
application gunicorn runs (scripts/benchwsgi.py), called directly, with the page cache on
and the configured cache (REDIS_URL). Prints the microseconds of each, their ratio, and the
top functions of a hit by own time (cProfile).

  DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/14 \\
    .venv/bin/python scripts/profile_hit.py [path ...] [--rounds N] [--no-profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]
os.environ.update(DJANGO_SETTINGS_MODULE="benchsite", DEBUG="0", PAGE_CACHE_SECONDS="3600")
os.environ.setdefault("SECRET_KEY", "load-benchmark")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # as scripts/loadbench.py runs gunicorn

import benchwsgi  # noqa: E402


def environ(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        # wrk sends none (scripts/loadbench.py); browsers "gzip, br" (--accept-encoding)
        "HTTP_ACCEPT_ENCODING": os.environ.get("BENCH_ACCEPT_ENCODING", ""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(path):
    """One request through the application; its status and headers."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=dict(headers))

    body = benchwsgi.application(environ(path), start_response)
    b"".join(body)
    getattr(body, "close", lambda: None)()
    return seen


def per_request(path, rounds):
    """The median over five batches of microseconds per request."""
    batches = []
    for _batch in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            call(path)
        batches.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(batches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--accept-encoding", default="", help='e.g. "gzip, br", as browsers')
    options = parser.parse_args()
    os.environ["BENCH_ACCEPT_ENCODING"] = options.accept_encoding
    from articles.models import Article

    article = Article.objects.published().filter(language="en").first()
    paths = options.paths or [article.get_absolute_url(), "/en/"]
    for path in paths:
        call(path)  # built and kept
        headers = call(path)["headers"]
        assert headers.get("X-Cache") is None and "Set-Cookie" not in headers, headers
        call(path)
        bare = per_request(benchwsgi.BARE, options.rounds)
        hit = per_request(path, options.rounds)
        bare = (bare + per_request(benchwsgi.BARE, options.rounds)) / 2
        print(f"{path}: hit {hit:.0f} µs, bare view (no middleware) {bare:.0f} µs: ", end="")
        print(f"the hit at {bare / hit:.2f}× the bare view's rate (load {os.getloadavg()[0]:.1f})")
        if not options.no_profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(options.rounds):
                call(path)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
