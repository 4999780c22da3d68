import logging
from dataclasses import asdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .forms import ImportForm
from .importer import Importer
from .models import ImportRun
from .report import FAILED, broken_off
from .sources import from_upload

logger = logging.getLogger(__name__)


def run_import(run, user, dry_run):
    """Runs the upload's import and keeps its report on the run; an import that breaks off
    (the database refusing a write) is kept as failed, with its reason, never "importing"."""
    # Several files were zipped together by the form: they are named by themselves.
    name = "" if ", " in run.files else run.files
    importer = Importer(user=user, as_draft=run.as_draft)
    try:
        report = importer.run(from_upload(name, bytes(run.data)), dry_run=dry_run)
    except DatabaseError as error:
        logger.exception("import run %s broke off", run.pk)
        report = importer.report
        reason = _("the import broke off: %(reason)s") % {"reason": broken_off(error)}
        report.add(FAILED, run.files, None, reason)
        run.state = ImportRun.State.FAILED
    run.report = [asdict(entry) for entry in report.entries]
    run.summary = report.summary()[:200]
    return report


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Upload, read the dry run's report, confirm: Editors only (import_commentaries)."""

    form = ImportForm
    list_display = ["created", "files", "created_by", "state", "summary"]
    list_filter = ["state"]
    fields = ["uploads", "as_draft"]
    readonly_fields = [
        "files", "as_draft", "state", "summary", "report_table",
        "created", "created_by", "imported", "imported_by",
    ]  # fmt: skip
    change_form_template = "admin/archive/importrun/change_form.html"

    def may_import(self, request):
        return request.user.has_perm("archive.import_commentaries")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.may_import(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.may_import(request)

    def has_change_permission(self, request, obj=None):
        return False  # a run is a record: confirmed or left, never edited

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description=_("report"))
    def report_table(self, run):
        rows = format_html_join(
            "",
            "<tr class='import-{}'><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (e["outcome"], e["outcome"], e["source"], e["line"] or "", e["detail"])
                for e in run.report
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("outcome"), _("file"), _("line"), _("detail"), rows,
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        run_import(obj, request.user, dry_run=True)
        obj.save()

    def changelist_view(self, request, extra_context=None):
        ImportRun.end_interrupted()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ImportRun.end_interrupted()
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:archive_importrun_change", obj.pk)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(require_POST(self.confirm_view)),
                name="archive_importrun_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request, object_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=object_id)
        # Claimed in one UPDATE: two clicks (or two editors) cannot import it twice.
        claimed = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.CHECKED).update(
            state=ImportRun.State.IMPORTING, imported=timezone.now()
        )
        if not claimed:
            self.message_user(request, _("This upload was imported already."), messages.ERROR)
            return redirect("admin:archive_importrun_change", run.pk)
        run.state = ImportRun.State.IMPORTING
        report = run_import(run, request.user, dry_run=False)
        run.imported, run.imported_by = timezone.now(), request.user
        if run.state != ImportRun.State.FAILED:
            run.state = ImportRun.State.IMPORTED
            run.data = b""  # the commentaries hold it now
        with transaction.atomic():
            run.save()
        level = messages.WARNING if report.failed else messages.SUCCESS
        self.message_user(request, run.summary, level)
        return redirect(reverse("admin:archive_importrun_change", args=[run.pk]))
