"""Keep each article's search vector in step with what it is found by, and every cached
page in step with the content."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import Signal, receiver

from authors.models import Author

from . import counts
from .models import Article, Byline, Tag, TaggedArticle
from .search import update_search_vector

# Sent by the actions (articles.actions) once a write has committed:
# - text_changed(article): a saved piece's title, lead or body changed (translations listen);
# - commentary_changed(article, event): what the public sees of it changed, as `event`:
#   "published" (public now), "scheduled" (public at article.published_at), "updated" (a public
#   piece changed) or "unpublished" (no longer public: unpublished, ended early, trashed).
#   A scheduled piece becomes public at its second with no write at all: whoever must act
#   then also sweeps Article.objects.published() for what it has not handled.
text_changed = Signal()
commentary_changed = Signal()

# Which cached pages a save or delete of content touches: articles.invalidation.
from . import invalidation  # noqa: E402,F401


@receiver(post_migrate)
def code_changed(sender, **kwargs):
    # A deployment runs migrate: pages built by the old templates and code are out of date.
    counts.changed()


@receiver(post_save, sender=Article)
def index_article(sender, instance, raw=False, **kwargs):
    if not raw:
        update_search_vector(instance)


@receiver(m2m_changed, sender=TaggedArticle)
def index_after_tagging(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        update_search_vector(instance)


@receiver([post_save, post_delete], sender=Byline)
def index_after_byline(sender, instance, **kwargs):
    try:
        article = instance.article  # cached when saved from the article's form
    except Article.DoesNotExist:
        return  # deleted with its article
    update_search_vector(article)


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def index_after_renaming(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    for article in instance_articles(instance):
        update_search_vector(article)


def instance_articles(instance):
    if isinstance(instance, Author):
        return instance.articles.all()
    return Article.objects.filter(tags=instance)


@receiver([post_save, post_delete], sender="media_library.Image")
def figure_changed(sender, instance, created=False, raw=False, **kwargs):
    # Its alt text, caption and credit show in the bodies that have it: rendered again once
    # the change is committed (the actions import this module: asked for by name).
    if not created and not raw:
        from .actions import refresh_figures

        transaction.on_commit(partial(refresh_figures, instance.pk))
