from datetime import datetime

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.db.models import Count, Max, Min
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, MonthArchiveView, YearArchiveView

from . import counts, workflow
from .forms import SearchForm
from .models import Article, PreviewLink, Series, Tag
from .search import SEARCH_LIMIT, excerpt, highlight_pattern, marked, search


class PublishedArticleMixin:
    """Public commentaries in the page's language, with what a list shows fetched up front."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().in_language().for_listing()

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


class SeriesView(PublishedArticleMixin, ListView):
    template_name = "articles/series_detail.html"

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        return super().get_queryset().filter(series=self.series)

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


class ArticleDetailView(PublishedArticleMixin, DetailView):
    def get_queryset(self):
        return Article.objects.published().in_language().with_topics()

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.get_queryset(), series__slug=self.kwargs["series"], number=self.kwargs["number"]
        )

    def get_context_data(self, **kwargs):
        previous, following = self.object.neighbours()
        return super().get_context_data(
            previous=previous, next=following, related=self.object.related(), **kwargs
        )


class PreviewMixin:
    """A commentary whatever its status, as the public page will show it, marked preview,
    and never kept by a cache."""

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
        return workflow.visible(self.request.user, super().get_queryset())

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


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


class TagListView(ListView):
    template_name = "articles/tag_list.html"

    def get_queryset(self):
        in_use = Article.objects.published().in_language()
        tags = (
            Tag.objects.filter(tagged_articles__content_object__in=in_use)
            .annotate(count=Count("tagged_articles"))
            .order_by("-count", "name")
        )
        return counts.cached("tags", lambda: tags)


class TagView(PublishedArticleMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveIndexView(ListView):
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        years = (
            Article.objects.published()
            .in_language()
            .annotate(year=ExtractYear("published_at"))
            .values("year")
            .annotate(count=Count("*"))  # COUNT(*) lets Postgres read the index alone
            .order_by("-year")
        )
        return counts.cached("years", lambda: years)


class ArchiveMixin(PublishedArticleMixin):
    """Year and month archives. Impossible or empty periods are 404s, so the language switch
    goes to the same period only where the other language has commentaries in it."""

    date_field = "published_at"
    make_object_list = True
    month_format = "%m"

    def get_context_data(self, **kwargs):
        return super().get_context_data(alternates=self.alternates(), **kwargs)

    def in_period(self):
        since, until = self.period()
        return Article.objects.published().filter(published_at__gte=since, published_at__lt=until)

    def alternates(self):
        filled = set(self.in_period().order_by().values_list("language", flat=True).distinct())
        alternates = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if language in filled:
                    url = reverse(self.url_name, kwargs=self.kwargs)
                else:
                    url = reverse("articles:archive")
            alternates.append((language, url))
        return alternates


def month_start(year, month):
    return datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


class YearView(ArchiveMixin, YearArchiveView):
    template_name = "articles/article_archive_year.html"
    url_name = "articles:archive-year"

    def period(self):
        year = int(self.get_year())
        return month_start(year, 1), month_start(year + 1, 1)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The months of the year with their counts, instead of bare dates.
        months = (
            self.in_period()
            .in_language()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("*"))
            .order_by("month")
        )
        return counts.cached(f"months-{self.get_year()}", lambda: months)


class MonthView(ArchiveMixin, MonthArchiveView):
    template_name = "articles/article_archive_month.html"
    url_name = "articles:archive-month"

    def period(self):
        year, month = int(self.get_year()), int(self.get_month())
        return month_start(year, month), month_start(year + month // 12, month % 12 + 1)


class SearchView(ListView):
    template_name = "articles/search.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        data = self.request.GET.copy() if self.request.GET else None
        if data is not None:
            data.setdefault("language", translation.get_language())
        self.form = SearchForm(
            data,
            initial={"language": translation.get_language()},
            years=self.years(),
        )
        self.query = ""
        if not self.form.is_bound:
            return Article.objects.none()
        self.form.is_valid()
        self.query = self.form.cleaned_data.get("q", "")
        if not self.query:
            return Article.objects.none()
        published = Article.objects.published().for_listing()
        filters = self.form.filters(translation.get_language())
        return search(published.filter(**filters), self.query)

    def years(self):
        span = (
            Article.objects.published()
            .in_language()
            .aggregate(first=Min("published_at"), last=Max("published_at"))
        )
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return range(last, first - 1, -1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            search_limit=SEARCH_LIMIT,
            form=self.form,
            query=self.query,
            full_text=connection.vendor == "postgresql",
            **kwargs,
        )
        pattern = highlight_pattern(self.query)  # the form has cleaned the query
        for article in context["object_list"]:
            article.excerpt = excerpt(article, pattern)
            article.marked_title = marked(article.numbered_title, pattern)
        return context
