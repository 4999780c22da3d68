from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from articles.sitemaps import (
    ArchiveSitemap,
    AuthorSitemap,
    SectionSitemap,
    SeriesSitemap,
    TagSitemap,
)
from core.media import media
from core.site import on_site_address
from translations.sitemaps import ArticleSitemap

admin.site.site_header = _("Commentary publishing")
admin.site.site_title = _("Think tank admin")
# The desk's lists need the width at 1366 px; the admin's index and breadcrumbs lead the way.
admin.site.enable_nav_sidebar = False
admin.site.index_title = _("Publishing")

sitemaps = {
    "sections": SectionSitemap,
    "series": SeriesSitemap,
    "commentaries": ArticleSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "archive": ArchiveSitemap,
}


def favicon(request):
    # Asked for by browsers and feed readers whatever the pages say.
    return redirect(static_url("icons/favicon.ico"), permanent=True)


media_prefix = settings.MEDIA_URL.lstrip("/")

# A refusal in the admin says why, in the admin's language, with a way back.
handler403 = "core.views.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Their addresses on SITE_URL, never on the request's Host (core.site).
    path(
        "sitemap.xml", on_site_address(sitemap_views.index), {"sitemaps": sitemaps}, name="sitemap"
    ),
    path(
        "sitemap-<section>.xml",
        on_site_address(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("anymail/", include("anymail.urls")),
    path("r/", include("reads.urls")),
    path("api/v1/", include("api.urls")),
    *i18n_patterns(
        path("newsletter/", include("newsletters.urls")),
        path("authors/", include("authors.urls")),
        path("", include("articles.urls")),
        path("", include("citations.urls")),
        path("", include("pdfs.urls")),
        prefix_default_language=True,
    ),
    # Uploaded images, when Django serves them itself; a MEDIA_URL on another host (a CDN in
    # front of object storage) never reaches it.
    *([] if urlsplit(settings.MEDIA_URL).netloc else [path(f"{media_prefix}<path:path>", media)]),
]
