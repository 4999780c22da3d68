from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleAdmin as BaseArticleAdmin
from articles.models import Article

from .models import TranslationLink

# For each inline, the form prefix and field of the inline for the opposite role.
OPPOSITE_INLINE = {
    "original": ("link_as_translation", "original"),
    "translation": ("link_as_original", "translation"),
}


class LinkFormSet(BaseInlineFormSet):
    """Refuses linking one article as an original and as a translation in the same save."""

    def clean(self):
        super().clean()
        prefix, field = OPPOSITE_INLINE[self.fk.name]
        opposite_kept = self.data.get(f"{prefix}-0-{field}") and not self.data.get(
            f"{prefix}-0-DELETE"
        )
        mine_kept = any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.forms
        )
        if mine_kept and opposite_kept:
            raise ValidationError(_("An article is either an original or a translation, not both."))


class LinkInline(admin.StackedInline):
    model = TranslationLink
    formset = LinkFormSet
    extra = 0
    max_num = 1
    readonly_fields = ["version_state"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and self.linked_side(obj) else 1

    @admin.display(description=_("other version"))
    def version_state(self, link):
        other = getattr(link, self.other_name, None)
        if other is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[other.pk])
        state = _("stale: the original changed since") if link.is_stale else _("in step")
        return format_html(
            '<a href="{}">{}</a> ({}, {}) — {}',
            url,
            other,
            other.get_language_display(),
            other.get_status_display(),
            state,
        )


class TranslationInline(LinkInline):
    fk_name = "original"
    other_name = "translation"
    fields = ["translation", "version_state"]
    autocomplete_fields = ["translation"]
    verbose_name = _("translation of this article")
    verbose_name_plural = _("translation of this article")

    def linked_side(self, article):
        return hasattr(article, "link_as_original")


class OriginalInline(LinkInline):
    fk_name = "translation"
    other_name = "original"
    fields = ["original", "version_state"]
    autocomplete_fields = ["original"]
    verbose_name = _("original of this translation")
    verbose_name_plural = _("original of this translation")

    def linked_side(self, article):
        return hasattr(article, "link_as_translation")


admin.site.unregister(Article)


@admin.register(Article)
class ArticleAdmin(BaseArticleAdmin):
    inlines = [*BaseArticleAdmin.inlines, TranslationInline, OriginalInline]
