"""Pages of the old site saved as text, read into plain data: no database here.

A page reads, line by line: where it was on the old site, if the page carries it (a line of
its own before the breadcrumb, or the page's last line: “https://…/weekly/archives/1234” or
“URL: …”), the site name, the section name, the breadcrumb (“• HOME”,
“• <series>”, “• 【#434】<title>”; a page saved as Shift_JIS, which has no “•” or “·”, has
“・” or “･” there), an author line, the numbered title, “<authors> /
<date>”, for a translation the date of its original, then the text: paragraphs indented,
sub-headings as short unindented lines without final punctuation, and the closing bio
line(s) starting with an author's name.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core import body
from core.text import CONTROL_CHARACTERS

MONTHS = {
    name: number
    for number, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
}  # fmt: skip
# The bullet of a breadcrumb line: UTF-8 pages have • or ·; cp932 (Shift_JIS) cannot write
# those, so its pages have the katakana middle dot ・ or its half-width form ･.
BREADCRUMB = re.compile(r"^\s*[•·・･]\s*(.+?)\s*$")
TITLE = re.compile(r"^\s*【\s*(?:[#＃]|第)\s*([0-9０-９]+)\s*回?\s*】\s*(.*?)\s*$")
BYLINE = re.compile(r"^(.*?)(?:\s+/\s+|\s*／\s*)(\S.*)$")
NUMERIC_DATE = re.compile(
    r"^([0-9０-９]{4})\s*[.年/．]\s*([0-9０-９]{1,2})\s*[.月/．]\s*([0-9０-９]{1,2})\s*日?"
    r"\s*(?:[(（]\s*\S{1,3}\s*[)）])?$"
)
ENGLISH_DATE = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
# The page's own address on the old site, as a browser's "save as text" writes it.
ADDRESS = re.compile(r"^\s*(?:URL\s*[:：]\s*(\S+)|(https?://[^\s/]+/\S*))\s*$", re.IGNORECASE)
AUTHOR_SEPARATORS = re.compile(r"\s+and\s+|\s*[・、,，&＆]\s*")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
FINAL_PUNCTUATION = tuple(".。!！?？:：;；、,」』)）”\"'")
MAX_HEADING_LENGTH = 80
TAG = re.compile(r"<[^>]+>")
MAX_LENGTHS = {"title": 255, "series": 100, "author": 100}


class PageError(Exception):
    """A page that cannot be read: where and why."""

    def __init__(self, line, reason):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Page:
    series: str
    number: int
    language: str
    title: str
    authors: list
    names: str
    published: date
    original_date: date | None
    body: str
    author_note: str
    site: str = ""
    section: str = ""
    address: str = ""


def printable(text):
    """The text with newlines for line ends and no other control characters (core.text's
    rule, applied before the page is split into lines, so none can break a line)."""
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def name_key(name):
    """How names are compared: full-width folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def split_authors(text):
    names = [name for name in AUTHOR_SEPARATORS.split(text.strip()) if name]
    return list(dict.fromkeys(names))  # a name written twice is one author


def parse_numeric_date(text):
    match = NUMERIC_DATE.match(unicodedata.normalize("NFKC", text.strip()))
    if not match:
        return None
    return date(*(int(part) for part in match.groups()))


def parse_english_date(text):
    match = ENGLISH_DATE.match(text.strip())
    if not match or match.group(1).lower() not in MONTHS:
        return None
    month = MONTHS[match.group(1).lower()]
    return date(int(match.group(3)), month, int(match.group(2)))


def parse_date(text):
    """A date as the old site wrote it, or None; ValueError for a date that does not exist."""
    return parse_numeric_date(text) or parse_english_date(text)


def detect_language(text):
    letters = [char for char in text if char.isalpha()]
    japanese = sum(1 for char in letters if JAPANESE.match(char))
    return "ja" if letters and japanese / len(letters) > 0.3 else "en"


