from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a background job, as its worker reported it (jobs.records)."""

    class State(models.TextChoices):
        STARTED = "started", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        RETRYING = "retrying", _("Failed, will be retried")
        FAILED = "failed", _("Failed")

    task_id = models.CharField(_("job id"), max_length=255, unique=True)
    name = models.CharField(_("job"), max_length=255, db_index=True)
    arguments = models.TextField(_("arguments"), blank=True)
    state = models.CharField(_("outcome"), max_length=10, choices=State.choices)
    retries = models.PositiveSmallIntegerField(_("retries"), default=0)
    started = models.DateTimeField(_("started"), db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return f"{self.name} ({self.get_state_display()})"
