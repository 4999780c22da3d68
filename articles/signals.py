"""Keep each article's search vector in step with what it is found by."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from authors.models import Author

from . import counts
from .models import Article, Byline, Tag, TaggedArticle
from .search import update_search_vector


@receiver(post_save, sender=Article)
def index_article(sender, instance, raw=False, **kwargs):
    counts.changed()
    if not raw:
        update_search_vector(instance)


@receiver(post_delete, sender=Article)
@receiver(m2m_changed, sender=TaggedArticle)
def recount(sender, **kwargs):
    counts.changed()


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
