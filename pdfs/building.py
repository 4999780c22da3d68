"""A commentary's PDF: its page as HTML for print (templates/pdfs/article.html), A4, in the
site's typefaces with Noto CJK for Japanese, made by WeasyPrint and kept with the media
(default_storage: S3 where configured). Only a public piece has one."""

import logging
import mimetypes
import uuid
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation

from articles.models import Article, bylines
from core import pagecache
from core.site import absolute

from .models import Pdf

logger = logging.getLogger(__name__)


def fetch_media(url, *args, **kwargs):
    """Only the site's own uploads reach a PDF, read from storage (the disk, or S3): nothing
    is fetched from the network, whatever address a body's image names."""
    # The storage's address for its names, as a page names them (relative to the site).
    base = urljoin(settings.SITE_URL + "/", default_storage.url("x")[:-1])
    name = unquote(url[len(base) :]) if url.startswith(base) else ""
    if name and ".." not in name.split("/") and default_storage.exists(name):
        from weasyprint.urls import URLFetcherResponse

        with default_storage.open(name) as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
    raise ValueError(f"not fetched for a PDF: {url}")


def render(article):
    return document(article).write_pdf()


def document(article):
    """The piece laid out on its pages (WeasyPrint's Document)."""
    from weasyprint import HTML  # half a second to import: only where a PDF is made

    page = HTML(string=html(article), base_url=settings.SITE_URL, url_fetcher=fetch_media)
    return page.render()


def html(article):
    with translation.override(article.language):
        context = {
            "article": article,
            "authors": article.ordered_authors,
            "address": absolute(article.get_absolute_url()),
        }
        return render_to_string("pdfs/article.html", context)


def public_article(article_id):
    rows = Article.objects.published().filter(pk=article_id).select_related("series")
    return rows.prefetch_related(bylines()).first()


def build(article_id):
    """Builds the PDF of the public piece's current version (once: a second run finds it
    built) and removes it from a piece no longer public. Returns what it did."""
    article = public_article(article_id)
    if article is None:
        return "removed" if remove(article_id) else "not public"
    if Pdf.objects.filter(article_id=article_id, version=article.version).exists():
        return "unchanged"
    content = render(article)
    name = default_storage.save(
        f"pdfs/{article.series.slug}-{article.number}-{article.language}-{uuid.uuid4().hex}.pdf",
        ContentFile(content),
    )
    with transaction.atomic():
        # Locked, and the piece read again: an unpublication meanwhile wins.
        Article.objects.select_for_update().filter(pk=article_id).first()
        if public_article(article_id) is None:
            transaction.on_commit(lambda: default_storage.delete(name))
            return "not public"
        old = Pdf.objects.select_for_update().filter(article_id=article_id).first()
        Pdf.objects.update_or_create(
            article_id=article_id, defaults={"file": name, "version": article.version}
        )
        if old is not None and old.file.name != name:
            transaction.on_commit(lambda: default_storage.delete(old.file.name))
    pagecache.changed(f"a{article_id}")  # its pages now link to it (and nothing else changed)
    return "built"


def remove(article_id):
    """Deletes the piece's PDF, record and file; whether there was one."""
    pdf = Pdf.objects.filter(article_id=article_id).first()
    if pdf is None:
        return False
    pdf.delete()
    transaction.on_commit(lambda: default_storage.delete(pdf.file.name))
    pagecache.changed(f"a{article_id}")
    return True


def sweep(batch=50):
    """What no write announces: a scheduled piece that came due gets its PDF, one that
    reached its end of publication loses it. At most `batch` are built a run (a first run
    over a whole archive is spread over many), newest first. Returns the ids done."""
    public = Article.objects.published()
    built = Pdf.objects.filter(article=OuterRef("pk"), version=OuterRef("version"))
    missing = public.exclude(Exists(built)).order_by("-published_at")
    stale = Pdf.objects.exclude(article__in=public).values_list("article_id", flat=True)
    done = []
    for article_id in [*stale, *missing.values_list("pk", flat=True)[:batch]]:
        try:
            build(article_id)
        except Exception:
            logger.exception("PDF of commentary %s not built", article_id)
            continue
        done.append(article_id)
    return done
