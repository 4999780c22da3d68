"""cProfile of building public pages in one process (page cache off), through Django's test
client: what dominates a commentary, the home page and a search. Prints the top functions by
cumulative and by own time.

  DATABASE_URL=postgres://... .venv/bin/python scripts/profile_pages.py [path ...]
"""

import cProfile
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.test_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per request

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402

ROUNDS = 200


def main(paths):
    client = Client()
    for path in paths:
        client.get(path)  # warm: templates compiled, cached counts made
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(ROUNDS):
            assert client.get(path).status_code == 200, path
        profile.disable()
        stats = pstats.Stats(profile)
        print(f"\n== {path}: {stats.total_tt / ROUNDS * 1000:.1f} ms a page (profiled)")
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    article = Article.objects.published().filter(language="en").first()
    main(sys.argv[1:] or [article.get_absolute_url(), "/en/", "/en/search/?q=relations"])
