from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import csvfiles
from .models import Delivery, Issue, Newsletter, Subscriber


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "series", "language", "active", "created")
    list_filter = ("language", "active")


class Suppressed(admin.SimpleListFilter):
    title = _("suppressed")
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(suppressed_at__isnull=self.value() == "no")
        return queryset


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "suppressed_at", "consent_at", "source")
    list_filter = ("status", Suppressed, "newsletters__language", "newsletters", "source")
    search_fields = ("email",)
    filter_horizontal = ("newsletters",)
    readonly_fields = ("consent_at", "consent_text", "consent_language", "source", "created")
    actions = ["export_csv", "erase"]
    change_list_template = "admin/newsletters/subscriber/change_list.html"

    @admin.action(description=_("Export the selected subscribers (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(csvfiles.export(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        return response

    @admin.action(description=_("Erase on request (APPI/GDPR): the address and its mail log"),
                  permissions=["delete"])  # fmt: skip
    def erase(self, request, queryset):
        count = queryset.count()
        queryset.delete()  # their outbox rows go with them
        self.message_user(request, _("%(count)d erased.") % {"count": count}, messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv)
        return [path("import/", view, name="newsletters_subscriber_import"), *super().get_urls()]

    def import_csv(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:newsletters_subscriber_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
            imported, refused = csvfiles.import_rows(text)
            self.message_user(request, _("%(count)d imported.") % {"count": imported})
            for line, reason in refused:
                self.message_user(
                    request,
                    _("Line %(line)d: %(reason)s") % {"line": line, "reason": reason},
                    messages.WARNING,
                )  # noqa: E501
            return redirect("admin:newsletters_subscriber_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Import subscribers")}  # fmt: skip
        return render(request, "admin/newsletters/subscriber/import.html", context)


def counted(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("subject", "newsletter", "created", "queued", "sent", "failed", "suppressed")
    list_filter = ("newsletter",)
    search_fields = ("subject",)
    readonly_fields = ("newsletter", "article", "subject", "created")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("newsletter__series")
            .annotate(**{status: counted(status) for status in Delivery.Status.values})
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("queued"), ordering="queued")
    def queued(self, issue):
        return issue.queued

    @admin.display(description=_("sent"), ordering="sent")
    def sent(self, issue):
        return issue.sent

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, issue):
        return issue.failed

    @admin.display(description=_("not sent (unsubscribed or suppressed)"), ordering="suppressed")
    def suppressed(self, issue):
        return issue.suppressed
