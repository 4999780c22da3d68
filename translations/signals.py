"""Translators hear when the original of their translation changes."""

from django.dispatch import receiver

from articles import notifications
from articles.actions.rules import is_translator
from articles.signals import text_changed

from .models import TranslationLink


@receiver(text_changed)
def tell_translators(sender, article, **kwargs):
    link = (
        TranslationLink.objects.select_related("original", "translation__created_by", "created_by")
        .filter(original=article)
        .first()
    )
    if link is None or not link.is_stale:
        return
    followers = [link.translation.created_by, link.created_by]
    translators = [user for user in followers if user is not None and is_translator(user)]
    notifications.original_changed(link.translation, article, translators)
