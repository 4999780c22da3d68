"""Which cached pages a change of content touches (core.pagecache's tags).

A page being built names what it shows as it reads it: every piece, author, series and
topic row read (post_init) adds its tag, `a<pk>`, `au<pk>`, `s<pk>`, `t<pk>`. Lists of
pieces are named by what decides who is in them:

- `lists`: any list of public pieces (home, archives, topics, authors, feeds; every page
  but a commentary's, which is precise: core.pagecache.precise());
- `ls:<series>:<language>`, `lt:<topic>:<language>`: who is in a series or under a topic
  in a language (a commentary's previous, next and related pieces);
- `nav:<language>`: which series have public pieces in a language (every page's navigation);
- `any`: every change at all (search results and sitemaps: any word may change them).

A saved piece touches its own tag and `any`; when who is public, or where, may change
(created, deleted, published, unpublished, scheduled, moved, re-tagged, bulk updated), also
the lists it is and was in, the pages of its versions in other languages, and `nav` when its
series may have appeared or gone in that language. Authors, series and topics touch their
own tag and `lists` (their list pages). The coming scheduled changes (upcoming()) bound the
pages of the same tags to their second.
"""

from datetime import timedelta

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation

from authors.models import Author
from core import pagecache
from core import warm as warm_pages
from translations.models import TranslationLink

from .models import Article, Byline, Series, Tag, TaggedArticle
from .signals import commentary_changed

PREFIXES = {Article: "a", Author: "au", Series: "s", Tag: "t"}
STATE = ("status", "published_at", "unpublish_at", "deleted_at", "series_id", "number", "language")
# Content that no public page shows: saving it changes no page.
UNSHOWN = {"revision", "workflowevent", "previewlink"}


def tag(instance):
    return f"{PREFIXES[type(instance)._meta.concrete_model]}{instance.pk}"


def shown(sender, instance, **kwargs):
    if pagecache.collecting() and instance.pk is not None:
        pagecache.depends(tag(instance))


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender="articles.TrashedArticle")
def stored(sender, instance, raw=False, **kwargs):
    """Who is public, and where, as stored before a save (not as the instance was loaded:
    an update() may have changed the row since): saved() compares."""
    instance._listed = None
    if instance.pk is not None and not raw:
        instance._listed = Article.objects.filter(pk=instance.pk).values_list(*STATE).first()


for model in PREFIXES:
    post_init.connect(shown, sender=model, dispatch_uid=f"invalidation-shown-{model.__name__}")
post_init.connect(shown, sender="articles.TrashedArticle", dispatch_uid="invalidation-trashed")


def membership_tags(rows, new=False):
    """The tags of the lists these pieces ([(pk, series_id, language)]) are in, of their
    versions' pages, and of the navigation where their series may have appeared or gone."""
    rows = list(rows)
    if not rows:
        return set()
    pks = [pk for pk, _series, _language in rows]
    tags = {pagecache.LISTS, *(f"a{pk}" for pk in pks)}
    languages = {pk: language for pk, _series, language in rows}
    for _pk, series, language in rows:
        tags.add(f"ls:{series}:{language}")
        shown_in_series = Article.objects.published().filter(series_id=series, language=language)
        if shown_in_series[:2].count() <= 1:  # its series may have appeared or gone
            tags.add(f"nav:{language}")
    if new:  # no topic nor translation link yet: those add their own tags when made
        return tags
    for article_id, tag_id in TaggedArticle.objects.filter(content_object_id__in=pks).values_list(
        "content_object_id", "tag_id"
    ):
        tags.add(f"lt:{tag_id}:{languages[article_id]}")
    either = Q(original_id__in=pks) | Q(translation_id__in=pks)
    for original, translated in TranslationLink.objects.filter(either).values_list(
        "original_id", "translation_id"
    ):
        tags.update({f"a{original}", f"a{translated}"})
    return tags


def live(state):
    """Whether a piece in this STATE is or may become public (published, not trashed)."""
    return bool(state) and state[0] == "published" and state[3] is None


def article_tags(article, membership=True, created=False):
    tags = {pagecache.ANY, f"a{article.pk}"}
    now = tuple(article.__dict__.get(name, KeyError) for name in STATE)
    if not live(getattr(article, "_listed", None)) and now[0] != "published":
        return {f"a{article.pk}"}  # a draft, or in the trash, before and after: no list
    if membership:
        rows = [(article.pk, article.series_id, article.language)]
        before = getattr(article, "_listed", None)
        if before:
            rows.append((article.pk, before[4], before[6]))  # where it was
        tags |= membership_tags(rows, new=created)
    return tags


def membership_moved(article):
    before = getattr(article, "_listed", None)
    now = tuple(article.__dict__.get(name, KeyError) for name in STATE)
    return before is None or before != now


