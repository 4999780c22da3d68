"""The lead of a commentary: a sentence or two of rich text, HTML of a small schema derived from
the body's features (core.body): paragraphs with bold, italic, links, sub/superscript, line
breaks, ruby and language spans. No headings, lists, tables, figures or notes.

Every save of a piece or a revision cleans it (Article.save, Revision.save), so pages that show
HTML show it as stored (Article.lead_html); everything that wants text (meta descriptions,
feeds, mail text, search, diffs) reads `text()` (Article.lead_text).
"""

import re
from html import escape, unescape

from django.db.models import Transform
from django.utils.safestring import mark_safe

from . import body
from .text import clean_text

FEATURES = (
    "paragraph", "bold", "italic", "link", "hard_break", "subscript", "superscript",
    "ruby", "language",
)  # fmt: skip
CLEANER = body.cleaner(FEATURES)
# A block the lead has no room for is read as a paragraph of its text; containers go.
BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "figcaption", "pre",
          "td", "th", "dt", "dd")  # fmt: skip
RENAMED = body.renaming({"b": "strong", "i": "em", **dict.fromkeys(BLOCKS, "p")})
MARKUP = re.compile(r"<[a-zA-Z!/]")
PARAGRAPH = re.compile(r"(<p>.*?</p>)", re.DOTALL)
READING = re.compile(r"<rt>.*?</rt>", re.DOTALL)
BREAK = re.compile(r"<br>|</p>")
TAG = re.compile(r"<[^>]*>")


def from_text(text):
    """Plain text as the lead's HTML: escaped, each line a paragraph."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines if line)


def clean(text):
    """The lead as HTML of its schema, whatever was sent: crafted HTML reduced to it, plain
    text (a script's, an old row's) escaped into paragraphs. Cleaning twice changes nothing."""
    text = clean_text(text or "").strip()
    if not MARKUP.search(text):
        return from_text(text)
    html = body.reduce(text, RENAMED, CLEANER)
    return "".join(
        part if part.startswith("<p>") else f"<p>{part.strip()}</p>"
        for part in PARAGRAPH.split(html)
        if part.strip() and part != "<p></p>"
    )


def text(html):
    """What the lead says, as one line of plain text (no tags, no entities, no furigana)."""
    html = BREAK.sub(" ", READING.sub("", html or ""))
    return " ".join(unescape(TAG.sub("", html)).split())


# Mail clients read inline styles only (newsletters/mail/_issue_body.html).
MAIL_STYLES = {"p": "margin:0 0 12px;", "a": "color:#14325c;text-decoration:underline;"}
MAIL_TAG = re.compile(r"<(p|a)(?=[\s>])")


def in_mail(html):
    """The lead's HTML for a newsletter: cleaned, its paragraphs and links styled inline."""
    return mark_safe(
        MAIL_TAG.sub(lambda match: f'<{match[1]} style="{MAIL_STYLES[match[1]]}"', clean(html))
    )


class PlainText(Transform):
    """`lead__plaintext`: the lead's text in a query (the admin's search), as text() reads it.
    On Postgres only: elsewhere (SQLite in development) the stored HTML as it is."""

    lookup_name = "plaintext"

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        sql = f"regexp_replace(regexp_replace({sql}, '<rt>.*?</rt>', '', 'g'), '<[^>]*>', '', 'g')"
        for entity, character in (
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&nbsp;", "\u00a0"),
            ("&amp;", "&"),
        ):
            sql = f"replace({sql}, '{entity}', '{character}')"
        return sql, params
