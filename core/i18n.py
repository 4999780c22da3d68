from functools import lru_cache

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override


def address(viewname, language=None, **kwargs):
    """reverse(viewname, kwargs=kwargs) in `language` (by default the page's), remembered by
    the process: a page names the same addresses many times over (its own, its series', its
    authors', the menu's), and reverse() is one of the costliest steps of rendering it."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = tuple(sorted(kwargs.items()))
    return _address(viewname, language or get_language(), get_script_prefix(), urlconf, key)


@lru_cache(maxsize=20_000)
def _address(viewname, language, script_prefix, urlconf, kwargs):
    with override(language):
        return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def localized(obj, field, language=None):
    """The Japanese or English variant of a field, whichever is filled, the page's first."""
    language = (language or get_language() or "ja")[:2]
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{other}", "")


def filled_languages(articles, lookup):
    """Annotations `in_<code>`, one per language: whether the public commentaries
    `articles` hold one of the annotated row (through `lookup`, e.g. "tags") in that language.
    A series, topic or author page exists in a language only where this holds."""
    return {
        f"in_{code}": Exists(articles.filter(language=code, **{lookup: OuterRef("pk")}))
        for code, _name in settings.LANGUAGES
    }


def language_pages(filled, url_name, kwargs, fallback_name):
    """(switch, pages) for a page that exists in the languages `filled` only: switch is
    [(language, url)] for the language switch, the page where it exists and else that
    language's `fallback_name` page; pages is [(language, url)] of the pages that exist,
    for hreflang."""
    switch, pages = [], []
    for code, _name in settings.LANGUAGES:
        if code in filled:
            url = address(url_name, code, **kwargs)
            pages.append((code, url))
        else:
            url = address(fallback_name, code)
        switch.append((code, url))
    return switch, pages


def hreflang(urls):
    """[(hreflang, url)] for a page at {language: url}: none for a page in one language
    only; else each version, and x-default the Japanese one: a real page, never an
    unprefixed address that redirects by the reader's language."""
    if len(urls) < 2:
        return []
    default = urls.get(settings.LANGUAGE_CODE, next(iter(urls.values())))
    return [*urls.items(), ("x-default", default)]