def parse(text):
    """The Page a saved text page holds; PageError saying where it could not be read."""
    lines = list(enumerate(printable(text).split("\n"), start=1))
    lines, address = old_address(lines)
    crumbs = breadcrumb(lines)
    if len(crumbs) < 2:
        raise PageError(1, _("no breadcrumb (lines starting with “•”: HOME, the series, …)"))
    header = [line.strip() for number, line in lines if number < crumbs[0][0] and line.strip()]
    rest = [(number, line) for number, line in lines if number > crumbs[-1][0] and line.strip()]
    series = crumbs[1][1] if len(crumbs) > 2 else (header[1] if len(header) > 1 else "")
    if not series:
        raise PageError(crumbs[0][0], _("the breadcrumb names no series"))

    position = next((i for i, (_n, line) in enumerate(rest) if TITLE.match(line)), None)
    if position is None:
        # Where it should be: after the author line.
        line = rest[1][0] if len(rest) > 1 else crumbs[-1][0] + 1
        raise PageError(line, _("no title line (“【#434】Title”) after the breadcrumb and author"))
    title_line, match = rest[position][0], TITLE.match(rest[position][1])
    number, title = int(match.group(1)), match.group(2)
    if not title:
        raise PageError(title_line, _("the title is empty"))
    if number < 1:
        raise PageError(title_line, _("the number must be 1 or more"))
    author_line = " ".join(line.strip() for _n, line in rest[:position])

    text = rest[position + 1 :]
    if not text or not BYLINE.match(text[0][1].strip()):
        line = text[0][0] if text else title_line + 1
        raise PageError(line, _("expected “Author / 2017.04.18 (Tue)” after the title"))
    byline_number, byline = text[0]
    names, date_text = BYLINE.match(byline.strip()).groups()
    published = read_date(byline_number, date_text)
    authors = split_authors(names or author_line)
    if not authors:
        raise PageError(byline_number, _("no author named before the date"))

    text = text[1:]
    original_date = None
    if text and not text[0][1][:1].isspace():
        original_date = read_date(text[0][0], text[0][1], required=False)
        if original_date:
            text = text[1:]
    if not text:
        raise PageError(byline_number + 1, _("the page has no text after the date"))
    body, author_note = body_and_bio(text, authors)
    page = Page(
        series=series,
        number=number,
        language=detect_language(title + TAG.sub("", body)),
        title=title,
        authors=authors,
        names=names or author_line,
        published=published,
        original_date=original_date,
        body=body,
        author_note=author_note,
        site=header[0] if header else "",
        section=header[1] if len(header) > 1 else "",
        address=address,
    )
    check_lengths(page, title_line, byline_number)
    return page


def old_address(lines):
    """(lines, address): the page's lines without the one naming its old address (before the
    breadcrumb, or the last), and that address ("" if none)."""
    filled = [index for index, (_n, line) in enumerate(lines) if line.strip()]
    first_crumb = next((i for i, (_n, line) in enumerate(lines) if BREADCRUMB.match(line)), 0)
    places = [i for i in filled if i < first_crumb] + filled[-1:]
    for index in places:
        match = ADDRESS.match(lines[index][1])
        if match:
            return lines[:index] + lines[index + 1 :], match.group(1) or match.group(2)
    return lines, ""


def breadcrumb(lines):
    """[(line number, text)] of the breadcrumb: the first run of bullet lines (blank lines
    between them allowed), so a list in the text (“・” items in Japanese) is never one."""
    crumbs = []
    for number, line in lines:
        match = BREADCRUMB.match(line)
        if match:
            crumbs.append((number, match.group(1)))
        elif crumbs and line.strip():
            break
    return crumbs


def read_date(line, text, required=True):
    try:
        found = parse_date(text)
    except ValueError:
        raise PageError(
            line, _("unreadable date “%(date)s”: no such day") % {"date": text.strip()}
        ) from None
    if found is None and required:
        raise PageError(line, _("unreadable date “%(date)s”") % {"date": text.strip()})
    return found


def body_and_bio(text, authors):
    """The body as HTML of the editor's schema (core.body) and the closing bio line(s), from
    the numbered lines after the date: bio lines are the unindented lines at the end that
    begin with an author's name."""
    keys = [name_key(name) for name in authors]
    end = len(text)
    while end > 0:
        line = text[end - 1][1]
        if line[:1].isspace() or not any(name_key(line).startswith(key) for key in keys):
            break
        end -= 1
    if end == 0:
        end = 1  # a page of nothing but a bio-like line keeps it as its text
    bio = "\n".join(line.strip() for _n, line in text[end:])
    return body_html([line for _n, line in text[:end]]), bio


def body_html(lines):
    """Lines of text as the old site wrote them (and as people paste them) as body HTML: a
    line is a paragraph, however indented; a short unindented line without final punctuation
    before more text is a sub-heading. The editor's paste (static/js/body_editor.js) follows
    the same rule."""
    lines = [line for line in lines if line.strip()]
    blocks = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        tag = "h2" if is_heading(line, following) else "p"
        blocks.append(f"<{tag}>{line.strip()}</{tag}>")
    # Markup in a line (the old site let some through) is cleaned as an editor's would be.
    return body.clean("".join(blocks))


def is_heading(line, following):
    stripped = line.strip()
    return (
        following is not None
        and not line[:1].isspace()
        and len(stripped) <= MAX_HEADING_LENGTH
        and not stripped.endswith(FINAL_PUNCTUATION)
    )


def check_lengths(page, title_line, byline_line):
    if len(page.title) > MAX_LENGTHS["title"]:
        raise PageError(
            title_line,
            _("the title is longer than %(limit)d characters") % {"limit": MAX_LENGTHS["title"]},
        )
    if len(page.series) > MAX_LENGTHS["series"]:
        raise PageError(
            1,
            _("the series name is longer than %(limit)d characters")
            % {"limit": MAX_LENGTHS["series"]},
        )
    for name in page.authors:
        if len(name) > MAX_LENGTHS["author"]:
            raise PageError(
                byline_line,
                _("an author's name is longer than %(limit)d characters")
                % {"limit": MAX_LENGTHS["author"]},
            )
