from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from . import counts
from .models import Article, Series


def navigation(request):
    # Lazy: pages that never print the navigation never ask for it; cached with the counts.
    return {"all_series": SimpleLazyObject(lambda: counts.cached("series", series_in_language))}


def series_in_language():
    """Only the series with public commentaries in the page's language: the others' pages
    are 404s."""
    in_language = Article.objects.published().in_language().filter(series=OuterRef("pk"))
    return Series.objects.filter(Exists(in_language))
