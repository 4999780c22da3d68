"""The pairs' actions: a translation made from its original, two pieces paired or unpaired,
a pair marked in step. Like articles.actions, each checks the actor's permission, runs in one
transaction and leaves the database as it was when it refuses."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from articles import actions
from articles.actions.common import person
from articles.actions.rules import may_change_pair, may_link, may_publish, may_view, require
from articles.models import Article, link_of

from .models import TranslationLink


class TranslationError(Exception):
    pass


def other_language(language):
    return next(code for code, _name in settings.LANGUAGES if code != language)


def already_linked(*articles, exclude=None):
    """Whether any of these articles is in a pair (other than `exclude`)."""
    links = TranslationLink.objects.filter(Q(original__in=articles) | Q(translation__in=articles))
    if exclude is not None:
        links = links.exclude(pk=exclude.pk)
    return links.exists()


@transaction.atomic
def create_translation(original, user):
    """A draft in the other language, linked to the original, with its series, number,
    authors, tags and lead image, and its text to translate over (the image's description
    too: the form asks for it in the new language)."""
    require(may_link(user) and may_view(user, original), _("You may not translate this."))
    original = Article.objects.select_for_update().get(pk=original.pk)
    if original.deleted_at is not None:
        raise TranslationError(_("This article is in the trash."))
    if already_linked(original):
        raise TranslationError(
            _("This article is already linked to a version in the other language.")
        )
    language = other_language(original.language)
    if Article.objects.filter(
        series=original.series, number=original.number, language=language
    ).exists():
        raise TranslationError(
            _(
                "There is already an article with this number in the other language: "
                "link it instead."
            )
        )
    copied = ["title", "slug", "lead", "body", "image_alt", "image_caption", "image_credit",
              "image_width", "image_height"]  # fmt: skip
    draft = Article(
        series=original.series,
        number=original.number,
        language=language,
        status=Article.Status.DRAFT,
        image=original.image.name,
        **{name: getattr(original, name) for name in copied},
    )
    draft._stored_names = {"image": original.image.name}  # the same file: shown, not stored again
    authors = [byline.author_id for byline in original.bylines.all()]
    tags = list(original.tags.all())

    def related():
        actions.set_bylines(draft, authors)
        draft.tags.set(tags)

    actions.save(draft, user, note=_("Created as a translation"), save_related=related)
    pair(original, draft, user)
    return draft


@transaction.atomic
def pair(original, translation, user):
    """Links an original and its translation. A pair whose two sides are public shows at
    once on public pages: editors alone make that one."""
    require(may_link(user), _("You may not link translations."))
    both_public = original.is_published() and translation.is_published()
    require(not both_public or may_publish(user), _("Only editors pair two public pieces."))
    Article.objects.select_for_update().filter(pk__in=[original.pk, translation.pk]).exists()
    if already_linked(original, translation):
        raise TranslationError(_("One of these commentaries is already linked to another."))
    link = TranslationLink(
        original=original, translation=translation, created_by=person(user),
        updated_by=person(user),
    )  # fmt: skip
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def change_pair(link, user, original, translation):
    """Re-pairs: the link's two sides become these (an admin form's edit of the pair)."""
    stored = TranslationLink.objects.select_for_update().get(pk=link.pk)
    sides = (stored.original, stored.translation, original, translation)
    require(may_change_pair(user, *sides), _("Only editors change a pair with a public side."))
    if already_linked(original, translation, exclude=stored):
        raise TranslationError(_("One of these commentaries is already linked to another."))
    stored.original, stored.translation, stored.updated_by = original, translation, person(user)
    stored.full_clean()
    stored.take_snapshot()
    stored.save()
    return stored


@transaction.atomic
def unpair(link, user):
    stored = TranslationLink.objects.select_for_update().get(pk=link.pk)
    require(
        may_change_pair(user, stored.original, stored.translation),
        _("Only editors unpair a pair with a public side."),
    )
    stored.delete()


@transaction.atomic
def mark_in_step(link, user):
    """The translation follows its original as it is now."""
    stored = TranslationLink.objects.select_for_update().select_related("original").get(pk=link.pk)
    require(
        may_change_pair(user, stored.original, stored.translation),
        _("Only editors mark a pair with a public side in step."),
    )
    stored.take_snapshot()
    stored.updated_by = person(user)
    stored.save()
    return stored


def link_by_number(article, user):
    """Pairs a new article with its other-language version of the same series and number,
    whichever came first; the Japanese one is the original. None when there is none to pair
    with, or it is paired already."""
    other = (
        Article.objects.untrashed()
        .filter(series=article.series, number=article.number)
        .exclude(language=article.language)
        .first()
    )
    if other is None or link_of(other) is not None or link_of(article) is not None:
        return None
    original, translation = (article, other) if article.language == "ja" else (other, article)
    return pair(original, translation, user)
