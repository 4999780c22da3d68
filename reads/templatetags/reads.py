from django import template
from django.utils import translation

from articles import counts

from ..counting import most_read

register = template.Library()


@register.inclusion_tag("reads/_most_read.html")
def most_read_this_month():
    """Kept per language and generation of the content, as the archive's counts are: the
    list moves when content does, or within the hour (counts.LONGEST)."""
    language = translation.get_language()
    return {"most_read": counts.cached("most-read", lambda: most_read(language))}
