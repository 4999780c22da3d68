from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class DailyReads(models.Model):
    """How many times a commentary was read on a day (the site's time zone): a count and
    nothing else, no address, no browser, no cookie."""

    article = models.ForeignKey(
        Article, verbose_name=_("commentary"), related_name="daily_reads", on_delete=models.CASCADE
    )
    day = models.DateField(_("day"))
    reads = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        ordering = ["-day", "-reads"]
        get_latest_by = "day"
        verbose_name = _("reads of a day")
        verbose_name_plural = _("reads by day")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="daily_reads_unique_day"),
        ]
        indexes = [models.Index(fields=["day", "article"], name="daily_reads_day_idx")]

    def __str__(self):
        return f"{self.article} {self.day}: {self.reads}"
