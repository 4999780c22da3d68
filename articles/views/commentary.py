"""A commentary's page, the other pieces it shows (its surroundings) and its previews."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from core import pagecache

from .. import counts
from ..actions.rules import visible
from ..models import (
    CARD_FIELDS,
    Article,
    PreviewLink,
    TaggedArticle,
    bylines,
    public_other_versions,
    show_pending,
)
from .lists import PublishedArticleMixin

TOPICS = Prefetch("tagged_items", queryset=TaggedArticle.objects.select_related("tag"))


# What a commentary's page shows of its row: a card's fields and the body as HTML, not its
# Markdown source, search vector or the editors' bookkeeping.
PAGE_FIELDS = [*CARD_FIELDS, "body_html", "author_note", "updated", "image_caption", "image_credit"]


class ArticleDetailView(PublishedArticleMixin, DetailView):
    def get_queryset(self):
        # Without bylines: they are fetched with the related pieces' (get_context_data).
        return (
            Article.objects.published()
            .in_language()
            .select_related("series")
            .only(*PAGE_FIELDS)
            .prefetch_related(TOPICS)
        )

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.get_queryset(), series__slug=self.kwargs["series"], number=self.kwargs["number"]
        )

    # Public pages keep what they show of other pieces per generation of the content, as
    # the archive's counts are (articles.counts); previews work it out afresh.
    keeps_surroundings = True

    def get(self, request, *args, **kwargs):
        # Before the piece's row is read: the surroundings are worked out from it (its number,
        # its topics), so they are kept under the generation it belongs to, never a later one.
        self.generation = counts.version()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        article = self.object
        if self.keeps_surroundings:
            pagecache.precise()  # it changes with the lists it is in, not with every list
            key, compute = f"around:{article.pk}", lambda: surroundings(article)
            lists = [f"a{article.pk}", f"ls:{article.series_id}:{article.language}"]
            lists += [f"lt:{item.tag_id}:{article.language}" for item in article.tagged_items.all()]
            around = counts.cached(key, compute, current=self.generation, tags=lists)
        else:
            around = surroundings(article)
        previous, following, related, article.public_other_versions = around
        # The authors of the piece and of its related pieces, in one query.
        prefetch_related_objects([article, *related], bylines())
        # Its authors and topics worked out once, for the page and for its metadata.
        return super().get_context_data(
            authors=article.ordered_authors,
            topics=article.topics,
            previous=previous,
            next=following,
            related=related,
            **kwargs,
        )


def surroundings(article):
    """[previous, next, related, other versions]: the other public pieces a commentary's
    page shows (the previous and next in its series and language, the related pieces, its
    versions in other languages), without their authors."""
    previous, following = article.neighbours()
    related = list(article.related())
    return [previous, following, related, public_other_versions(article)]


class PreviewMixin:
    """A commentary whatever its status, as the public page will show it, marked preview,
    and never kept by a cache."""

    keeps_surroundings = False  # nothing a preview works out is kept for the public

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.untrashed().with_topics()

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class ArticlePreviewView(PermissionRequiredMixin, PreviewMixin, ArticleDetailView):
    """Staff see any commentary, draft or scheduled, through "View on site" in the admin."""

    permission_required = "articles.change_article"

    def get_queryset(self):
        return visible(self.request.user, super().get_queryset())

    def get_object(self, queryset=None):
        article = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if "pending" in self.request.GET:  # the live piece as its pending change would make it
            show_pending(article)
        return article


class SharedPreviewView(PreviewMixin, ArticleDetailView):
    """One commentary for whoever holds a valid shared preview link, and nothing else."""

    def get_object(self, queryset=None):
        link = get_object_or_404(PreviewLink, token=self.kwargs["token"])
        if not link.is_valid():
            raise Http404
        return get_object_or_404(self.get_queryset(), pk=link.article_id)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
