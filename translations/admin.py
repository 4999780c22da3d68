from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.actions import rules
from articles.admin import ArticleAdmin
from articles.models import UNLINKED, Article, link_of
from core.admin import ContentManageableAdmin

from . import actions, admin_views
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

    # Saved through translations.actions, with the permission checks of the pairs.
    user = None

    def save_new(self, form, commit=True):
        link = form.save(commit=False)
        return actions.pair(link.original, link.translation, self.user)

    def save_existing(self, form, obj, commit=True):
        link = form.save(commit=False)
        return actions.change_pair(link, self.user, link.original, link.translation)

    def delete_existing(self, obj, commit=True):
        if commit:
            actions.unpair(obj, self.user)


def link_state(link):
    if link.is_stale:
        return format_html(
            '<strong class="translation-stale">{}</strong> <a href="{}">{}</a>',
            _("Stale"),
            reverse("admin:translations_translationlink_review", args=[link.pk]),
            _("see what changed"),
        )
    return format_html(
        '{} <a href="{}">{}</a>',
        _("In step"),
        reverse("admin:translations_translationlink_review", args=[link.pk]),
        _("compare"),
    )


class LinkInline(admin.StackedInline):
    model = TranslationLink
    formset = LinkFormSet
    readonly_fields = ["version_state"]
    extra = 0  # "Add another" opens a form when wanted: no empty forms on every page

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_change(request, obj)

    def may_change(self, request, article):
        link = link_of(article) if article is not None else None
        if link is None:
            return True
        return rules.may_change_pair(request.user, link.original, link.translation)

    def get_max_num(self, request, obj=None, **kwargs):
        # A linked article shows its link on its own side only: one pair per article.
        if obj is not None and link_of(obj) is not None and not self.linked_side(obj):
            return 0
        return 1

    @admin.display(description=_("other version"))
    def version_state(self, link):
        other = getattr(link, self.other_name, None)
        if other is None or link.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({}, {}) — {}',
            reverse("admin:articles_article_change", args=[other.pk]),
            other,
            other.get_language_display(),
            other.status_now.label,
            link_state(link),
        )


class TranslationInline(LinkInline):
    fk_name = "original"
    other_name = "translation"
    fields = ["translation", "version_state"]
    autocomplete_fields = ["translation"]
    verbose_name = verbose_name_plural = _("translation of this article")

    def linked_side(self, article):
        return hasattr(article, "link_as_original")


class OriginalInline(LinkInline):
    fk_name = "translation"
    other_name = "original"
    fields = ["original", "version_state"]
    autocomplete_fields = ["original"]
    verbose_name = verbose_name_plural = _("original of this translation")

    def linked_side(self, article):
        return hasattr(article, "link_as_translation")


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("none", _("Not linked to a translation")),
            ("stale", _("Stale: original changed")),
            ("draft", _("Translation not yet published")),
            ("in_step", _("In step")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(UNLINKED)
        links = {
            "stale": TranslationLink.objects.stale(),
            "draft": TranslationLink.objects.unpublished(),
            "in_step": TranslationLink.objects.in_step(),
        }.get(self.value())
        if links is None:
            return queryset
        return queryset.filter(Q(link_as_original__in=links) | Q(link_as_translation__in=links))


admin.site.unregister(Article)


@admin.register(Article)
class TranslatedArticleAdmin(ArticleAdmin):
    """The commentary admin with its translation: the pair's inlines, state and filter, and
    "Create translation" (translations sits above articles, which never imports it)."""

    inlines = [*ArticleAdmin.inlines, TranslationInline, OriginalInline]
    list_display = [*ArticleAdmin.list_display, "translation_state"]
    list_filter = [*ArticleAdmin.list_filter, TranslationStateFilter]
    list_select_related = [
        *ArticleAdmin.list_select_related,
        "link_as_original__translation",
        "link_as_translation__original",
    ]
    change_form_template = "admin/articles/article/translation_change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_link"] = rules.may_link(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("translation"))
    def translation_state(self, article):
        link = link_of(article)
        if link is None:
            return "—"
        role = _("original") if link.original_id == article.pk else _("translation")
        return format_html("{} · {}", role, link_state(link))

    def get_urls(self):
        return [*admin_views.article_urls(self), *super().get_urls()]


@admin.register(TranslationLink)
class TranslationLinkAdmin(ContentManageableAdmin):
    list_display = ["original", "translation", "state", "synced_at"]
    list_select_related = ["original", "translation"]
    autocomplete_fields = ["original", "translation"]
    search_fields = ["original__title", "translation__title", "=original__number"]
    actions = ["mark_in_step"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_change(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_change(request, obj))

    def may_change(self, request, link):
        return rules.may_change_pair(request.user, link.original, link.translation)

    @admin.display(description=_("state"))
    def state(self, link):
        return link_state(link)

    # Writes through translations.actions

    def save_model(self, request, obj, form, change):
        if change:
            actions.change_pair(obj, request.user, obj.original, obj.translation)
        else:
            saved = actions.pair(obj.original, obj.translation, request.user)
            obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        actions.unpair(obj, request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            actions.unpair(link, request.user)

    @admin.action(description=_("Mark selected translations in step"), permissions=["change"])
    def mark_in_step(self, request, queryset):
        marked, refused = 0, 0
        for link in queryset:
            try:
                actions.mark_in_step(link, request.user)
                marked += 1
            except rules.NotAllowed:
                refused += 1
        if marked:
            self.message_user(request, _("Marked in step."), messages.SUCCESS)
        if refused:
            message = _("Only editors mark a pair with a public side in step: %(count)d left.")
            self.message_user(request, message % {"count": refused}, messages.WARNING)

    def get_urls(self):
        return [*admin_views.link_urls(self), *super().get_urls()]
