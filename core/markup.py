"""Markdown in, sanitised HTML out: the one path by which editors' text becomes markup."""

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


def render_markdown(text):
    html = markdown.markdown(
        clean_text(text or ""), extensions=["extra", "sane_lists"], output_format="html"
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
