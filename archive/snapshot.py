"""An export (archive.export) read back: each record created, updated or left as it is."""

import json
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from articles.actions import records
from articles.actions.rules import NotAllowed, may_change_site, require
from articles.models import Article, Series, Tag
from authors.models import Author
from core.images import RENDITION_WIDTHS, rendition_name, validate_image
from translations.actions import TranslationError, pair
from translations.models import TranslationLink

from .export import CONTENT, FORMAT, IMAGE, REVISION, STAMPS
from .report import CREATED, FAILED, PROPOSED, UNCHANGED, UPDATED

DATES = {
    "published_at", "unpublish_at", "go_live_at", "created", "updated", "synced_at",
    "deleted_at",
}  # fmt: skip


class Bundle:
    """The lines of commentaries.jsonl and a way to read the media files beside it."""

    def __init__(self, lines, read_media):
        self.lines = lines
        self.read_media = read_media


def decoded(record):
    return {
        name: parse_datetime(value) if name in DATES and value else value
        for name, value in record.items()
    }


def safe_name(name):
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


class Restorer:
    def __init__(self, importer, name, bundle):
        self.importer, self.name, self.bundle = importer, name, bundle
        self.user = importer.user
        self.report = importer.report
        self.fresh = set()  # articles created by this run: their history is restored too
        self.users = {}
        self.written = []
        self.found = {}
        self.author_ids = None

    def run(self):
        try:
            self.restore_all()
        finally:
            for name in self.written:
                default_storage.delete(name)

    def restore_all(self):
        for number, line in enumerate(self.bundle.lines, start=1):
            if not line.strip():
                continue
            try:
                record = decoded(json.loads(line))
                kind = record["type"]
            except (ValueError, KeyError, TypeError):
                self.fail(number, _("not a record of an export"))
                continue
            if number == 1 and (kind != "export" or record.get("format") != FORMAT):
                self.fail(number, _("not an export of this system"))
                return
            handler = getattr(self, f"restore_{kind}", None)
            if handler is None:
                self.fail(number, _("unknown record type “%(type)s”") % {"type": kind})
                continue
            try:
                with transaction.atomic():
                    outcome = handler(record)
            except (DatabaseError, ValidationError, LookupError, ValueError, NotAllowed) as error:
                reason = "; ".join(error.messages) if isinstance(error, ValidationError) else error
                if isinstance(error, NotAllowed):
                    reason = str(error)
                self.fail(number, _("refused: %(reason)s") % {"reason": reason})
                continue
            if outcome and kind == "article":
                label = f"{'/'.join(map(str, self.key(record)))}"
                self.report.add(outcome[0], self.name, number, f"{label} {outcome[1]}".strip())

    def fail(self, number, reason):
        self.report.add(FAILED, self.name, number, reason)

    def key(self, record):
        return record["series"], record["number"], record["language"]

    def article(self, key):
        series, number, language = key
        found = Article.objects.filter(series__slug=series, number=number, language=language)
        if not found:
            raise LookupError(_("no commentary %(key)s") % {"key": "/".join(map(str, key))})
        return found.get()

    def known(self, model, slug):
        # Series and authors come first in an export, each committed by its own record.
        if (model, slug) not in self.found:
            self.found[model, slug] = by_slug(model, slug)
        return self.found[model, slug]

    def user_named(self, username):
        if username not in self.users:
            model = get_user_model()
            self.users[username] = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
        return self.users[username]

    def note(self, text):
        return text % {"source": self.name}

    def restore_export(self, record):
        return None

    def media(self, name):
        if not safe_name(name):
            raise ValueError(_("unsafe file name “%(name)s”") % {"name": name})
        data = self.bundle.read_media(name)
        if data is None:
            raise LookupError(_("the file “%(name)s” is missing from the export") % {"name": name})
        return data

    def stored(self, name, data):
        """Puts a file of the export into storage under its own name (for a dry run too,
        since saving reads the image's size; deleted again when the dry run ends)."""
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as file:
                if file.read() == data:
                    return
            default_storage.delete(name)
        elif self.report.dry_run:
            self.written.append(name)
        default_storage.save(name, ContentFile(data))

    def put_image(self, obj, field, name, widths=()):
        if name:
            data = self.media(name)
            validate_image(ContentFile(data, name=name))
            self.stored(name, data)
            for size in widths:
                copy = rendition_name(name, size)
                if safe_name(copy) and (smaller := self.bundle.read_media(copy)) is not None:
                    self.stored(copy, smaller)
        setattr(obj, field, name)
        # Already cleaned where it came from: kept byte for byte, not rewritten again.
        obj._stored_names = {**getattr(obj, "_stored_names", {}), field: name}

    def save_with_stamps(self, obj, record):
        obj.save()
        type(obj)._default_manager.filter(pk=obj.pk).update(
            **{stamp: record[stamp] for stamp in STAMPS if record.get(stamp)}
        )

    def upsert(self, model, record, fields):
        """Creates or updates the row with the record's slug; True if anything changed."""
        obj = model.objects.filter(slug=record["slug"]).first() or model(slug=record["slug"])
        changed = obj.pk is None or any(getattr(obj, name) != record[name] for name in fields)
        for name in fields:
            setattr(obj, name, record[name])
        return obj, changed

    def may_change(self, model):
        """Series, authors and topics: only editors make or rename them (every list shows
        them)."""
        names = model._meta.verbose_name_plural
        require(
            may_change_site(self.user, model),
            _("Only editors change %(model)s.") % {"model": names},
        )

    def restore_series(self, record):
        fields = ["name_ja", "name_en", "description_ja", "description_en"]
        series, changed = self.upsert(Series, record, fields)
        if changed:
            self.may_change(Series)
            series.full_clean()
            self.save_with_stamps(series, record)

    def restore_author(self, record):
        fields = ["name_ja", "name_en", "bio_ja", "bio_en", "is_active"]
        author, changed = self.upsert(Author, record, fields)
        new_photo = author.photo.name != record["photo"]
        if changed or new_photo:
            self.may_change(Author)
            if new_photo:
                self.put_image(author, "photo", record["photo"])
            author.full_clean(exclude=["photo"])
            self.save_with_stamps(author, record)

    def restore_tag(self, record):
        fields = ["name", "name_ja", *(["reading_ja"] if "reading_ja" in record else [])]
        tag, changed = self.upsert(Tag, record, fields)
        if changed:
            self.may_change(Tag)
            tag.save()

    def restore_article(self, record):
        series = self.known(Series, record["series"])
        authors = [self.known(Author, slug) for slug in record["authors"]]
        tags = list(Tag.objects.filter(slug__in=record["tags"]))
        values = {name: record[name] for name in [*CONTENT, *IMAGE]}
        article = (
            Article.objects.filter(
                series=series, number=record["number"], language=record["language"]
            )
            .prefetch_related("bylines", "tags")
            .first()
        )
        if article is None:
            if self.importer.as_draft:
                values["status"] = Article.Status.DRAFT
            article = Article(series=series, number=record["number"], language=record["language"])
            changed = []
            values["version"] = record["version"]
            note = self.note(_("Imported from %(source)s"))
        else:
            changed = [
                name for name, value in values.items()
                if name != "status" and getattr(article, name) != value
            ]  # fmt: skip
            if [b.author_id for b in article.bylines.all()] != [a.pk for a in authors]:
                changed.append("authors")
            if sorted(t.slug for t in article.tags.all()) != sorted(t.slug for t in tags):
                changed.append("tags")
            if article.image.name != record["image"]:
                changed.append("image")
            if not changed:
                return UNCHANGED, ""
            note = self.note(_("Re-imported from %(source)s"))
        outcome = records.restore_article(
            article, self.user, values=values, authors=authors, tags=tags,
            stamps=record, note=note, before_save=lambda a: self.place_image(a, record),
        )  # fmt: skip
        if outcome == CREATED:
            self.fresh.add(self.key(record))
        outcomes = {"created": CREATED, "updated": UPDATED, "proposed": PROPOSED}
        return outcomes[outcome], ", ".join(changed)

    def place_image(self, article, record):
        if article.image.name != record["image"]:
            self.put_image(article, "image", record["image"], RENDITION_WIDTHS)

    def restore_link(self, record):
        original = self.article(record["original"])
        translation = self.article(record["translation"])
        if TranslationLink.objects.filter(original=original, translation=translation).exists():
            return
        try:
            link = pair(original, translation, self.user)
        except TranslationError as error:
            raise ValueError(str(error)) from None
        kept = {name: record[name] for name in ["synced_at", "synced_title", "synced_lead",
                                                  "synced_body"]}  # fmt: skip
        kept.update({stamp: record[stamp] for stamp in STAMPS if record.get(stamp)})
        TranslationLink.objects.filter(pk=link.pk).update(**kept)

    def restore_revision(self, record):
        self.restore_history("revision", record, REVISION, authors=True)

    def restore_event(self, record):
        self.restore_history("event", record, ["from_status", "to_status", "comment"])

    def restore_history(self, kind, record, names, authors=False):
        if tuple(record["article"]) not in self.fresh:
            return
        fields = {name: record[name] for name in names}
        if authors:
            if self.author_ids is None:
                self.author_ids = dict(Author.objects.values_list("slug", "pk"))
            fields["authors"] = [
                self.author_ids[slug] for slug in record["authors"] if slug in self.author_ids
            ]
        records.restore_history(
            self.article(record["article"]), self.user, kind=kind, created=record["created"],
            by=self.user_named(record["user"]), fields=fields,
        )  # fmt: skip


def by_slug(model, slug):
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise LookupError(
            _("no %(model)s “%(slug)s”") % {"model": model._meta.verbose_name, "slug": slug}
        )
    return found
