from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Series, Tag


class I18nSitemap(Sitemap):
    """Pages that exist in every language: one entry each, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class SectionSitemap(I18nSitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:archive", "articles:tags", "authors:list"]

    def location(self, name):
        return reverse(name)


class SeriesSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return Series.objects.order_by("pk")


class TagSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Tag.objects.filter(tagged_articles__content_object__in=Article.objects.published())
            .distinct()
            .order_by("pk")
        )
