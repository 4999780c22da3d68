"""The read-only content API (docs/api.md): viewsets over the public querysets, the same
rule every page uses (Article.objects.published()). Series, authors and topics are listed
where at least one public commentary names them."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.http import Http404
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound

from articles.models import Article, Series, Tag
from authors.models import Author
from core.i18n import filled_languages
from pdfs.models import with_pdf
from translations.models import TranslationLink, out_of_step

from . import serializers
from .filters import CommentaryFilter
from .policies import Pagination

# What a commentary shows of its row (the Markdown source and search vector stay behind).
COMMENTARY_FIELDS = [
    *("id", "series", "number", "language", "title", "lead", "body_html", "author_note"),
    *("published_at", "image", "image_alt", "image_width", "image_height"),
    *("image_caption", "image_credit", "series__slug", "series__name_ja", "series__name_en"),
]
# What the other version of a pair shows: its address, and whether the public may read it.
OTHER_FIELDS = ["number", "language", "status", "published_at", "unpublish_at", "deleted_at"]


def public():
    return Article.objects.published()


def commentaries():
    """Public commentaries with what the API shows of them (webhooks send the same)."""
    return (
        with_pdf(public())
        .select_related("series")
        .only(*COMMENTARY_FIELDS)
        .prefetch_related(
            Article.objects.bylines(),
            Prefetch("tagged_items", queryset=Article.objects.tagged_rows()),
        )
    )


def attach_translations(articles):
    """Sets `public_translation` (the other version, if the public may read it, carrying
    is_original) and `translation_stale` on each article: one query for a page of them."""
    articles = list(articles)
    pks = [article.pk for article in articles]
    stale = ExpressionWrapper(out_of_step(), output_field=BooleanField())
    links = (
        TranslationLink.objects.filter(Q(original__in=pks) | Q(translation__in=pks))
        .annotate(stale_now=stale)
        .select_related("original__series", "translation__series")
        .only(
            "original_id",
            "translation_id",
            *(f"{side}__{field}" for side in ("original", "translation") for field in OTHER_FIELDS),
            "original__series__slug",
            "translation__series__slug",
        )
    )
    by_article = {}
    for link in links:
        by_article[link.original_id] = (link.translation, False, link.stale_now)
        by_article[link.translation_id] = (link.original, True, link.stale_now)
    for article in articles:
        other, is_original, stale = by_article.get(article.pk, (None, False, False))
        if other is not None and other.is_published():
            other.is_original = is_original
            article.public_translation, article.translation_stale = other, stale
        else:
            article.public_translation, article.translation_stale = None, False
    return articles


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    def get_object(self):
        # Not Django's "No Article matches the given query.": DRF's own, translated.
        try:
            return super().get_object()
        except Http404 as missing:
            raise NotFound from missing


class CommentaryViewSet(ReadOnly):
    """Public commentaries, newest first."""

    serializer_class = serializers.CommentarySerializer
    filterset_class = CommentaryFilter
    lookup_value_regex = "[^/]+"  # "0.5" or "x" is DRF's 404, in JSON

    def get_queryset(self):
        return commentaries()

    def paginate_queryset(self, queryset):
        return attach_translations(super().paginate_queryset(queryset))

    def get_object(self):
        return attach_translations([super().get_object()])[0]


def shown(queryset, lookup):
    """The rows that at least one public commentary names (through `lookup`), annotated with
    the languages their pages exist in."""
    annotations = filled_languages(public(), lookup)
    named = public().filter(**{lookup: OuterRef("pk")})
    return queryset.annotate(**annotations).filter(Exists(named))


class SlugPagination(Pagination):
    ordering = "slug"


class BySlug(ReadOnly):
    """Series, authors and topics: found by slug, listed in its order."""

    pagination_class = SlugPagination
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


class SeriesViewSet(BySlug):
    serializer_class = serializers.SeriesSerializer

    def get_queryset(self):
        return shown(Series.objects.all(), "series")


class AuthorViewSet(BySlug):
    serializer_class = serializers.AuthorSerializer

    def get_queryset(self):
        return shown(Author.objects.all(), "authors")


class TopicViewSet(BySlug):
    serializer_class = serializers.TopicSerializer

    def get_queryset(self):
        return shown(Tag.objects.all(), "tags")


class DocsView(TemplateView):
    """Swagger UI from the site's own static files, started by a script file of the site's
    (static/api/docs.js): the sidecar's template puts an inline style and script in the page,
    which the Content-Security-Policy refuses."""

    template_name = "api/docs.html"


@extend_schema(exclude=True)
@api_view()
def not_found(request, path=""):
    """Any other address under /api/v1/: a 404 in JSON, as the API's own."""
    raise NotFound
