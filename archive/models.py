from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# An import still "importing" this long after it began was stopped before it could say so
# (its worker was killed: gunicorn's timeout is 30 seconds): it is ended as failed.
INTERRUPTED_AFTER = timedelta(minutes=15)


class ImportRun(models.Model):
    """An import started from the admin: the files, the dry run's report, then the import's."""

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked: waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed: see the report")

    files = models.CharField(_("files"), max_length=1000)
    # The upload itself, kept out of MEDIA_ROOT (which is public) until it is imported.
    data = models.BinaryField(editable=False, default=b"")
    as_draft = models.BooleanField(
        _("import as drafts"), default=False, help_text=_("New commentaries wait for review.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.CHECKED
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    report = models.JSONField(_("report"), default=list, editable=False)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    imported = models.DateTimeField(_("imported"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["-created"]
        get_latest_by = "created"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [("import_commentaries", _("Can import commentaries"))]

    def __str__(self):
        return f"{self.files} ({self.created:%Y-%m-%d %H:%M})" if self.created else self.files

    @classmethod
    def end_interrupted(cls, now=None):
        """Runs left "importing" by a server that stopped them end as failed, saying so."""
        since = (now or timezone.now()) - INTERRUPTED_AFTER
        return cls.objects.filter(state=cls.State.IMPORTING, imported__lt=since).update(
            state=cls.State.FAILED,
            summary=gettext(
                "Interrupted: the server stopped the import before it ended. What it imported "
                "is kept; upload the files again to import the rest."
            )[:200],
        )
