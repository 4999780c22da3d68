"""Full-text search over commentaries in Japanese and English.

On Postgres each article carries a tsvector (GIN-indexed). Japanese has no spaces between
words, so every run of Japanese characters is indexed as overlapping character pairs
("安全保障" -> "安全 全保 保障") and a Japanese query becomes a phrase of the same pairs:
any two or more characters from the middle of a sentence are found. English text uses the
'english' configuration, so "relations" finds "relation". On SQLite search is a plain
case-insensitive contains over the same fields: slower and without ranking or stemming.

Text of any size is safe: Postgres refuses a tsvector whose words add up to more than 1 MB,
so only the first INDEXED_LENGTH characters of each field are indexed (of a body, 100,000:
some fifty printed pages; the rest is shown, never found). A Japanese character is in at
most two pairs of three bytes each, so the words of all four fields stay under 800 KB.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from core import pagecache

from .models.queries import CARD_FIELDS

MAX_QUERY_LENGTH = 200
# Results are ranked among the newest SEARCH_LIMIT matches: a word found in every article
# then costs no more than a rare one, and readers of a commentary archive want recent pieces.
SEARCH_LIMIT = 500
CJK_RUN = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
LATIN_WORD = re.compile(r"\w+")
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|figcaption|th|td)>", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(r'<sup class="fn-ref">.*?</sup>')
CLOSING_TAG = re.compile(r"</(?:p|h[1-6]|li|th|td|figcaption|span|blockquote)>")
TEXT_CONFIG = {"en": "english", "ja": "simple"}
RESULT_FIELDS = [*CARD_FIELDS, "body_html"]  # a card, and the body for its excerpt
INDEXED_LENGTH = {"title": 1_000, "names": 10_000, "lead": 20_000, "body": 100_000}


def clean_query(query):
    """At most MAX_QUERY_LENGTH printable characters: no NUL or control codes reach SQL."""
    printable = "".join(char for char in query or "" if char.isprintable() or char == " ")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def plain_text(html):
    return unescape(strip_tags(html or ""))


def body_text(html):
    """A rendered body with its footnote marks out (a note's number is no part of the word it
    follows) and a space before each closing tag (table cells and notes are words apart)."""
    return CLOSING_TAG.sub(r" \g<0>", FOOTNOTE_MARK.sub("", html or ""))


def bigrams(run):
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text, field="body"):
    """The first INDEXED_LENGTH[field] characters of the text, each run of Japanese
    characters spelled out as overlapping pairs."""
    text = (text or "")[: INDEXED_LENGTH[field]]
    return CJK_RUN.sub(lambda match: f" {' '.join(bigrams(match.group()))} ", text)


def names(article):
    people = [(author.name_ja, author.name_en) for author in article.authors.all()]
    topics = [(tag.name, tag.name_ja) for tag in article.tags.all()]
    return " ".join(name for pair in people + topics for name in pair if name)


def entry(article):
    """What an article is found by: (id, text configuration, title, names, lead, body), each
    text with its Japanese runs spelled out as pairs; update_rows() weighs them."""
    return (
        article.pk,
        TEXT_CONFIG.get(article.language, "simple"),
        index_text(article.title, "title"),
        index_text(names(article), "names"),
        index_text(article.lead_text, "lead"),
        index_text(plain_text(body_text(article.body_html)), "body"),
    )


def update_search_vector(article):
    pending = _pending.get()
    if pending is not None:
        pending.add(article.pk)
        return
    if connection.vendor == "postgresql" and article.pk:
        update_rows(article._meta.db_table, [entry(article)])
        pagecache.changed(pagecache.ANY)  # raw SQL sends no signals: searches are out of date


_pending = ContextVar("search_pending", default=None)
BATCH = 500


@contextmanager
def deferred():
    """Within it, saves only note which articles changed; their search entries are rebuilt
    together, BATCH at a time, when it ends (or at each flush() of the set it yields): an
    import of thousands of pieces does not rebuild an entry per save and per byline."""
    pending = set()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
        reindex(pending)


def flush(pending):
    reindex(pending)
    pending.clear()


def reindex(pks):
    """Rebuilds the search entries of the articles with these ids, one UPDATE per batch."""
    from .models import Article

    if connection.vendor != "postgresql":
        return
    pks = sorted(pk for pk in pks if pk)
    for start in range(0, len(pks), BATCH):
        articles = Article.objects.filter(pk__in=pks[start : start + BATCH]).prefetch_related(
            "authors", "tags"
        )
        rows = [entry(article) for article in articles]
        if rows:
            update_rows(Article._meta.db_table, rows)


def update_rows(table, rows):
    """Writes the search vector of each entry(): title and names weigh most, then the lead,
    then the body; one UPDATE for all the rows."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS article SET search_vector =
                setweight(to_tsvector(v.config::regconfig, v.title), 'A')
                || setweight(to_tsvector('simple', v.names), 'A')
                || setweight(to_tsvector(v.config::regconfig, v.lead), 'B')
                || setweight(to_tsvector(v.config::regconfig, v.body), 'C')
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
                AS v(id, config, title, names, lead, body)
            WHERE article.id = v.id
            """,
            columns,
        )


@contextmanager
def one_reindex():
    """One save made of several writes (row, tags, bylines, bio line) is reindexed once,
    after commit, instead of once per write."""
    if _pending.get() is not None:
        yield  # within a deferral already (an import): its batches reindex these too
        return
    with deferred() as pending:
        yield
        changed = set(pending)
        pending.clear()
    transaction.on_commit(lambda: reindex(changed))


def tsquery(query):
    """The SearchQuery for a reader's words, or None when nothing in them is searchable."""
    parts = []
    latin = CJK_RUN.sub(" ", query)
    if LATIN_WORD.search(latin):
        # websearch syntax never raises on stray quotes or operators; stemmed or as typed.
        parts.append(
            SearchQuery(latin, config="english", search_type="websearch")
            | SearchQuery(latin, config="simple", search_type="websearch")
        )
    for run in CJK_RUN.findall(query):
        phrase = f"'{run}':*" if len(run) == 1 else " <-> ".join(f"'{g}'" for g in bigrams(run))
        parts.append(SearchQuery(phrase, config="simple", search_type="raw"))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined &= part
    return combined


