"""CPU per page of importing an export bundle (archive.snapshot), under cProfile.

Builds a bundle of N commentaries (200 by default: Japanese originals and English
translations, ~10 KB bodies, every one with its own lead image and WebP copies, as the site
stores them), imports it into the database of DATABASE_URL inside a transaction that is
rolled back (media into a temporary folder), and prints CPU seconds per page and the
functions that took the most.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/thinktank \
      .venv/bin/python scripts/bundle_profile.py [--pages 200] [--top 25]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RANDOM = random.Random(19)
KANJI = "日本国家安全保障外交政策経済貿易防衛憲法改正中国米国露台湾海峡核抑止同盟条約選挙議会"
WORDS = [
    "the",
    "alliance",
    "deterrence",
    "of",
    "policy",
    "trade",
    "strait",
    "election",
    "treaty",
    "and",
    "in",
]


def body(language, paragraphs_count=12):
    if language == "ja":
        sentence = lambda: "".join(RANDOM.choices(KANJI, k=40)) + "。"  # noqa: E731
    else:
        sentence = lambda: " ".join(RANDOM.choices(WORDS, k=14)).capitalize() + "."  # noqa: E731
    paragraphs = [" ".join(sentence() for _ in range(6)) for _ in range(paragraphs_count)]
    paragraphs.insert(6, "## A sub-heading")
    return "\n\n".join(paragraphs)


def images(name):
    from PIL import Image

    from core.images import rendition_name

    picture = Image.new("RGB", (1600, 1000), tuple(RANDOM.choices(range(256), k=3)))
    files = {}
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=88)
    files[name] = buffer.getvalue()
    for width in (480, 960):
        buffer = io.BytesIO()
        picture.resize((width, width * 1000 // 1600)).save(buffer, format="WEBP", quality=80)
        files[rendition_name(name, width)] = buffer.getvalue()
    return files


def bundle(pages, paragraphs=12):
    stamps = {"created": "2020-01-01T00:00:00+00:00", "updated": "2020-01-01T00:00:00+00:00"}
    records = [
        {"type": "export", "format": "thinktank-export", "version": 1},
        {"type": "series", "slug": "speaking-out", "name_ja": "今週の直言",
         "name_en": "Speaking Out", "description_ja": "", "description_en": "", **stamps},
        {"type": "author", "slug": "kenro-nagoshi", "name_ja": "名越健郎",
         "name_en": "Kenro Nagoshi", "bio_ja": "", "bio_en": "", "is_active": True,
         "photo": "", **stamps},
        {"type": "tag", "name": "Russia", "slug": "russia", "name_ja": "ロシア"},
    ]  # fmt: skip
    media = {}
    for index in range(pages):
        number, language = 1000 + index // 2, "ja" if index % 2 == 0 else "en"
        name = f"articles/2020/01/{number}{language}.jpg"
        media.update(images(name))
        records.append(
            {
                "type": "article", "series": "speaking-out", "number": number,
                "language": language, "title": f"Commentary {number}", "slug": f"c-{number}",
                "lead": "A lead.", "body": body(language, paragraphs), "author_note": "",
                "status": "published", "published_at": "2020-01-02T00:00:00+00:00",
                "unpublish_at": None, "deleted_at": None, "authors": ["kenro-nagoshi"],
                "tags": ["russia"], "image": name, "image_alt": "A picture",
                "image_caption": "", "image_credit": "", "version": 1, **stamps,
            }
        )  # fmt: skip
    for index in range(0, pages - 1, 2):
        number = 1000 + index // 2
        records.append(
            {
                "type": "link", "original": ["speaking-out", number, "ja"],
                "translation": ["speaking-out", number, "en"], "synced_at": None,
                "synced_title": "", "synced_lead": "", "synced_body": "", **stamps,
            }
        )  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        archive.writestr("commentaries.jsonl", lines)
        for name, data in media.items():
            archive.writestr(f"media/{name}", data)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--paragraphs", type=int, default=12, help="of ~250 characters each")
    parser.add_argument("--dry-run", action="store_true")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bundle-profile-")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from archive.importer import Importer
    from archive.sources import from_upload

    data = bundle(options.pages, options.paragraphs)
    print(f"bundle: {options.pages} pages, {len(data) / 1e6:.1f} MB zipped")
    profiler = cProfile.Profile()
    with transaction.atomic():
        user = get_user_model().objects.create_superuser("bundle-profile", "", None)
        started, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        report = Importer(user=user).run(from_upload("bundle.zip", data), options.dry_run)
        profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - started
        transaction.set_rollback(True)
    print(report.summary())
    print(f"CPU {cpu:.1f} s ({cpu / options.pages * 1000:.0f} ms a page), wall {wall:.1f} s")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(options.top)


if __name__ == "__main__":
    main()
