"""Search and archive latency on a large generated archive (Postgres).

Fills a database of its own with generated commentaries (100,000 by default; only the
missing ones are added, so later runs start at once), then times the search page for a fixed
set of Japanese and English queries, and the archive, series and topic pages, through
Django's test client: URL routing, middleware, queries and template rendering included.
Pages are built every time (the page cache off). Prints, per kind of page, the median and
95th percentile of the whole page and of the time spent in the database, with the machine's
load average. Also times the alternative considered for Japanese, pg_trgm, on the same data.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank_bench \
      .venv/bin/python scripts/benchmark.py [--articles 100000] [--rounds 20]
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings: production settings with plain static file storage (no collectstatic).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.test_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Built pages, not page-cache hits (which run no query): what a reader gets on a miss. What
# is kept per content (the navigation, the archive's months) is found kept, as on a live site.
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # no request log line per page timed

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Byline, Series, Tag, TaggedArticle  # noqa: E402
from articles.search import reindex  # noqa: E402
from authors.models import Author  # noqa: E402
from thinktank.wsgi import settle  # noqa: E402

RANDOM = random.Random(434)
START = datetime(2006, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
BATCH = 2000

TOPICS_EN = [
    "relations", "Russia", "China", "alliance", "security", "energy", "deterrence",
    "sanctions", "constitution", "election", "economy", "trade", "missile", "navy", "strait",
    "diplomacy", "treaty", "defence", "budget", "cyber", "semiconductor", "supply", "chain",
    "islands", "summit", "nuclear", "inflation", "yen", "population",
]  # fmt: skip
SYLLABLES = [
    "ka", "ri", "to", "mo", "na", "se", "ru", "ven", "dal", "or", "im", "pre", "con", "ex",
    "ter", "sta", "pol", "ful", "men", "tion",
]  # fmt: skip
KANJI = (
    "日本国家安全保障外交政策経済貿易防衛憲法改正中国米国露台湾海峡核兵器抑止同盟条約選挙"
    "議会内閣総理大臣財政金融物価人口減少少子高齢社会技術半導体供給網情報通信電力燃料資源"
    "食料農業漁業領土主権国際関係戦略地域平和秩序軍事演習部隊装備予算制度改革課題対応検討"
)
KANA = "のはがをにでとも、。"


def english_vocabulary(size=4000):
    words = set(TOPICS_EN)
    while len(words) < size:
        words.add("".join(RANDOM.choices(SYLLABLES, k=RANDOM.randint(2, 4))))
    return sorted(words)


def japanese_vocabulary(size=3000):
    words = set()
    while len(words) < size:
        words.add("".join(RANDOM.choices(KANJI, k=RANDOM.randint(2, 4))))
    return sorted(words)


def zipf_text(vocabulary, count, joiner, weights):
    return joiner.join(RANDOM.choices(vocabulary, weights=weights, k=count))


def japanese_sentence(vocabulary, weights):
    words = RANDOM.choices(vocabulary, weights=weights, k=RANDOM.randint(4, 9))
    return "".join(word + RANDOM.choice(KANA[:7]) for word in words) + "。"


def generate(total):
    series, _ = Series.objects.get_or_create(
        slug="speaking-out", defaults={"name_ja": "今週の直言", "name_en": "Speaking Out"}
    )
    authors = [
        Author.objects.get_or_create(
            slug=f"bench-author-{n}",
            defaults={"name_en": f"Author {n}", "name_ja": f"著者{n}", "bio_en": "Fellow"},
        )[0]
        for n in range(60)
    ]
    tags = [Tag.objects.get_or_create(name=f"topic {n}", defaults={"slug": f"topic-{n}"})[0]
            for n in range(150)]  # fmt: skip
    english, japanese = english_vocabulary(), japanese_vocabulary()
    en_weights = [1 / (rank + 1) for rank in range(len(english))]
    ja_weights = [1 / (rank + 1) for rank in range(len(japanese))]
    existing = Article.objects.count()
    print(f"{existing} commentaries present, adding {max(0, total - existing)}", flush=True)
    for start in range(existing, total, BATCH):
        rows = []
        for n in range(start, min(total, start + BATCH)):
            language = "ja" if n % 2 else "en"
            published = START + timedelta(minutes=n * 97)
            if language == "en":
                title = zipf_text(english, 8, " ", en_weights).capitalize()
                lead = zipf_text(english, 25, " ", en_weights)
                paragraphs = [zipf_text(english, 60, " ", en_weights) + "." for _ in range(4)]
            else:
                title = "".join(RANDOM.choices(japanese, weights=ja_weights, k=4))
                lead = japanese_sentence(japanese, ja_weights)
                paragraphs = [
                    "".join(japanese_sentence(japanese, ja_weights) for _ in range(5))
                    for _ in range(4)
                ]
            body = "\n\n".join(paragraphs)
            rows.append(
                Article(
                    series=series,
                    number=n // 2 + 1,
                    language=language,
                    title=title,
                    lead=lead,
                    body=body,
                    body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                    status="published",
                    published_at=published,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            bylines = [Byline(article=a, author=RANDOM.choice(authors)) for a in created]
            Byline.objects.bulk_create(bylines)
            tagged = [
                TaggedArticle(content_object=a, tag=tag)
                for a in created
                for tag in RANDOM.sample(tags, 2)
            ]
            TaggedArticle.objects.bulk_create(tagged)
            reindex(a.pk for a in created)
        print(f"  {start + len(rows)} / {total}", flush=True)


class SqlClock:
    """Adds up the time spent in the database, to tell it from rendering."""

    def __init__(self):
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += (time.perf_counter() - began) * 1000


def timed(client, urls, rounds):
    """(page times, database times, this process's CPU times) in milliseconds, one each a
    request. The CPU time is what the page cost Django, whatever else the machine runs; the
    page time is the wall clock, which waits for the CPU when the machine is loaded."""
    settle()  # as a server's process does at start (thinktank/wsgi.py)
    for url in urls:  # warm caches once
        client.get(url)
    pages, database, cpu = [], [], []
    for _ in range(rounds):
        for url in urls:
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                pages.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            database.append(clock.total)
            assert response.status_code == 200, (url, response.status_code)
    return pages, database, cpu


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)]


def report(label, measured):
    pages, database, cpu = measured if isinstance(measured, tuple) else (measured, None, None)
    median, p95 = percentiles(pages)
    line = f"{label:<40} n={len(pages):<4} page {median:5.1f} p95 {p95:5.1f}"
    if database is not None:
        line += " | db {:5.1f} p95 {:5.1f} | cpu {:5.1f} p95 {:5.1f}".format(
            *percentiles(database), *percentiles(cpu)
        )
    print(f"{line} | load {os.getloadavg()[0]:4.1f}", flush=True)


def pick_queries():
    english = [
        "relations", "Russia", "security alliance", "sanctions", "deterrence",
        "constitution", '"supply chain"', "nuclear -missile", "yen inflation", "treaty",
    ]  # fmt: skip
    # Japanese: two characters from the middle of generated sentences, as readers type them.
    sample = Article.objects.filter(language="ja").order_by("pk").values_list("body", flat=True)

    japanese = []
    for body in sample[:400:40]:
        middle = len(body) // 2
        while not (body[middle] in KANJI and body[middle + 1] in KANJI):
            middle += 1
        japanese.append(body[middle : middle + 2])
    return english, japanese


def compare_trigram(japanese_queries, rounds):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_body_trgm ON articles_article "
            "USING gin (body gin_trgm_ops)"
        )
        cursor.execute("ANALYZE articles_article")
        times = []
        for _ in range(rounds):
            for query in japanese_queries:
                began = time.perf_counter()
                cursor.execute(
                    "SELECT id FROM articles_article WHERE body LIKE %s "
                    "ORDER BY published_at DESC LIMIT 20",
                    [f"%{query}%"],
                )
                cursor.fetchall()
                times.append((time.perf_counter() - began) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-trigram", action="store_true", help="skip the pg_trgm comparison")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs Postgres: set DATABASE_URL (see the docstring).")
    call_command("migrate", verbosity=0)
    generate(options.articles)
    with connection.cursor() as cursor:
        # As autovacuum would have done on a live site; fresh bulk inserts have no
        # visibility map, which makes every count visit the heap.
        for table in ("articles_article", "articles_byline", "articles_taggedarticle"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    client = Client()
    english_queries, japanese_queries = pick_queries()
    print(f"\n{Article.objects.count()} commentaries; {options.rounds} rounds; "
          f"Japanese queries: {' '.join(japanese_queries)}")  # fmt: skip
    print(
        "Pages built every time (the page cache off); counts and fragments kept as live.\n"
        "ms: page = wall clock, db = time in the database, cpu = this process's CPU; "
        "load = the 1-minute load average (2 cores here)"
    )
    english = timed(client, [f"/en/search/?q={q}" for q in english_queries], options.rounds)
    japanese = timed(client, [f"/ja/search/?q={q}" for q in japanese_queries], options.rounds)
    report("search, English queries", english)
    report("search, Japanese queries (2 characters)", japanese)
    report("search, all queries", tuple(a + b for a, b in zip(english, japanese, strict=True)))
    report("search, page 5 of English queries", timed(
        client, [f"/en/search/?q={q}&page=5" for q in english_queries[:5]], options.rounds
    ))  # fmt: skip
    years = sorted({day.year for day in Article.objects.dates("published_at", "year")})
    report("archive index", timed(client, ["/en/archive/", "/ja/archive/"], options.rounds))
    year_pages = [f"/{lang}/archive/{year}/" for year in years[::4] for lang in ("en", "ja")]
    report("archive year, first page", timed(client, year_pages, options.rounds))
    month_pages = [f"/en/archive/{year}/{month:02d}/" for year in years[::4] for month in (3, 9)]
    report("archive month, first page", timed(client, month_pages, options.rounds))
    deep = [f"{url}?page=10" for url in month_pages[:4]] + [f"{url}?page=9" for url in year_pages]
    report("archive month and year, deep pages", timed(client, deep, options.rounds))
    last_page = Article.objects.filter(language="en").count() // 20
    series = ["/en/speaking-out/", "/ja/speaking-out/"]
    report("series list, first page", timed(client, series, options.rounds))
    middle = [f"/en/speaking-out/?page={page}" for page in (last_page // 3, last_page // 2)]
    report("series list, pages a third and half in", timed(client, middle, options.rounds))
    report("series list, last page", timed(
        client, [f"/en/speaking-out/?page={last_page}"], options.rounds
    ))  # fmt: skip
    topics = [f"/{lang}/tags/topic-{n}/" for n in (1, 7, 42) for lang in ("en", "ja")]
    report("topic, first page", timed(client, topics, options.rounds))
    report("topic, last page", timed(
        client, [f"/en/tags/topic-{n}/?page=16" for n in (1, 7, 42)], options.rounds
    ))  # fmt: skip
    if not options.no_trigram:
        report(
            "pg_trgm LIKE, same Japanese queries (SQL)",
            compare_trigram(japanese_queries, options.rounds),
        )


if __name__ == "__main__":
    main()
