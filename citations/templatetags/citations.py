from django import template

from core.i18n import address
from pdfs.models import pdf_address

from ..citation import Citation

register = template.Library()


@register.simple_tag
def citation(article, authors):
    """The piece's Citation (meta tags, sentence, downloads); its PDF if one is built."""
    return Citation.of(article, authors, pdf_address(article))


@register.simple_tag
def citation_download(article, name):
    return address(
        f"citations:{name}", article.language, series=article.series.slug, number=article.number
    )
