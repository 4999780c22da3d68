from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from authors.models import Author

from .models import Article, Tag

FEED_LENGTH = 20


class LatestFeed(Feed):
    """The newest public commentaries in the page's language (RSS 2.0)."""

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
        return item.lead or item.body_html

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [tag.label for tag in item.topics]


class AuthorFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return _("Commentaries by %(name)s") % {"name": author.name}

    def link(self, author):
        return author.get_absolute_url()

    def articles(self, author):
        return super().articles(author).filter(authors=author)


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return _("Commentaries on %(tag)s") % {"tag": tag.label}

    def link(self, tag):
        return tag.get_absolute_url()

    def articles(self, tag):
        return super().articles(tag).filter(tags=tag)


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
