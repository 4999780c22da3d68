"""The archive: its index of years and months, a year's page and a month's."""

from datetime import datetime

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView, MonthArchiveView, YearArchiveView

from core.i18n import address, language_pages

from .. import counts
from ..models import Article
from .lists import PublishedArticleMixin


def archive_months(language=None):
    """[{month, count}] of the public archive in a language, newest first: the one aggregate
    behind the archive pages, their links and 404s, and the search's years, cached."""
    with translation.override(language or translation.get_language()):
        return counts.cached("months", public_months)


def public_months():
    # Built only when it is not kept: putting the query together costs more than reading it.
    return (
        Article.objects.published()
        .in_language()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("*"))  # COUNT(*) lets Postgres read the index alone
        .order_by("-month")
    )


class ArchiveIndexView(ListView):
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        return by_year(archive_months())


def by_year(months):
    """[{year, count, url, months: [{month, count, url, name}, ...]}], newest year first, its
    months in order: the index shows every month, not one box per year. Addresses and month
    names are worked out here, once each (remembered addresses, twelve names), not by a
    reverse() and a date format per month in the template: a century of months is 1,200."""
    years, names = {}, {}
    for row in months:
        month = timezone.localtime(row["month"])  # as the template's date filter reads it
        year = row["month"].year
        if month.month not in names:
            names[month.month] = date_format(month, "F")
        entry = years.setdefault(
            year,
            {"year": year, "count": 0, "months": [], "url": address(YEAR_VIEW, year=year)},
        )
        entry["count"] += row["count"]
        url = address(MONTH_VIEW, year=year, month=row["month"].month)
        # A new row: the kept months are shared with whoever else reads them.
        entry["months"].insert(0, {**row, "url": url, "name": names[month.month]})
    return list(years.values())


YEAR_VIEW, MONTH_VIEW = "articles:archive-year", "articles:archive-month"


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

    def known_count(self, queryset):
        return sum(row["count"] for row in self.months_in_period())  # no COUNT(*) again

    def get_context_data(self, **kwargs):
        alternates, pages = self.alternates()
        return super().get_context_data(alternates=alternates, pages=pages, **kwargs)

    @cached_property
    def read_months(self):
        return {}

    def months(self, language=None):
        """The archive's months in a language, read from the cache once a request (a page
        asks for them six times: its period, its count, its neighbours, each language)."""
        language = language or translation.get_language()
        if language not in self.read_months:
            self.read_months[language] = archive_months(language)
        return self.read_months[language]

    def months_in_period(self, language=None):
        since, until = self.period()
        return [row for row in self.months(language) if since <= row["month"] < until]

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
        earlier = [row["month"].date() for row in self.months() if row["month"] < start]
        return earlier[0] if earlier else None

    def get_next_month(self, date):
        start = month_start(date.year, date.month)
        later = [row["month"].date() for row in self.months() if row["month"] > start]
        return later[-1] if later else None
