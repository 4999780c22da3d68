from datetime import datetime

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, MonthArchiveView, YearArchiveView

from authors.models import Author
from core import pagecache
from core.i18n import filled_languages, language_pages

from . import counts
from .actions.rules import visible
from .forms import SearchForm
from .models import (
    CARD_FIELDS,
    Article,
    PreviewLink,
    Series,
    Tag,
    TaggedArticle,
    bylines,
    public_other_versions,
    show_pending,
)
from .search import SEARCH_LIMIT, excerpt, highlight_pattern, marked, search


class PublishedArticleMixin:
    """Public commentaries in the page's language, with what a list shows fetched up front."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().in_language().for_cards()

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

    def get_queryset(self):
        self.object = self.series = self.get_object(Series, "series")
        self.untranslated = self.came_from()
        return super().get_queryset().filter(series=self.series)

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

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def archive_months(language=None):
    """[{month, count}] of the public archive in a language, newest first: the one aggregate
    behind the archive pages, their links and 404s, and the search's years, cached."""
    with translation.override(language or translation.get_language()):
        months = (
            Article.objects.published()
            .in_language()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("*"))  # COUNT(*) lets Postgres read the index alone
            .order_by("-month")
        )
        return counts.cached("months", lambda: months)


class ArchiveIndexView(ListView):
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        return by_year(archive_months())


def by_year(months):
    """[{year, count, months: [{month, count}, ...]}], newest year first, its months in
    order: the index shows every month, not one box per year."""
    years = {}
    for row in months:
        year = row["month"].year
        entry = years.setdefault(year, {"year": year, "count": 0, "months": []})
        entry["count"] += row["count"]
        entry["months"].insert(0, row)
    return list(years.values())


class ArchiveMixin(PublishedArticleMixin):
    """Year and month archives. Impossible or empty periods are 404s, so the language switch
    goes to the same period only where the other language has commentaries in it."""

    date_field = "published_at"
    make_object_list = True
    month_format = "%m"
    allow_empty = True  # an empty period is found in the cached months, not asked again

    def get_dated_items(self):
        items = super().get_dated_items()  # a 404 for an impossible date
        if not self.months_in_period():
            raise Http404(_("No commentaries in this period."))
        return items

    def get_context_data(self, **kwargs):
        alternates, pages = self.alternates()
        return super().get_context_data(alternates=alternates, pages=pages, **kwargs)

    def months_in_period(self, language=None):
        since, until = self.period()
        return [row for row in archive_months(language) if since <= row["month"] < until]

    def alternates(self):
        filled = {code for code, _name in settings.LANGUAGES if self.months_in_period(code)}
        return language_pages(filled, self.url_name, self.kwargs, "articles:archive")


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
        return self.months_in_period()[::-1]


class MonthView(ArchiveMixin, MonthArchiveView):
    template_name = "articles/article_archive_month.html"
    url_name = "articles:archive-month"

    def period(self):
        year, month = int(self.get_year()), int(self.get_month())
        return month_start(year, month), month_start(year + month // 12, month % 12 + 1)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return []  # the month's page lists no days

    def get_previous_month(self, date):
        start = month_start(date.year, date.month)
        earlier = [row["month"].date() for row in archive_months() if row["month"] < start]
        return earlier[0] if earlier else None

    def get_next_month(self, date):
        start = month_start(date.year, date.month)
        later = [row["month"].date() for row in archive_months() if row["month"] > start]
        return later[-1] if later else None


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
            years=sorted({row["month"].year for row in archive_months()}, reverse=True),
        )
        for name, model in (("series", Series), ("author", Author)):
            field = self.form.fields[name]
            rows = counts.cached(f"choices-{name}", lambda model=model: choices(model))
            field.choices = [("", field.empty_label), *rows]
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


def choices(model):
    return [(item.slug, item.name) for item in model.objects.all()]
