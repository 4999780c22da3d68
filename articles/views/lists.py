"""The public lists of commentaries: the home page, a series, the topics and a topic."""

from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.generic import ListView

from core import pagecache
from core.i18n import filled_languages, language_pages
from core.pagination import CountedPaginator

from .. import counts
from ..models import Article, Series, Tag


class PublishedArticleMixin:
    """Public commentaries in the page's language, with what a list shows fetched up front."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = CountedPaginator
    # Whether the list's order is total (series, number and language are unique together:
    # within one series, two pieces never tie), so that a deep page may be read from the end.
    total_order = False

    def get_queryset(self):
        return Article.objects.published().in_language().for_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        count, reversible = self.known_count(queryset), self.total_order
        return super().get_paginator(
            queryset, per_page, count=count, reversible=reversible, **kwargs
        )

    def known_count(self, queryset):
        """How many the list holds, when that is known without counting them (kept per
        change of what it lists, as the archive's counts are); None: the paginator counts."""
        return None

    def kept_count(self, queryset, name, tag):
        """The list's length, counted once while nothing changes who is in it (the tag)."""
        return counts.cached(f"size:{name}", lambda: [queryset.count()], tags=[tag])[0]

    def paginate_queryset(self, queryset, page_size):
        """Pages through ids alone, then fetches that page's rows: a deep page of a long list
        costs a walk along an index, not along the table."""
        paginator, page, ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        page.object_list = list(queryset.filter(pk__in=list(ids)))
        return paginator, page, page.object_list, is_paginated


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    paginate_by = 12

    def known_count(self, queryset):
        return self.kept_count(queryset, "home", pagecache.LISTS)


class FilledMixin(PublishedArticleMixin):
    """The page of a series or topic: a 404 in a language where it has no public commentary,
    so no reader or crawler meets an empty page; the language switch goes to the list of
    them all there, and hreflang names only the pages that exist."""

    fallback_name = "articles:home"

    def get_object(self, model, lookup):
        annotations = filled_languages(Article.objects.published(), lookup)
        return get_object_or_404(model.objects.annotate(**annotations), slug=self.kwargs["slug"])

    def paginate_queryset(self, queryset, page_size):
        # Not allow_empty = False, which asks the database once more.
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if not paginator.count and not self.useful_when_empty():
            raise Http404
        return paginator, page, object_list, is_paginated

    def useful_when_empty(self):
        return False

    def get_context_data(self, **kwargs):
        filled = {code for code, _name in settings.LANGUAGES if getattr(self.object, f"in_{code}")}
        alternates, pages = language_pages(
            filled, self.url_name, {"slug": self.object.slug}, self.fallback_name
        )
        return super().get_context_data(alternates=alternates, pages=pages, **kwargs)


class SeriesView(FilledMixin, ListView):
    template_name = "articles/series_detail.html"
    url_name = "articles:series"

    total_order = True

    def get_queryset(self):
        self.object = self.series = self.get_object(Series, "series")
        self.untranslated = self.came_from()
        return super().get_queryset().filter(series=self.series)

    def known_count(self, queryset):
        pk, language = self.series.pk, translation.get_language()
        return self.kept_count(queryset, f"series:{pk}", f"ls:{pk}:{language}")

    def useful_when_empty(self):
        # Saying where the piece is can be the whole page.
        return self.untranslated is not None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            series=self.series, untranslated=self.untranslated, **kwargs
        )

    def came_from(self):
        """The commentary a reader came from through the language switch (?from=<number>)
        when it has no version in this language, to say so: it is public in another."""
        number = self.request.GET.get("from", "")
        if not number.isdigit() or len(number) > 9:
            return None
        versions = Article.objects.published().filter(series=self.series, number=number)
        if versions.in_language().exists():
            return None
        return versions.select_related("series").first()


class TagListView(ListView):
    template_name = "articles/tag_list.html"

    def get_queryset(self):
        in_use = Article.objects.published().in_language()
        tags = Tag.objects.filter(tagged_articles__content_object__in=in_use).annotate(
            count=Count("tagged_articles")
        )
        return counts.cached("tags", lambda: sorted(tags, key=Tag.sort_key))


class TagView(FilledMixin, ListView):
    template_name = "articles/tag_detail.html"
    url_name = "articles:tag"
    fallback_name = "articles:tags"

    def get_queryset(self):
        self.object = self.tag = self.get_object(Tag, "tags")
        return super().get_queryset().filter(tags=self.tag)

    def known_count(self, queryset):
        pk, language = self.tag.pk, translation.get_language()
        return self.kept_count(queryset, f"topic:{pk}", f"lt:{pk}:{language}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
