"""Typography for Japanese text: BudouX's phrases, so a line breaks between phrases.

`{{ title|phrases }}` escapes the text, then puts a <wbr> between BudouX's phrases where the
text is Japanese; the stylesheet (`.phrases`, `word-break: keep-all`) lets such text break only
there (and at spaces). English text is only escaped. BudouX ships its model in its package:
nothing is fetched. Phrases are worked out once per text and process (titles repeat on every
list page).
"""

import re
from functools import cache, lru_cache

import budoux
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# Hiragana, katakana, CJK ideographs (and the iteration mark): the text BudouX reads.
JAPANESE = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@cache
def parser():
    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=8192)
def _phrased(text):
    if not JAPANESE.search(text):
        return escape(text)
    return "<wbr>".join(escape(phrase) for phrase in parser().parse(text))


@register.filter(is_safe=True)
def phrases(text):
    """The text, escaped, with <wbr> between its Japanese phrases."""
    if text is None or text == "":
        return ""
    if isinstance(text, SafeData):  # markup already: left as it is
        return text
    return mark_safe(_phrased(str(text)))


@register.filter(is_safe=True)
def unbroken(text):
    """The text with its spaces made no-break spaces: a date such as "October 23, 2026" that
    sits in a sentence stays on one line."""
    return str(text).replace(" ", "\u00a0")
