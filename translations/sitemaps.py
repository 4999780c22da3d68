from django.contrib.sitemaps import Sitemap

from articles.models import Article, linked_version
from articles.sitemaps import alternate_links


class ArticleSitemap(Sitemap):
    """Every public commentary once, at its own language's address, with hreflang
    alternates (x-default the Japanese version) only where a translation is public too."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related(
                "series",
                "link_as_original__translation__series",
                "link_as_translation__original__series",
            )
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.updated

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            base = url["location"].removesuffix(url["item"].get_absolute_url())
            versions = sitemap_versions(url["item"])
            url["alternates"] = alternate_links(
                {code: base + version.get_absolute_url() for code, version in versions.items()}
            )
        return urls


def sitemap_versions(article):
    versions = {article.language: article}
    other = linked_version(article)
    if other is not None and other.is_published():
        versions[other.language] = other
    return versions
