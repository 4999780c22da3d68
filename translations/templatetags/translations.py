from django import template
from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import translation

from core.i18n import hreflang

from ..models import other_versions

register = template.Library()


def public_versions(article):
    """{language: article} of the versions the public may see, the article itself included.

    Each other version carries `is_original`. Kept on the instance: one query a page.
    """
    if not hasattr(article, "_public_versions"):
        others = (
            other_versions(article)
            .published()
            .select_related("series")
            .annotate(
                is_original=ExpressionWrapper(
                    Q(link_as_original__translation=article), output_field=BooleanField()
                )
            )
        )
        article._public_versions = {
            article.language: article,
            **{other.language: other for other in others},
        }
    return article._public_versions


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
