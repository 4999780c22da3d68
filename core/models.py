from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import pagecache
from .text import CleansText


class ContentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """update() sends no signal: it starts a new generation of the public pages itself
        (core.pagecache), as a save of the same rows would."""
        tags_of = pagecache.ROW_TAGS.get(self.model._meta.label)  # the rows' pages only
        before = tags_of(self) if tags_of else None
        rows = super().update(**kwargs)
        after = tags_of(self) if tags_of and before is not None else None
        pagecache.changed(*(before | after) if after is not None else ())
        return rows


class ContentManageable(CleansText, models.Model):
    """Who made a record and when, kept the same way on every editable model, whose writes
    all make the public pages out of date (ContentQuerySet, and the content apps' signals)."""

    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
