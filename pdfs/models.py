from django.db import models
from django.utils.translation import gettext_lazy as _

from articles import counts
from articles.models import Article
from core.i18n import address


class Pdf(models.Model):
    """The PDF of a public commentary, as built from one version of it (pdfs.building)."""

    article = models.OneToOneField(
        Article, verbose_name=_("commentary"), related_name="+", on_delete=models.CASCADE
    )
    file = models.FileField(_("file"), upload_to="pdfs/", max_length=200)
    version = models.PositiveIntegerField(_("version built"))
    built = models.DateTimeField(_("built"), auto_now=True)

    class Meta:
        ordering = ["-built"]
        get_latest_by = "built"
        verbose_name = _("PDF")
        verbose_name_plural = _("PDFs")

    def __str__(self):
        return f"{self.article} (v{self.version})"


def pdf_address(article):
    """The address of the piece's PDF, or "" while none is built. Which pieces have one is
    read once per generation of the content, for every page (building one starts a new
    generation), as the navigation is: a page asks nothing more."""
    built = counts.cached("pdfs", lambda: Pdf.objects.values_list("article_id", flat=True))
    if article.pk not in built:
        return ""
    return address(
        "pdfs:download", article.language, series=article.series.slug, number=article.number
    )
