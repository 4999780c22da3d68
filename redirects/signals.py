"""Redirects made by themselves: when a commentary's series, number or language, or a
series', author's or topic's slug changes, its old addresses lead to the new ones."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, Series, Tag
from authors.models import Author
from core.i18n import address

from . import records

ADDRESS_FIELDS = {"series", "series_id", "number", "language"}
PAGES = {Series: "articles:series", Author: "authors:detail", Tag: "articles:tag"}


def moves_address(instance, raw, update_fields):
    if raw or instance._state.adding or instance.pk is None:
        return False
    return update_fields is None or bool({*ADDRESS_FIELDS, "slug"} & set(update_fields))


@receiver(pre_save, sender=Article)
def remember_article_address(sender, instance, raw=False, update_fields=None, **kwargs):
    if not moves_address(instance, raw, update_fields):
        return
    stored = Article.objects.filter(pk=instance.pk).values("series__slug", "number", "language")
    instance._old_addresses = [
        address(
            "articles:detail", row["language"], series=row["series__slug"], number=row["number"]
        )
        for row in stored
    ]


@receiver(pre_save, sender=Series)
@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Tag)
def remember_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    if moves_address(instance, raw, update_fields):
        instance._old_slug = (
            sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


@receiver(post_save, sender=Article)
def article_moved(sender, instance, **kwargs):
    for old_path in getattr(instance, "_old_addresses", ()):
        records.moved(old_path, instance)
    instance._old_addresses = ()


@receiver(post_save, sender=Series)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def slug_changed(sender, instance, **kwargs):
    old_slug, instance._old_slug = getattr(instance, "_old_slug", None), None
    if not old_slug or old_slug == instance.slug:
        return
    for language, _name in settings.LANGUAGES:
        records.moved(address(PAGES[sender], language, slug=old_slug), instance)
    if sender is Series:
        # Every commentary of the series has moved with it.
        for article in Article.objects.untrashed().filter(series=instance).select_related("series"):
            old_path = address(
                "articles:detail", article.language, series=old_slug, number=article.number
            )
            records.moved(old_path, article)
