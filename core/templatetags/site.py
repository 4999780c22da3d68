from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag
def home_alternates():
    """[(language, url)] of the home page in each language."""
    alternates = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            alternates.append((language, reverse("articles:home")))
    return alternates


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """[(language, url)] of this page in each language.

    Good for pages that exist in every language (lists, author pages). A view whose page may
    not exist in another language puts its own list in the context as `alternates`.
    """
    if "alternates" in context:
        return context["alternates"]
    path = context["request"].path
    return [
        (language, translate_url(path, language) or home) for (language, home) in home_alternates()
    ]


@register.simple_tag(takes_context=True)
def absolute(context, url):
    return context["request"].build_absolute_uri(url)
