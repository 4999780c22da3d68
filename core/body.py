"""The body of a commentary: HTML of one fixed schema, the editor's (static/js/body_editor.js)
and the importer's, sanitised on the server whatever was sent; rendered for readers with its
footnotes numbered and linked both ways and its figures made responsive.

The schema: paragraphs, h2–h4, bold, italic, links (http, https, mailto, in-page), ordered and
bullet lists, block quotes, tables, sub/superscript, line breaks, figures with caption and
credit, footnotes (``<span data-footnote>text</span>`` where the note is referred to), ruby and
language spans, and a YouTube video as a click-to-load facade. Anything else is dropped: its
text is kept, its markup is not.
"""

import re
from html import escape, unescape

import nh3
from django.conf import settings
from django.utils import translation
from django.utils.html import urlize
from django.utils.translation import gettext as _

from media_library import rendering as media

from .markup import render_markdown
from .text import clean_text

# What each feature of the editor (static/js/body_editor.js) writes: {tag: attributes}. A
# schema is a set of features; its tags, attributes and classes are derived from them.
FEATURES = {
    "paragraph": {"p": set()},
    "heading": {"h2": set(), "h3": set(), "h4": set()},
    "bold": {"strong": set()},
    "italic": {"em": set()},
    "link": {"a": {"href"}},
    "hard_break": {"br": set()},
    "subscript": {"sub": set()},
    "superscript": {"sup": set()},
    "lists": {"ul": set(), "ol": {"start"}, "li": set()},
    "blockquote": {"blockquote": set()},
    "table": {
        "table": set(), "thead": set(), "tbody": set(), "tr": set(),
        "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
    },
    "figure": {"figure": {"data-image"}, "figcaption": set(), "img": {"src", "alt"}, "span": set()},
    "footnote": {"span": {"data-footnote"}},
    "ruby": {"ruby": set(), "rt": set()},
    "language": {"span": {"lang"}},
    "video": {"div": {"data-youtube"}},
}  # fmt: skip
FEATURE_CLASSES = {
    "figure": {"span": {"figure-caption", "figure-credit"}},
    "video": {"div": {"video-facade"}},
}
BODY_FEATURES = tuple(FEATURES)


def schema(features):
    """(tags, attributes, classes) of a set of FEATURES."""
    attributes = {"*": set()}  # else nh3 allows title and lang on every element
    classes = {}
    for feature in features:
        for tag, names in FEATURES[feature].items():
            attributes.setdefault(tag, set()).update(names)
        for tag, names in FEATURE_CLASSES.get(feature, {}).items():
            classes.setdefault(tag, set()).update(names)
    tags = set(attributes) - {"*"}
    return tags, {tag: names for tag, names in attributes.items() if names or tag == "*"}, classes


TAGS, ATTRIBUTES, CLASSES = schema(BODY_FEATURES)
URL_SCHEMES = {"http", "https", "mailto"}
LANGUAGES = {code for code, _name in settings.LANGUAGES}
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
LINK = re.compile(r"(?:https?:|mailto:|#)\S*", re.IGNORECASE)
NUMBER = re.compile(r"[1-9][0-9]{0,9}")
# Markup the word processors and old pages use for what the schema has under another name.
RENAMED_TAGS = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4"}


def renaming(tags):
    """(pattern, replacement) pairs that write each tag {old: new} under its new name."""
    return [
        (re.compile(rf"<(/?){old}(?=[\s>/])", re.IGNORECASE), rf"<\1{new}")
        for old, new in tags.items()
    ]


RENAMED = renaming(RENAMED_TAGS)
HTML_START = re.compile(r"\s*<[a-zA-Z!/]")
HTML_BLOCK = re.compile(r"<(?:p|h[1-6]|ul|ol|table|blockquote|figure|div)[\s>]", re.IGNORECASE)


def own_image(src):
    """An image of the site's own media, which the CSP allows: never another host's."""
    media = settings.MEDIA_URL
    if not media.startswith(("http://", "https://")):
        media = "/" + media.lstrip("/")
    return src.startswith(media) and not src.startswith("//") and ".." not in src


def keep(element, attribute, value):
    """nh3's attribute filter: the value if the schema allows it there, else None."""
    if attribute == "href":
        return value if LINK.fullmatch(value) else None
    if attribute == "src":
        return value if own_image(value) else None
    if attribute == "lang":
        return value if element == "span" and value in LANGUAGES else None
    if attribute == "title":
        return None
    if attribute == "data-youtube":
        return value if YOUTUBE_ID.fullmatch(value) else None
    if attribute in {"data-image", "colspan", "rowspan", "start"}:
        return value if NUMBER.fullmatch(value) else None
    if attribute == "data-footnote":
        return ""
    return value


