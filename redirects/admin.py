from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import importing, records
from .models import NotFound, Redirect


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("Columns: old_path, new_path, status (optional).")
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: report what would change, save nothing"), required=False, initial=True
    )


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "article", "series", "author", "tag", "new_path", "status"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        redirect = self.instance
        try:  # the loop check, as for every redirect
            records.plan(redirect.old_path, redirect.target(), redirect.new_path, redirect.status)
        except ValidationError as error:
            self.add_error(None, error)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "leads_to", "status", "source", "hits", "last_hit"]
    list_filter = ["status", "source"]
    search_fields = ["old_path", "new_path"]
    raw_id_fields = ["article", "series", "author", "tag"]
    list_select_related = ["article__series", "series", "author", "tag"]
    fields = ["old_path", "article", "series", "author", "tag", "new_path", "status"]
    readonly_fields = ["source", "hits", "last_hit", "created"]
    change_list_template = "admin/redirects/redirect/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        # A redirect is made for one old address; another address is another redirect.
        return ["old_path", *self.readonly_fields] if obj else self.readonly_fields

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.readonly_fields] if obj else self.fields

    @admin.display(description=_("leads to"))
    def leads_to(self, redirect):
        destination = redirect.destination()
        return format_html('<a href="{}">{}</a>', destination, destination) if destination else "—"

    def save_model(self, request, obj, form, change):
        saved, _outcome = records.point(
            obj.old_path, to=obj.target(), new_path=obj.new_path, status=obj.status
        )
        obj.pk = saved.pk
        NotFound.objects.filter(path=saved.old_path).delete()

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv)
        return [path("import/", view, name="redirects_redirect_import"), *super().get_urls()]

    def import_csv(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:redirects_redirect_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
            dry_run = form.cleaned_data["dry_run"]
            report = importing.import_csv(text, dry_run=dry_run)
            summary = importing.summary(report)
            self.message_user(
                request, _("Dry run: %(summary)s") % {"summary": summary} if dry_run else summary
            )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "opts": self.model._meta,
            "title": _("Import redirects"),
        }
        return render(request, "admin/redirects/redirect/import.html", context)


@admin.register(NotFound)
class NotFoundAdmin(admin.ModelAdmin):
    """The addresses readers asked for in vain, most recent first: each one a redirect to
    make, or to leave."""

    list_display = ["path", "hits", "first_seen", "last_seen", "make_redirect"]
    search_fields = ["path"]
    date_hierarchy = "last_seen"
    readonly_fields = ["path", "hits", "first_seen", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("redirect"))
    def make_redirect(self, not_found):
        url = (
            reverse("admin:redirects_redirect_add") + "?" + urlencode({"old_path": not_found.path})
        )
        return format_html('<a href="{}">{}</a>', url, _("Create a redirect"))
