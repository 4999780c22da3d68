from django.contrib.sitemaps import Sitemap

from .models import Author


class AuthorSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return Author.objects.filter(is_active=True).order_by("pk")

    def lastmod(self, author):
        return author.updated
