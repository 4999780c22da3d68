from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import SUBSTANCE_FIELDS, Article
from core.models import ContentManageable, ContentQuerySet


def out_of_step():
    """The condition (Q) of a stale link: its original changed since it was last in step."""
    changed = Q()
    for field in SUBSTANCE_FIELDS:
        changed |= ~Q(**{f"synced_{field}": F(f"original__{field}")})
    return changed


class TranslationLinkQuerySet(ContentQuerySet):
    def stale(self):
        return self.filter(out_of_step())

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
