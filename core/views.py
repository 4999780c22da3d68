"""Answers the site gives when it refuses: in the language of the one refused."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults


def permission_denied(request, exception=None):
    """Staff in the admin get a page of the admin that says why, with a way back; anyone
    else Django's plain 403."""
    user = getattr(request, "user", None)
    if not (request.path.startswith("/admin/") and user is not None and user.is_staff):
        return defaults.permission_denied(request, exception)
    reason = exception.args[0] if isinstance(exception, PermissionDenied) and exception.args else ""
    back = request.META.get("HTTP_REFERER", "")
    if (
        not back
        or back == request.build_absolute_uri()
        or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        back = reverse("admin:index")
    context = {
        **admin.site.each_context(request),
        "title": _("Not allowed"),
        "reason": str(reason) or _("Your role does not allow this."),
        "back": back,
    }
    return TemplateResponse(request, "admin/denied.html", context, status=403).render()
