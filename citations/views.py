from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from articles.models import Article, bylines
from pdfs.models import pdf_address

from .citation import Citation

FORMATS = {
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
}


def public_article(series, number):
    """The public commentary at this address in the page's language, or a 404."""
    articles = Article.objects.published().in_language().select_related("series")
    return get_object_or_404(
        articles.prefetch_related(bylines()), series__slug=series, number=number
    )


def download(request, series, number, format):
    article = public_article(series, number)
    citation = Citation.of(article, article.ordered_authors, pdf_address(article))
    method, content_type = FORMATS[format]
    response = HttpResponse(getattr(citation, method)(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{format}"'
    return response
