from django import template

from ..models import other_versions

register = template.Library()


@register.simple_tag
def published_translation(article):
    """The other-language version of an article, only if the public may see it."""
    return other_versions(article).published().select_related("series").first()
