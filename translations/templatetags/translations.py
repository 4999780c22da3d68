from django import template
from django.conf import settings
from django.utils import translation

from articles.models import public_versions
from core.i18n import hreflang

register = template.Library()


@register.simple_tag
def versions(article):
    return public_versions(article)


@register.simple_tag
def published_original(article):
    """The public original of a translation, or None for an original or a hidden one."""
    for version in public_versions(article).values():
        if getattr(version, "is_original", False):
            return version
    return None


@register.simple_tag
def article_alternates(article):
    """[(language, url)] for the language switcher: the other version where the public may
    read it, else that language's list of the same series, which then says that this piece
    is not in its language (?from=<number>). Never a page that is not there."""
    available = public_versions(article)
    alternates = []
    for language, _name in settings.LANGUAGES:
        if language in available:
            url = available[language].get_absolute_url()
        else:
            with translation.override(language):
                url = f"{article.series.get_absolute_url()}?from={article.number}"
        alternates.append((language, url))
    return alternates


@register.simple_tag(takes_context=True)
def article_hreflang(context, article):
    """[(hreflang, absolute url)] of the public versions, x-default the Japanese one."""
    request = context["request"]
    return hreflang(
        {
            code: request.build_absolute_uri(version.get_absolute_url())
            for code, version in public_versions(article).items()
        }
    )
