from functools import cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe

from core import site
from core.i18n import address, hreflang

register = template.Library()


@register.simple_tag(name="link")
def link(viewname):
    """{% url viewname %} of an address without arguments (the menu's, the footer's, the
    feeds'), in the page's language, remembered by the process (core.i18n.address)."""
    return address(viewname)


@register.simple_tag
def home_alternates():
    """[(language, url)] of the home page in each language."""
    return [
        (language, address("articles:home", language)) for language, _name in settings.LANGUAGES
    ]


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
    """The address on settings.SITE_URL, never on the request's Host (core.site)."""
    return site.absolute(url)


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """[(hreflang, absolute url)] for this page's <link rel="alternate">: the page in each
    language where it exists (`pages` in the context, else every language), and x-default
    the Japanese page. None for a page in one language only."""
    pages = context.get("pages")
    if pages is None:
        path = context["request"].path
        pages = [(code, translate_url(path, code)) for code, _name in settings.LANGUAGES]
    return hreflang({code: absolute(context, url) for code, url in pages})


OG_LOCALES = {"ja": "ja_JP", "en": "en_US"}


@register.filter
def og_locale(language):
    return OG_LOCALES.get(language, language)


@register.simple_tag
@cache
def inline_stylesheet():
    """The site's stylesheet, to put in a <style> in the head: one request fewer and nothing
    that blocks the first paint. Read once a process, from the file whose hash the
    content security policy allows (settings.SITE_STYLESHEET_HASH)."""
    return mark_safe(settings.SITE_STYLESHEET.read_text(encoding="utf-8"))
