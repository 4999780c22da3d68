"""Time import_commentaries on a large generated archive in the old site's text format.

Writes N pages (10,000 by default: half Japanese originals, half English translations of the
same numbers, in three series, by forty authors, with sub-headings and bio lines) into a
temporary folder, creates a Postgres database of its own next to DATABASE_URL's
(<name>_importbench, dropped and made anew each run), migrates it, then times:
the first import (everything created and linked), a second run of the same pages (everything
unchanged) and a dry run. Prints pages per second and queries per page.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank \
      .venv/bin/python scripts/import_benchmark.py [--pages 10000]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RANDOM = random.Random(13)
SERIES = [("Speaking Out", "今週の直言"), ("Perspectives", "視点"), ("Reports", "報告")]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAYS_JA = "月火水木金土日"
SYLLABLES = ["ka", "ri", "to", "mo", "na", "se", "ru", "ven", "dal", "or", "im", "pre", "con"]
KANJI = "日本国家安全保障外交政策経済貿易防衛憲法改正中国米国露台湾海峡核抑止同盟条約選挙議会"
SURNAMES = "山田田中鈴木佐藤高橋伊藤渡辺中村小林加藤"


def word():
    return "".join(RANDOM.choices(SYLLABLES, k=RANDOM.randint(1, 3)))


def english_sentence():
    words = [word() for _ in range(RANDOM.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def japanese_sentence():
    parts = ["".join(RANDOM.choices(KANJI, k=RANDOM.randint(2, 4))) for _ in range(8)]
    return "の".join(parts[:4]) + "は、" + "を".join(parts[4:]) + "である。"


AUTHORS = [
    (
        f"{word().capitalize()} {word().capitalize()}",
        SURNAMES[2 * (i % 10) : 2 * (i % 10) + 2] + "".join(RANDOM.choices(KANJI, k=2)),
    )
    for i in range(40)
]


def page(number, language):
    """One page in the old site's format (see tests/pages/)."""
    series = SERIES[number % len(SERIES)]
    author_en, author_ja = AUTHORS[number % len(AUTHORS)]
    published = date(2006, 1, 1) + timedelta(days=number)
    if language == "ja":
        name, crumb, title = author_ja, series[1], f"【第{number}回】{japanese_sentence()[:30]}"
        byline = f"{name} / {published.year}年{published.month}月{published.day}日"
        byline += f"({WEEKDAYS_JA[published.weekday()]})"
        sentence, bio, extra = japanese_sentence, f"{name}　国家基本問題研究所研究員", []
        headings = ["対外関与の行方", "今後の課題"]
    else:
        name, crumb, title = author_en, series[0], f"【#{number}】{english_sentence()[:60]}"
        byline = f"{name} / {published:%Y.%m.%d} ({WEEKDAYS_EN[published.weekday()]})"
        sentence, bio = english_sentence, f"{name} is a fellow at the institute."
        extra = [f"{published - timedelta(days=1):%B} {(published - timedelta(days=1)).day}, "
                 f"{(published - timedelta(days=1)).year}", ""]  # fmt: skip
        headings = ["What comes next", "The choice ahead"]
    body = []
    for heading in ["", *headings]:
        if heading:
            body.append(heading)
        for _ in range(3):
            body.append("     " + " ".join(sentence() for _ in range(4)))
        body.append("")
    return "\n".join(
        ["Japan Institute for National Fundamentals", "", crumb, "", "  • HOME", f"  • {crumb}",
         f"  • {title}", name, "", title, "", byline, "", *extra, *body, bio]
    )  # fmt: skip


def write_pages(folder, count):
    for index in range(count):
        number, language = index // 2 + 1, ("ja", "en")[index % 2]
        (folder / f"{number:05d}_{language}.txt").write_text(page(number, language))


def fresh_database():
    """A database of the benchmark's own next to DATABASE_URL's; returns its URL."""
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{config['NAME']}_importbench"
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"],
        port=config["PORT"] or 5432, password=config["PASSWORD"] or None,
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(label, folder, pages, **options):
    from django.core.management import call_command
    from django.db import connection

    counter = Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        call_command("import_commentaries", str(folder), user="benchmark", verbosity=0, **options)
    seconds = time.perf_counter() - started
    print(
        f"{label:<28} {seconds:8.1f} s  {pages / seconds:8.1f} pages/s  "
        f"{counter.count / pages:6.1f} queries/page"
    )
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a Postgres database (the benchmark makes its own beside it).")
    os.environ["DATABASE_URL"] = fresh_database()
    # The production settings (with the database cache every save bumps), DEBUG off.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
    os.environ.setdefault("SECRET_KEY", "import-benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from translations.models import TranslationLink

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("benchmark", "", None)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_pages(Path(folder), arguments.pages)
        print(f"{arguments.pages} pages written in {time.perf_counter() - started:.1f} s")
        first = timed("first import (all created)", folder, arguments.pages)
        timed("again (all unchanged)", folder, arguments.pages)
        timed("dry run (all unchanged)", folder, arguments.pages, dry_run=True)
    articles, links = Article.objects.count(), TranslationLink.objects.count()
    searchable = Article.objects.filter(search_vector__isnull=False).count()
    print(f"{articles} commentaries, {links} translation links, {searchable} in the search index")
    print(f"10,000 pages at this rate: {first / arguments.pages * 10_000 / 60:.1f} minutes")


if __name__ == "__main__":
    main()
