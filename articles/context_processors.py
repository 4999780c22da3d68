from django.db.models import Exists, OuterRef

from .models import Article, Series


def navigation(request):
    # A lazy queryset: pages that never print the navigation never run the query. Only the
    # series with public commentaries in the page's language: the others' pages are 404s.
    in_language = Article.objects.published().in_language().filter(series=OuterRef("pk"))
    return {"all_series": Series.objects.filter(Exists(in_language))}
