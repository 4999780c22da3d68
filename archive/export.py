"""Everything a site needs to move, as JSON Lines (commentaries.jsonl) plus its media files.

One record a line, each with a "type": series, author, tag, article, link, then, if asked,
revision and event. Records name each other by slug and by (series, number, language), never
by database id, so an export imports into any database. Files keep their stored names, so
the pages that show them are the same after an import.

An export is one snapshot: on Postgres every query of it runs in one REPEATABLE READ, READ
ONLY transaction, so pieces, links and files saved while it runs are all in it or all not
(never a link to a commentary it does not hold).
"""

import json
import zipfile
from collections import Counter
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, Byline, Revision, Series, Tag, WorkflowEvent
from authors.models import Author
from core.images import RENDITION_WIDTHS, rendition_name
from translations.models import TranslationLink

FORMAT = "thinktank-export"
VERSION = 1
RECORDS = "commentaries.jsonl"
MEDIA = "media"
CONTENT = [
    "title", "slug", "lead", "body", "author_note",
    "status", "published_at", "unpublish_at", "deleted_at",
]  # fmt: skip
IMAGE = ["image_alt", "image_caption", "image_credit"]
STAMPS = ["created", "updated"]
REVISION = [
    "title", "lead", "body", "author_note", "tags", "status", "published_at",
    "pending", "submitted", "go_live_at", "note", "applied",
]  # fmt: skip


class Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Whole microseconds: DjangoJSONEncoder keeps milliseconds, and pages print more.
        return o.isoformat() if isinstance(o, datetime) else super().default(o)


def key(article):
    return [article.series.slug, article.number, article.language]


def values(obj, names):
    return {name: getattr(obj, name) for name in names}


def records(revisions=False):
    yield {"type": "export", "format": FORMAT, "version": VERSION, "exported": timezone.now()}
    for series in Series.objects.order_by("pk"):
        fields = ["slug", "name_ja", "name_en", "description_ja", "description_en", *STAMPS]
        yield {"type": "series", **values(series, fields)}
    for author in Author.objects.order_by("pk"):
        fields = ["slug", "name_ja", "name_en", "bio_ja", "bio_en", "is_active", *STAMPS]
        yield {"type": "author", **values(author, fields), "photo": author.photo.name}
    for tag in Tag.objects.order_by("pk"):
        yield {"type": "tag", **values(tag, ["name", "slug", "name_ja", "reading_ja"])}
    articles = Article.objects.order_by("pk").select_related("series").defer("search_vector")
    articles = articles.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
    )
    for article in articles.iterator(chunk_size=500):
        yield {
            "type": "article",
            "series": article.series.slug,
            "number": article.number,
            "language": article.language,
            **values(article, CONTENT),
            "authors": [byline.author.slug for byline in article.bylines.all()],
            "tags": sorted(tag.slug for tag in article.tags.all()),
            "image": article.image.name,
            **values(article, IMAGE),
            "version": article.version,
            **values(article, STAMPS),
        }
    links = TranslationLink.objects.order_by("pk").select_related(
        "original__series", "translation__series"
    )
    for link in links:
        yield {
            "type": "link",
            "original": key(link.original),
            "translation": key(link.translation),
            **values(link, ["synced_at", "synced_title", "synced_lead", "synced_body", *STAMPS]),
        }
    yield from history(everything=revisions)


def history(everything):
    """Revisions and workflow steps; without `everything`, only the pending changes to live
    pieces, which are work not yet published rather than history."""
    slugs = dict(Author.objects.values_list("pk", "slug"))
    kept = Revision.objects.all() if everything else Revision.objects.pending()
    for revision in kept.order_by("pk").select_related("article__series", "user"):
        yield {
            "type": "revision",
            "article": key(revision.article),
            **values(revision, [*REVISION, "created"]),
            "authors": [slugs[pk] for pk in revision.authors if pk in slugs],
            "user": revision.user.get_username() if revision.user else "",
        }
    events = WorkflowEvent.objects.all() if everything else WorkflowEvent.objects.none()
    for event in events.order_by("pk").select_related("article__series", "user"):
        yield {
            "type": "event",
            "article": key(event.article),
            **values(event, ["from_status", "to_status", "comment", "created"]),
            "user": event.user.get_username() if event.user else "",
        }


def media_names():
    """The stored files the export carries: author photos, lead images and their copies."""
    names = list(Author.objects.exclude(photo="").values_list("photo", flat=True))
    for name, width in Article.objects.exclude(image="").values_list("image", "image_width"):
        names.append(name)
        names += [rendition_name(name, size) for size in RENDITION_WIDTHS if size < (width or 0)]
    return [name for name in names if default_storage.exists(name)]


@contextmanager
def snapshot():
    """One transaction that sees the database as it was when it began (Postgres: REPEATABLE
    READ, READ ONLY). Within a transaction already, that one (a test's)."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def write(target, revisions=False):
    """Writes the export to `target`, a folder or a path ending in .zip; returns the counts."""
    with snapshot():
        return write_snapshot(Path(target), revisions)


def write_snapshot(target, revisions):
    names = media_names()
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open(RECORDS, "w") as file:
                counted = write_records(file, revisions)
            for name in names:
                with default_storage.open(name, "rb") as file:
                    archive.writestr(f"{MEDIA}/{name}", file.read())
    else:
        (target / MEDIA).mkdir(parents=True, exist_ok=True)
        with (target / RECORDS).open("wb") as file:
            counted = write_records(file, revisions)
        for name in names:
            path = target / MEDIA / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as file:
                path.write_bytes(file.read())
    return {**counted, "file": len(names)}


def write_records(file, revisions):
    """One JSON line a record, written as they come: a large archive is never all in memory."""
    counted = Counter()
    for item in records(revisions):
        line = json.dumps(item, cls=Encoder, ensure_ascii=False) + "\n"
        file.write(line.encode("utf-8"))
        counted[item["type"]] += 1
    return counted
