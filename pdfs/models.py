from django.db import models
from django.utils.translation import gettext_lazy as _

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
    """The address of the piece's PDF, or "" while none is built. A list of pieces says which
    have one as it reads them (with_pdf()); a page of one piece asks once, when it is built:
    building or removing a PDF touches that piece's pages alone (pdfs.building)."""
    built = getattr(article, "has_pdf", None)
    if built is None:  # asked once per page (the citation's tags and the link)
        built = article.has_pdf = Pdf.objects.filter(article_id=article.pk).exists()
    if not built:
        return ""
    return address(
        "pdfs:download", article.language, series=article.series.slug, number=article.number
    )


def with_pdf(queryset):
    """The pieces, each knowing whether it has a PDF (has_pdf), in the same query."""
    return queryset.annotate(
        has_pdf=models.Exists(Pdf.objects.filter(article=models.OuterRef("pk")))
    )
