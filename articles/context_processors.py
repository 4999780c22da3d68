from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import counts
from .models import Article, Series


def navigation(request):
    # Lazy: pages that never print the navigation never ask for it; cached with the counts.
    def all_series():
        tags = [f"nav:{translation.get_language()}"]  # not every list: who has pieces here
        return counts.cached("series", series_in_language, tags=tags)

    return {"all_series": SimpleLazyObject(all_series)}


def series_in_language():
    """Only the series with public commentaries in the page's language: the others' pages
    are 404s."""
    in_language = Article.objects.published().in_language().filter(series=OuterRef("pk"))
    return Series.objects.filter(Exists(in_language))