def search(queryset, query):
    """The queryset's matches, best first: a queryset on SQLite, Results on Postgres."""
    query = clean_query(query)
    if connection.vendor != "postgresql":
        return contains_search(queryset, query)
    expression = tsquery(query)
    if expression is None:
        return queryset.none()
    newest = queryset.filter(search_vector=expression).order_by("-published_at")
    # Ranked in the query that finds them, the newest SEARCH_LIMIT only (ranking reads each
    # one's search vector); their ids alone: the page fetches its own rows.
    ranked = (
        queryset.model.objects.filter(pk__in=newest.values("pk")[:SEARCH_LIMIT])
        .annotate(rank=SearchRank(F("search_vector"), expression))
        .order_by("-rank", "-published_at")
        .values_list("pk", flat=True)
    )
    return Results(queryset, list(ranked))


class Results:
    """The ids of every match in order, and a page's rows fetched by them: counting the
    matches or paging through them asks the database nothing more (the paginator takes
    len(); a slice fetches that page's pieces, with what a result shows)."""

    def __init__(self, queryset, ids):
        self.queryset, self.ids = queryset, ids
        self.model = queryset.model

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        ids = self.ids[index]
        rows = self.queryset.filter(pk__in=ids).only(*RESULT_FIELDS) if ids else []
        found = {article.pk: article for article in rows}
        return [found[pk] for pk in ids if pk in found]


def contains_search(queryset, query):
    """The lesser mode, for SQLite: every word somewhere in the fields, newest first."""
    terms = query.split()
    if not terms:
        return queryset.none()
    matches = queryset.model.objects.all()
    for term in terms:
        matches = matches.filter(
            Q(title__icontains=term)
            | Q(lead__icontains=term)
            | Q(body__icontains=term)
            | Q(authors__name_en__icontains=term)
            | Q(authors__name_ja__icontains=term)
            | Q(tags__name__icontains=term)
            | Q(tags__name_ja__icontains=term)
        )
    newest = queryset.filter(pk__in=matches.values("pk")).order_by("-published_at")
    return queryset.filter(pk__in=newest.values("pk")[:SEARCH_LIMIT]).order_by("-published_at")


def highlight_pattern(query):
    """The regular expression that marks a (cleaned) query's words in results, or None."""
    terms = [re.escape(run) for run in CJK_RUN.findall(query)]
    for word in LATIN_WORD.findall(CJK_RUN.sub(" ", query)):
        if word.lower() in {"or", "and", "not"}:
            continue
        # A rough stem, for marking only: "relations" also marks "relation", "related".
        stem = word if len(word) <= 4 else word[: max(4, len(word) - 3)]
        terms.append(rf"\b{re.escape(stem)}\w*")
    return re.compile("|".join(terms), re.IGNORECASE) if terms else None


def marked(text, pattern):
    """The text escaped, with what the pattern matches wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    pieces, found = pattern.split(text), pattern.findall(text)
    html = [escape(pieces[0])]
    for match, rest in zip(found, pieces[1:], strict=True):
        html.append(f"<mark>{escape(match)}</mark>{escape(rest)}")
    return mark_safe("".join(html))


def passages(article):
    """The lead, then each paragraph, sub-heading and list item of the body, as plain text,
    one at a time: an excerpt stops at the first that matches."""
    lead = article.lead_text
    if lead:
        yield lead
    for part in BLOCK_END.split(body_text(article.body_html)):
        text = " ".join(plain_text(part).split())
        if text:
            yield text


def excerpt(article, pattern, width=180):
    """Up to `width` characters of one passage (a sub-heading never runs into the text
    after it): around the first match in the lead or body, else the start of the lead.
    Matches marked, HTML-safe."""
    texts = passages(article)
    text = first = next(texts, "")
    match = pattern.search(first) if pattern else None
    for candidate in texts if pattern and not match else ():
        match = pattern.search(candidate)
        if match:
            text = candidate
            break
    start = max(0, min(match.start() - width // 3, len(text) - width)) if match else 0
    if start and " " in text[start : match.start()]:
        start = text.index(" ", start) + 1  # from a whole word
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(f"{prefix}{marked(text[start : start + width], pattern)}{suffix}")