def article_changed(article, membership=True):
    """For writes that send no signal (bulk_create of its bylines): the pages of a piece."""
    pagecache.changed(*article_tags(article, membership))


def rows_changed(queryset):
    """Called by QuerySet.update() of pieces, before and after: the tags of the rows."""
    rows = queryset.values_list("pk", "series_id", "language")[:101]
    if len(rows) > 100:
        return None  # a bulk change of many: every page
    return {pagecache.ANY} | membership_tags(rows)


pagecache.ROW_TAGS["articles.Article"] = rows_changed


@receiver(post_save)
def saved(sender, instance, created=False, raw=False, **kwargs):
    label = sender._meta.app_label
    if label not in CONTENT_APPS or sender._meta.model_name in UNSHOWN:
        return
    pagecache.changed(*tags_of(instance, created))


def tags_of(instance, created=False, deleted=False):
    """The tags a save or delete of this row touches (none: every page)."""
    if isinstance(instance, Article):
        moved = created or deleted or membership_moved(instance)
        return article_tags(instance, moved, created=created)
    if isinstance(instance, Author | Series | Tag):
        return {tag(instance), pagecache.LISTS, pagecache.ANY}
    if isinstance(instance, Byline):
        return {f"a{instance.article_id}", f"au{instance.author_id}", pagecache.LISTS, "any"}
    if isinstance(instance, TaggedArticle):
        article = instance._state.fields_cache.get("content_object")  # as taggit saves it
        if article is not None and article.status != "published":
            return {f"a{article.pk}"}  # a draft's topics: on no public page
        language = getattr(article, "language", None)
        return topic_tags(instance.content_object_id, [instance.tag_id], language)
    if isinstance(instance, TranslationLink):
        return {f"a{instance.original_id}", f"a{instance.translation_id}", pagecache.ANY}
    return set()  # unknown: every page


def topic_tags(article_id, tag_ids, language=None):
    if language is None:
        language = Article.objects.filter(pk=article_id).values_list("language", flat=True).first()
    tags = {f"a{article_id}", pagecache.LISTS, pagecache.ANY}
    return tags | {f"lt:{tag_id}:{language}" for tag_id in tag_ids}


def deleted(sender, instance, **kwargs):
    pagecache.changed(*tags_of(instance, deleted=True))


for model in (Article, Byline, Series, Tag, Author, TranslationLink):
    post_delete.connect(deleted, sender=model, dispatch_uid=f"invalidation-deleted-{model}")


@receiver(m2m_changed, sender=TaggedArticle)
def retagged(sender, instance, action, pk_set=None, **kwargs):
    if not isinstance(instance, Article):
        return
    if action in {"pre_clear", "post_add", "post_remove"}:
        if action == "pre_clear":
            pk_set = set(instance.tagged_items.values_list("tag_id", flat=True))
        if instance.status != "published":
            pagecache.changed(f"a{instance.pk}")  # a draft's topics: on no public page
            return
        pagecache.changed(*topic_tags(instance.pk, pk_set or (), instance.language))


CONTENT_APPS = {"articles", "authors", "translations", "taggit"}


SCHEDULED_AT_MOST = 50


def upcoming():
    """[(instant, tags)]: the scheduled starts and ends of publication within the hour (as
    time.time() instants), with the tags of the pages each changes. Should there be more than
    SCHEDULED_AT_MOST of either, the last one read bounds every page (ALL)."""
    now = timezone.now()
    soon = now + timedelta(seconds=pagecache.LONGEST)
    coming = []
    fields = ("pk", "series_id", "language")
    for moment in ("published_at", "unpublish_at"):
        rows = Article.objects.live().filter(**{f"{moment}__gt": now, f"{moment}__lte": soon})
        rows = rows.order_by(moment).values_list(*fields, moment)[:SCHEDULED_AT_MOST]
        for pk, series, language, instant in rows:
            # nav: when its series may appear or go there (membership_tags)
            tags = {pagecache.ANY} | membership_tags([(pk, series, language)])
            coming.append((instant.timestamp(), tags))
        if len(rows) == SCHEDULED_AT_MOST:
            coming.append((instant.timestamp(), {pagecache.ALL}))
    return coming


@receiver(commentary_changed)
def warm(sender, article, event, **kwargs):
    """After a publication or change: the piece's page, its home and its series' page built
    again by the job queue (core.warm), before readers ask."""
    if not warm_pages.enabled():
        return
    with translation.override(article.language):
        paths = [reverse("articles:home"), article.series.get_absolute_url()]
        if event in {"published", "updated"}:
            paths.append(article.get_absolute_url())
    warm_pages.after_commit(paths)
