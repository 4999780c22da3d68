"""Redirects made by themselves: when a commentary's series, number or language, or a
series', author's or topic's slug changes, its old addresses lead to the new ones (an
author's or topic's feeds included).

What an address is made of is remembered as each row is read (post_init, from the loaded
values alone: nothing deferred is fetched), so a save that moves nothing costs no query."""

from django.conf import settings
from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, Series, Tag
from authors.models import Author
from core.i18n import address

from . import records

PAGES = {Series: "articles:series", Author: "authors:detail", Tag: "articles:tag"}
# Feed readers keep an address for years: a renamed author's or topic's feeds move too.
FEEDS = {Author: ("articles:author-feed", "articles:author-feed-atom"),
         Tag: ("articles:tag-feed", "articles:tag-feed-atom")}  # fmt: skip
MADE_OF = {Article: ("series_id", "number", "language"), Series: ("slug",), Author: ("slug",),
           Tag: ("slug",)}  # fmt: skip


def loaded(instance):
    return tuple(instance.__dict__.get(name) for name in MADE_OF[type(instance)])


@receiver(post_init, sender=Article)
@receiver(post_init, sender=Series)
@receiver(post_init, sender=Author)
@receiver(post_init, sender=Tag)
def remember(sender, instance, **kwargs):
    instance._address_was = loaded(instance)


def stored(sender, instance):
    """What the address was made of when the row was read (read again if it was deferred)."""
    was = getattr(instance, "_address_was", None)
    if was is None or None in was:
        rows = sender.objects.filter(pk=instance.pk).values_list(*MADE_OF[sender])
        was = rows.first()
    return was


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender=Series)
@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Tag)
def note_move(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._moved_from = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {*MADE_OF[sender], "series"} & set(update_fields):
        return
    was = stored(sender, instance)
    if was is not None and was != loaded(instance):
        instance._moved_from = was


@receiver(post_save, sender=Article)
def article_moved(sender, instance, raw=False, **kwargs):
    moved_from, instance._moved_from = getattr(instance, "_moved_from", None), None
    instance._address_was = loaded(instance)
    if raw or moved_from is None:
        return
    series_id, number, language = moved_from
    slug = Series.objects.filter(pk=series_id).values_list("slug", flat=True).first()
    if slug:
        old_path = address("articles:detail", language, series=slug, number=number)
        records.moved(old_path, instance)


@receiver(post_save, sender=Series)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def slug_changed(sender, instance, raw=False, **kwargs):
    moved_from, instance._moved_from = getattr(instance, "_moved_from", None), None
    instance._address_was = loaded(instance)
    if raw or moved_from is None:
        return
    (old_slug,) = moved_from
    for language, _name in settings.LANGUAGES:
        records.moved(address(PAGES[sender], language, slug=old_slug), instance)
        for feed in FEEDS.get(sender, ()):
            records.address_moved(
                address(feed, language, slug=old_slug), address(feed, language, slug=instance.slug)
            )
    if sender is Series:
        # Every commentary of the series has moved with it.
        for article in Article.objects.untrashed().filter(series=instance).select_related("series"):
            old_path = address(
                "articles:detail", article.language, series=old_slug, number=article.number
            )
            records.moved(old_path, article)
