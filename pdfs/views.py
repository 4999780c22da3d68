from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from articles.models import Article

from .models import Pdf


def download(request, series, number):
    """The PDF of a public commentary, read from storage here: its file is never linked
    directly, so a piece that stops being public stops having one at once."""
    article = get_object_or_404(
        Article.objects.published().in_language(), series__slug=series, number=number
    )
    pdf = Pdf.objects.filter(article=article).first()
    if pdf is None:
        raise Http404
    try:
        file = default_storage.open(pdf.file.name)
    except OSError:
        raise Http404 from None
    name = f"{series}-{number}-{article.language}.pdf"
    response = FileResponse(file, content_type="application/pdf", filename=name)
    # Asked again each time (a CDN or browser may keep it, not serve it unasked): the piece
    # may have stopped being public since, at its end of publication, with no write at all.
    response["Cache-Control"] = "no-cache"
    return response
