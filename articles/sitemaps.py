from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.urls import reverse

from authors.models import Author
from core.i18n import filled_languages, hreflang

from .models import Article, Series, Tag


def alternate_links(locations):
    """The sitemap's hreflang alternates for a page at {language: absolute url}."""
    return [{"lang_code": code, "location": url} for code, url in hreflang(locations)]


class I18nSitemap(Sitemap):
    """Pages in every language where they exist: one entry each, with hreflang alternates."""

    i18n = True
    alternates = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            locations = {link["lang_code"]: link["location"] for link in url["alternates"]}
            url["alternates"] = alternate_links(locations)
        return urls


class SectionSitemap(I18nSitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:archive", "articles:tags", "authors:list"]

    def location(self, name):
        return reverse(name)


class FilledSitemap(I18nSitemap):
    """Series, topics and authors, in the languages where they have public commentaries
    (their pages are 404s elsewhere)."""

    changefreq = "weekly"
    lookup = None

    def items(self):
        annotations = filled_languages(Article.objects.published(), self.lookup)
        any_language = Q()
        for annotation in annotations.values():
            any_language |= annotation
        return self.model.objects.annotate(**annotations).filter(any_language).order_by("pk")

    def get_languages_for_item(self, item):
        return [code for code in self._languages() if getattr(item, f"in_{code}")]


class SeriesSitemap(FilledSitemap):
    model, lookup = Series, "series"


class TagSitemap(FilledSitemap):
    model, lookup = Tag, "tags"


class AuthorSitemap(FilledSitemap):
    model, lookup = Author, "authors"

    def lastmod(self, author):
        return author.updated


class ArchiveSitemap(I18nSitemap):
    """The years and months of the archive, in the languages that have commentaries then."""

    changefreq = "monthly"

    def items(self):
        months = (
            Article.objects.published()
            .annotate(month=TruncMonth("published_at"))
            .values_list("month", "language")
            .order_by()
            .distinct()
        )
        periods = {}
        for month, language in months:
            periods.setdefault((month.year, None), set()).add(language)
            periods.setdefault((month.year, month.month), set()).add(language)
        self.languages_of = periods
        return sorted(periods, key=lambda period: (period[0], period[1] or 0))

    def get_languages_for_item(self, period):
        return [code for code in self._languages() if code in self.languages_of[period]]

    def location(self, period):
        year, month = period
        if month is None:
            return reverse("articles:archive-year", kwargs={"year": year})
        return reverse("articles:archive-month", kwargs={"year": year, "month": month})
