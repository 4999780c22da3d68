"""What a reference manager needs of a commentary, and the ways of writing it down: the
Highwire Press meta tags, a sentence to cite it by, BibTeX (@techreport) and RIS (RPRT).
Always in the piece's own language, whatever the page's."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.i18n import localized
from core.site import absolute

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_~^])")


@dataclass
class Citation:
    title: str
    authors: list  # names as written in the piece's language
    published: date
    language: str
    institution: str
    series: str
    number: int
    url: str
    key: str
    pdf_url: str = ""  # absolute, for reference managers
    pdf_path: str = ""  # as the page links it

    @classmethod
    def of(cls, article, authors, pdf_url=""):
        language = article.language
        with translation.override(language):
            institution = _("Japan Institute for National Fundamentals")
            url = absolute(article.get_absolute_url())
        return cls(
            title=article.title,
            authors=[localized(author, "name", language) for author in authors],
            published=timezone.localtime(article.published_at).date(),
            language=language,
            institution=institution,
            series=localized(article.series, "name", language),
            number=article.number,
            url=url,
            key=f"{article.series.slug}-{article.number}-{language}",
            pdf_url=pdf_url and absolute(pdf_url),
            pdf_path=pdf_url,
        )

    def meta_tags(self):
        """[(name, content)] of the citation_* meta tags (Highwire Press, read by Google
        Scholar and Zotero), one citation_author per author."""
        tags = [("citation_title", self.title)]
        tags += [("citation_author", name) for name in self.authors]
        tags += [
            ("citation_publication_date", self.published.strftime("%Y/%m/%d")),
            ("citation_language", self.language),
            ("citation_publisher", self.institution),
            ("citation_technical_report_institution", self.institution),
            ("citation_series_title", self.series),
            ("citation_technical_report_number", str(self.number)),
            ("citation_abstract_html_url", self.url),
        ]
        if self.pdf_url:
            tags.append(("citation_pdf_url", self.pdf_url))
        return tags

    def sentence(self):
        """How to cite the piece, in the house style of its language."""
        if self.language == "ja":
            names = "・".join(self.authors)
            day = f"{self.published.year}年{self.published.month}月{self.published.day}日"
            return (
                f"{names}「{self.title}」『{self.series}』第{self.number}回、"
                f"{self.institution}、{day}。{self.url}"
            )
        names = english_names(self.authors)
        day = f"{self.published:%B} {self.published.day}, {self.published.year}"
        title = self.title if self.title.endswith((".", "?", "!")) else self.title + "."
        return (
            f"{names}. “{title}” {self.series}, no. {self.number}. "
            f"{self.institution}, {day}. {self.url}"
        )

    def bibtex(self):
        fields = [
            ("author", " and ".join(bibtex_name(name) for name in self.authors)),
            ("title", "{" + bibtex_escape(self.title) + "}"),
            ("institution", bibtex_escape(self.institution)),
            ("type", bibtex_escape(self.series)),
            ("number", str(self.number)),
            ("year", str(self.published.year)),
            ("month", str(self.published.month)),
            ("date", self.published.isoformat()),
            ("language", {"ja": "japanese", "en": "english"}.get(self.language, self.language)),
            ("url", self.url),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@techreport{{{self.key},\n{body}\n}}\n"

    def ris(self):
        lines = [("TY", "RPRT"), ("TI", self.title)]
        lines += [("AU", ris_name(name)) for name in self.authors]
        lines += [
            ("PY", str(self.published.year)),
            ("DA", self.published.strftime("%Y/%m/%d")),
            ("T3", self.series),
            ("M1", str(self.number)),
            ("PB", self.institution),
            ("LA", self.language),
            ("UR", self.url),
        ]
        if self.pdf_url:
            lines.append(("L1", self.pdf_url))
        lines.append(("ER", ""))
        # RIS lines are "XX  - value", ended by CRLF as the format's specification has it.
        return "".join(f"{tag}  - {one_line(value)}".rstrip() + "\r\n" for tag, value in lines)


def one_line(text):
    return " ".join(text.split())


def split_name(name):
    """(family, given) of a name written in Western order; Japanese names are whole."""
    parts = name.split()
    if JAPANESE.search(name) or len(parts) < 2:
        return name, ""
    return parts[-1], " ".join(parts[:-1])


def english_names(names):
    written = []
    for position, name in enumerate(names):
        family, given = split_name(name)
        written.append(f"{family}, {given}" if position == 0 and given else name)
    if len(written) < 3:
        return " and ".join(written)
    return ", ".join(written[:-1]) + ", and " + written[-1]


def bibtex_escape(text):
    return BIBTEX_SPECIAL.sub(r"\\\1", one_line(text))


def bibtex_name(name):
    family, given = split_name(name)
    if not given:
        return "{" + bibtex_escape(family) + "}"  # one name, never split by BibTeX
    return f"{bibtex_escape(family)}, {bibtex_escape(given)}"


def ris_name(name):
    family, given = split_name(name)
    return f"{family}, {given}" if given else family
