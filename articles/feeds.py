from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from authors.models import Author
from core.site import SiteRequest
from core.text import clean_text

from .models import Article, Tag

FEED_LENGTH = 20
DUBLIN_CORE = {"xmlns:dc": "http://purl.org/dc/elements/1.1/"}


def cleaned(values):
    return {
        key: [clean_text(item) for item in value] if isinstance(value, list | tuple)
        else clean_text(value)
        for key, value in values.items()
    }  # fmt: skip


class CleanFeedMixin:
    """Text is cleaned when saved (core.text); this keeps a feed well-formed XML even for a
    row written around the models (raw SQL, an old backup)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **cleaned(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **cleaned(kwargs))


class CleanRssFeed(CleanFeedMixin, Rss201rev2Feed):
    pass


class CleanAtomFeed(CleanFeedMixin, Atom1Feed):
    pass


class BylineRssFeed(CleanRssFeed):
    """RSS with one dc:creator per author: Django's feeds name a single author."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["co_authors"]:
            handler.addQuickElement("dc:creator", name, DUBLIN_CORE)


class BylineAtomFeed(CleanAtomFeed):
    """Atom with one <author> per author."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["co_authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


def with_public_pieces(model, lookup):
    """Authors or topics with a public commentary in the page's language: elsewhere their
    page is a 404, and so is their (empty) feed."""
    theirs = Article.objects.published().in_language().filter(**{lookup: OuterRef("pk")})
    return model.objects.filter(Exists(theirs))


class LatestFeed(Feed):
    """The newest public commentaries in the page's language (RSS 2.0)."""

    feed_type = BylineRssFeed

    def __call__(self, request, *args, **kwargs):
        # Its addresses on SITE_URL, never on the request's Host (core.site).
        return super().__call__(SiteRequest(request), *args, **kwargs)

    def get_object(self, request, **kwargs):
        return None

    def title(self, obj):
        return _("Japan Institute for National Fundamentals: latest commentaries")

    def description(self, obj):
        return _("New commentaries as they are published.")

    subtitle = description

    def link(self, obj):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published().in_language().with_topics()

    def items(self, obj):
        return self.articles(obj)[:FEED_LENGTH]

    def item_title(self, item):
        return item.numbered_title

    def item_description(self, item):
        # RSS description and Atom summary are HTML: the summary is the lead's text, escaped.
        return escape(item.lead_text) if item.lead else item.body_html

    def item_author_name(self, item):
        authors = item.ordered_authors
        return authors[0].name if authors else None

    def item_extra_kwargs(self, item):
        return {"co_authors": [author.name for author in item.ordered_authors[1:]]}

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [tag.label for tag in item.topics]


class AuthorFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(with_public_pieces(Author, "authors"), slug=slug)

    def title(self, author):
        return _("Commentaries by %(name)s") % {"name": author.name}

    def link(self, author):
        return author.get_absolute_url()

    def articles(self, author):
        return super().articles(author).filter(authors=author)


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(with_public_pieces(Tag, "tags"), slug=slug)

    def title(self, tag):
        return _("Commentaries on %(tag)s") % {"tag": tag.label}

    def link(self, tag):
        return tag.get_absolute_url()

    def articles(self, tag):
        return super().articles(tag).filter(tags=tag)


class LatestAtomFeed(LatestFeed):
    feed_type = BylineAtomFeed


class AuthorAtomFeed(AuthorFeed):
    feed_type = BylineAtomFeed


class TagAtomFeed(TagFeed):
    feed_type = BylineAtomFeed
