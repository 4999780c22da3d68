from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import workflow
from articles.admin import ArticleAdmin as BaseArticleAdmin
from articles.models import Article, Byline, Series
from authors.models import Author
from core.admin import ContentManageableAdmin
from core.diff import diff_html

from .models import (
    SUBSTANCE_FIELDS,
    UNLINKED,
    TranslationError,
    TranslationLink,
    create_translation,
    link_of,
)

DESK_LIMIT = 100

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

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_change(request, obj)

    def may_change(self, request, article):
        link = link_of(article) if article is not None else None
        if link is None:
            return True
        return workflow.may_change_pair(request.user, link.original, link.translation)

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
class ArticleAdmin(BaseArticleAdmin):
    inlines = [*BaseArticleAdmin.inlines, TranslationInline, OriginalInline]
    list_display = [*BaseArticleAdmin.list_display, "translation_state"]
    list_filter = [*BaseArticleAdmin.list_filter, TranslationStateFilter]
    list_select_related = [
        *BaseArticleAdmin.list_select_related,
        "link_as_original__translation",
        "link_as_translation__original",
    ]
    change_form_template = "admin/articles/article/translation_change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_link"] = workflow.may_link(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("translation"))
    def translation_state(self, article):
        link = link_of(article)
        if link is None:
            return "—"
        role = _("original") if link.original_id == article.pk else _("translation")
        return format_html("{} · {}", role, link_state(link))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(require_POST(self.translate_view)),
                name="articles_article_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request, object_id):
        original = get_object_or_404(Article, pk=object_id)
        if not (workflow.may_link(request.user) and workflow.may_view(request.user, original)):
            raise PermissionDenied
        try:
            draft = create_translation(original, request.user)
        except TranslationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:articles_article_change", original.pk)
        self.message_user(
            request,
            _("A linked draft in %(language)s was made: translate it below.")
            % {"language": draft.get_language_display()},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", draft.pk)


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
        return workflow.may_change_pair(request.user, link.original, link.translation)

    @admin.display(description=_("state"))
    def state(self, link):
        return link_state(link)

    @admin.action(description=_("Mark selected translations in step"), permissions=["change"])
    def mark_in_step(self, request, queryset):
        for link in queryset.select_related("original"):
            link.mark_in_step(request.user)
        self.message_user(request, _("Marked in step."), messages.SUCCESS)

    def get_urls(self):
        return [
            path("desk/", self.admin_site.admin_view(self.desk_view), name="translations_desk"),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="translations_translationlink_review",
            ),
            *super().get_urls(),
        ]

    def desk_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        articles = (
            Article.objects.untrashed()
            .select_related("series")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )
        links = TranslationLink.objects.select_related("original__series", "translation").filter(
            original__deleted_at__isnull=True, translation__deleted_at__isnull=True
        )
        series = request.GET.get("series", "")
        author = request.GET.get("author", "")
        if series.isdigit():
            articles = articles.filter(series=series)
            links = links.filter(original__series=series)
        if author.isdigit():
            articles = articles.filter(authors=author)
            links = links.filter(original__authors=author)
        sections = [
            (
                _("Originals without a translation"),
                articles.filter(UNLINKED).order_by("-number"),
                "article",
            ),
            (_("Stale translations"), links.stale().order_by("-original__number"), "link"),
            (
                _("Translations not yet published"),
                links.unpublished().order_by("-original__number"),
                "link",
            ),
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translation desk"),
            "opts": self.model._meta,
            "sections": [
                {"title": title, "count": rows.count(), "rows": rows[:DESK_LIMIT], "kind": kind}
                for title, rows, kind in sections
            ],
            "limit": DESK_LIMIT,
            "all_series": Series.objects.all(),
            "all_authors": Author.objects.all(),
            "selected_series": series,
            "selected_author": author,
        }
        return TemplateResponse(request, "admin/translations/desk.html", context)

    def review_view(self, request, pk):
        link = get_object_or_404(
            TranslationLink.objects.select_related("original__series", "translation__series"),
            pk=pk,
        )
        if not self.has_view_permission(request, link):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            link.mark_in_step(request.user)
            self.message_user(request, _("The translation is marked in step."), messages.SUCCESS)
            return redirect("admin:translations_translationlink_review", link.pk)
        changes = [
            (
                Article._meta.get_field(field).verbose_name,
                diff_html(getattr(link, f"synced_{field}"), getattr(link.original, field)),
            )
            for field in SUBSTANCE_FIELDS
            if getattr(link, f"synced_{field}") != getattr(link.original, field)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review translation"),
            "opts": self.model._meta,
            "link": link,
            "changes": changes,
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/translations/review.html", context)
