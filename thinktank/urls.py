from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Commentary publishing")
admin.site.site_title = _("Think tank admin")
admin.site.index_title = _("Publishing")

urlpatterns = [
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("authors/", include("authors.urls")),
        path("", include("articles.urls")),
        prefix_default_language=True,
    ),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
