from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import CARD_FIELDS, Article, Byline, Revision
from articles.workflow import SUBSTANCE_FIELDS
from core.models import ContentManageable, ContentQuerySet


class TranslationLinkQuerySet(ContentQuerySet):
    def stale(self):
        changed = Q()
        for field in SUBSTANCE_FIELDS:
            changed |= ~Q(**{f"synced_{field}": F(f"original__{field}")})
        return self.filter(changed)

    def in_step(self):
        return self.exclude(pk__in=self.stale().values("pk"))

    def unpublished(self):
        """Links whose translation the public cannot read yet (draft or scheduled)."""
        return self.exclude(translation__in=Article.objects.published())


class TranslationLink(ContentManageable):
    """A Japanese original and its English translation (or the reverse), as one pair.

    The link keeps a snapshot of the original as it was when the translation was last
    brought in step, so editors can see what changed since, not just that something did.
    """

    original = models.OneToOneField(
        Article,
        verbose_name=_("original"),
        related_name="link_as_original",
        on_delete=models.PROTECT,
        error_messages={"unique": _("This article already has a translation.")},
    )
    translation = models.OneToOneField(
        Article,
        verbose_name=_("translation"),
        related_name="link_as_translation",
        on_delete=models.PROTECT,
        error_messages={"unique": _("This article is already the translation of another.")},
    )
    synced_at = models.DateTimeField(_("last brought in step"), null=True, blank=True)
    synced_title = models.CharField(max_length=255, blank=True, editable=False)
    synced_lead = models.TextField(blank=True, editable=False)
    synced_body = models.TextField(blank=True, editable=False)

    objects = TranslationLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-original__number"]
        get_latest_by = "created"
        verbose_name = _("translation link")
        verbose_name_plural = _("translation links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(original=F("translation")), name="translation_link_two_articles"
            ),
        ]

    def __str__(self):
        return f"{self.original} → {self.translation}"

    def clean(self):
        original = getattr(self, "original", None)
        translation = getattr(self, "translation", None)
        if original is None or translation is None:
            return
        if original.pk == translation.pk:
            raise ValidationError(_("An article cannot be its own translation."))
        if original.language == translation.language:
            raise ValidationError(
                _("A translation must be in the other language than its original.")
            )
        others = TranslationLink.objects.exclude(pk=self.pk)
        if others.filter(Q(translation=original) | Q(original=translation)).exists():
            raise ValidationError(
                _(
                    "Each article has at most one version per language: one of these two is "
                    "already linked to another version."
                )
            )

    def save(self, *args, **kwargs):
        if self._state.adding and self.synced_at is None:
            self.take_snapshot()
        super().save(*args, **kwargs)

    def mark_in_step(self, user=None):
        self.take_snapshot()
        self.updated_by = user
        self.save()

    def take_snapshot(self):
        for field in SUBSTANCE_FIELDS:
            setattr(self, f"synced_{field}", getattr(self.original, field))
        self.synced_at = timezone.now()

    @property
    def is_stale(self):
        return any(
            getattr(self, f"synced_{field}") != getattr(self.original, field)
            for field in SUBSTANCE_FIELDS
        )


class TranslationError(Exception):
    pass


def other_language(language):
    return next(code for code, _name in settings.LANGUAGES if code != language)


@transaction.atomic
def create_translation(original, user=None):
    """A draft in the other language, linked to the original, with its series, number,
    authors and tags, and its text to translate over."""
    if original.deleted_at is not None:
        raise TranslationError(_("This article is in the trash."))
    if link_of(original) is not None:
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
    draft = Article.objects.create(
        series=original.series,
        number=original.number,
        language=language,
        title=original.title,
        slug=original.slug,
        lead=original.lead,
        body=original.body,
        status=Article.Status.DRAFT,
        created_by=user,
        updated_by=user,
    )
    Byline.objects.bulk_create(
        Byline(article=draft, author_id=byline.author_id, position=byline.position)
        for byline in original.bylines.all()
    )
    draft.tags.set(original.tags.all())
    draft.author_note = draft.default_author_note()
    draft.save(update_fields=["author_note"])
    TranslationLink.objects.create(
        original=original, translation=draft, created_by=user, updated_by=user
    )
    Revision.record(draft, user, note=_("Created as a translation"))
    return draft


# Articles in no pair, as either original or translation.
UNLINKED = Q(link_as_original__isnull=True, link_as_translation__isnull=True)


def link_of(article):
    """The pair an article belongs to, in either role, or None."""
    return getattr(article, "link_as_original", None) or getattr(
        article, "link_as_translation", None
    )


def linked_version(article):
    """The article's version in the other language, or None; select_related the links
    (link_as_original__translation, link_as_translation__original) to save the queries."""
    link = link_of(article)
    if link is None:
        return None
    return link.translation if link.original_id == article.pk else link.original


def other_versions(article):
    """The versions of an article in other languages, as an Article queryset."""
    return Article.objects.filter(
        Q(link_as_original__translation=article) | Q(link_as_translation__original=article)
    )


def public_other_versions(article):
    """The article's versions in other languages that the public may see, as cards, each
    carrying `is_original` (whether it is the original of this one)."""
    return list(
        other_versions(article)
        .published()
        .select_related("series")
        .only(*CARD_FIELDS)
        .annotate(
            is_original=ExpressionWrapper(
                Q(link_as_original__translation=article), output_field=BooleanField()
            )
        )
    )


def public_versions(article):
    """{language: article} of the versions the public may see, the article itself included.
    The others are asked once a page (or put in `article.public_other_versions` beforehand)."""
    if not hasattr(article, "public_other_versions"):
        article.public_other_versions = public_other_versions(article)
    return {
        article.language: article,
        **{other.language: other for other in article.public_other_versions},
    }
