"""Markdown in, sanitised HTML out: the one path by which editors' text becomes markup."""

from html import escape

import markdown
import nh3

from .text import clean_text

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "blockquote", "ul", "ol", "li",
    "em", "strong", "a", "code", "pre", "sup", "sub", "figure", "figcaption", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Python-Markdown looks for the end of a link from every "[" of a paragraph: quadratic in
# their number (4,000 of them take seconds). Past this many, a paragraph's "[" are escaped:
# the same text, no links looked for. (Real paragraphs have a handful.)
MAX_BRACKETS = 100


def defused(text):
    """The text, with what would make Markdown take quadratic time made plain."""
    blocks = text.split("\n\n")
    for index, block in enumerate(blocks):
        if block.count("[") > MAX_BRACKETS:
            blocks[index] = block.replace("\\[", "[").replace("[", "\\[")
    return "\n\n".join(blocks)


def plain_paragraphs(text):
    return "".join(f"<p>{escape(block)}</p>" for block in text.split("\n\n") if block.strip())


def render_markdown(text):
    text = clean_text(text or "")
    try:
        html = markdown.markdown(
            defused(text), extensions=["extra", "sane_lists"], output_format="html"
        )
    except RecursionError:  # lists or quotes nested hundreds deep: kept as plain text
        html = plain_paragraphs(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