def cleaner(features):
    """An nh3 cleaner keeping the markup of these FEATURES, with the schema's own rules for
    what a link, an image or a number may be."""
    tags, attributes, classes = schema(features)
    return nh3.Cleaner(
        tags=tags,
        attributes=attributes,
        allowed_classes=classes,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


CLEANER = cleaner(BODY_FEATURES)
EMPTY = re.compile(r"(?:<p>(?:\s|<br>)*</p>\s*)+")
IMAGE = re.compile(r"(<figure[^>]*>)?(<img[^>]*>)")
EMPTY_FIGURE = re.compile(r"<figure></figure>")
DANGLING_SPAN = re.compile(r"<span>(.*?)</span>", re.DOTALL)
OTHER_DIV = re.compile(r"<div>|(?<!<div class=\"video-facade\" data-youtube=\"[\w-]{11}\">)</div>")


def is_html(text):
    """Whether a body is HTML (the editor's, an import's) rather than Markdown or plain text."""
    return bool(HTML_START.match(text) or HTML_BLOCK.search(text))


def figure_image(match):
    figure, image = match.groups()
    if figure is None or " src=" not in image:
        return figure or ""
    return figure + image


def clean(text):
    """The body as HTML of the schema: the editor's HTML (or any crafted HTML) reduced to it;
    text without markup (older Markdown, plain text from a script) read as Markdown first."""
    text = clean_text(text or "")
    if not text.strip():
        return ""
    html = text if is_html(text) else render_markdown(text)
    return reduce(html, RENAMED, CLEANER)


def reduce(html, renamed, kept):
    """HTML reduced by a schema's cleaner, after its renamed tags: what the schema keeps."""
    for pattern, replacement in renamed:
        html = pattern.sub(replacement, html)
    html = kept.clean(html)
    html = IMAGE.sub(figure_image, html)  # an image is only ever a figure's, with its src
    html = EMPTY_FIGURE.sub("", html)
    html = DANGLING_SPAN.sub(r"\1", html)  # a span with nothing the schema keeps
    html = html.replace('<div class="video-facade"></div>', "")  # no video named
    html = OTHER_DIV.sub("", html)  # a div is only ever a video: others are unwrapped
    return EMPTY.sub("", html).strip()


FOOTNOTE = re.compile(r'<span data-footnote="">(.*?)</span>', re.DOTALL)
FIGURE_TAG = re.compile(r"<figure(\s[^>]*)?>")


def footnotes(html):
    """The body's footnotes numbered in order, each reference linked to its note and each
    note back to its reference, the notes listed at the end."""
    notes = []

    def reference(match):
        notes.append(match.group(1))
        number = len(notes)
        return f'<sup class="fn-ref"><a href="#fn-{number}" id="fnref-{number}">{number}</a></sup>'

    html = FOOTNOTE.sub(reference, html)
    if not notes:
        return html
    back = escape(_("Back to the text"))
    items = "".join(
        f'<li id="fn-{number}">{urlize(unescape(note), nofollow=True, autoescape=True)} '
        f'<a href="#fnref-{number}" class="fn-back" aria-label="{back}">↩</a></li>'
        for number, note in enumerate(notes, start=1)
    )
    title = escape(_("Notes"))
    return f'{html}<section class="footnotes" aria-label="{title}"><ol>{items}</ol></section>'


def figures(html, language):
    """Figures with class="figure"; made responsive and lazy, and videos made click-to-load
    facades, by the media library (media_library.rendering)."""
    html = media.videos(media.figures(html, language), language)
    return FIGURE_TAG.sub(figure_class, html)


def figure_class(match):
    attributes = match.group(1) or ""
    if 'class="' in attributes:
        return "<figure" + attributes.replace('class="', 'class="figure ', 1) + ">"
    return f'<figure class="figure"{attributes}>'


TABLE_TAG = re.compile(r"<table(?=[\s>])")


def focusable_tables(html):
    """A table wider than a phone scrolls sideways on its own (site.css): one a keyboard can
    reach (tabindex="0"), to scroll it with the arrow keys."""
    return TABLE_TAG.sub('<table tabindex="0"', html)


def render(body, language):
    """What readers see of a body: cleaned (again), footnotes linked, figures responsive,
    tables reachable by keyboard."""
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        return focusable_tables(figures(footnotes(clean(body)), language))


BLOCK = re.compile(r"<(h[2-4]|p|li|blockquote|figcaption|tr|div)(?=[\s>])[^>]*>")
BLOCK_ENDS = re.compile(r"</(?:h[2-4]|p|li|figcaption|tr|figure|div|blockquote)>")
MARKS = {"h2": "## ", "h3": "### ", "h4": "#### ", "li": "• ", "blockquote": "> "}
TAG = re.compile(r"<[^>]*>")


def as_text(body):
    """The body as lines of text, one per block, with its structure written out (“## ” before
    a sub-heading, “• ” before a list item, “[^…]” for a footnote, “[figure …]”): what the
    revision and translation diffs compare, so a change of structure shows, tags never do."""
    html = clean(body)
    html = FOOTNOTE.sub(lambda match: f"[^{match.group(1)}]", html)
    html = re.sub(
        r'<div class="video-facade" data-youtube="([^"]*)"></div>', r"\n[video \1]\n", html
    )
    html = re.sub(r'<figure data-image="(\d+)">', r"\n[figure \1] ", html)
    html = re.sub(r"<img[^>]*\salt=\"([^\"]*)\"[^>]*>", r"[image: \1] ", html)
    html = re.sub(r"<(?:th|td)[^>]*>(?:<p>)?", " | ", html).replace(
        '</span><span class="figure-credit">', " "
    )
    html = BLOCK.sub(lambda match: "\n" + MARKS.get(match.group(1), ""), html)
    html = BLOCK_ENDS.sub("\n", html.replace("<br>", "\n"))
    text = unescape(TAG.sub("", html))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
