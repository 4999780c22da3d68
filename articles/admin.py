from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from taggit.models import Tag as TaggitTag

from core.admin import ContentManageableAdmin
from core.diff import diff_html
from core.markup import render_markdown

from .forms import ArticleAdminForm
from .models import Article, Byline, PreviewLink, Revision, Series, Tag, WorkflowEvent

REVISION_FIELDS = ["title", "lead", "body", "author_note", "tags", "authors", "status"]


@admin.register(Series)
class SeriesAdmin(ContentManageableAdmin):
    list_display = ["name_en", "name_ja", "slug", "next_number"]
    search_fields = ["name_en", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    @admin.display(description=_("next free number"))
    def next_number(self, series):
        return series.next_number()


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    extra = 1
    min_num = 1
    fields = ["author", "position"]


class PreviewLinkInline(admin.TabularInline):
    """Editors hand a time-limited, revocable address to an outside author or translator."""

    model = PreviewLink
    extra = 0
    fields = ["address", "expires_at", "revoked", "created_by"]
    readonly_fields = ["address", "created_by"]
    verbose_name_plural = _("shared preview links")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["expires_at"].initial = timezone.now() + timedelta(days=7)
        return formset

    @admin.display(description=_("address"))
    def address(self, link):
        if not link.pk:
            return _("Saved with the commentary")
        url = self.request.build_absolute_uri(link.get_absolute_url())
        state = _("valid") if link.is_valid() else _("expired or revoked")
        return format_html('<a href="{}">{}</a> ({})', url, url, state)

    def get_queryset(self, request):
        self.request = request
        return super().get_queryset(request)


class ReviewStateFilter(admin.SimpleListFilter):
    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Public now")), ("scheduled", _("Scheduled"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.live().filter(published_at__gt=timezone.now())
        return queryset


@admin.register(Article)
class ArticleAdmin(ContentManageableAdmin):
    form = ArticleAdminForm
    list_display = [
        "number",
        "title",
        "language",
        "byline",
        "series",
        "status",
        "published_at",
        "is_published",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "status",
        ReviewStateFilter,
        "language",
        "series",
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["series"]
    search_fields = ["title", "lead", "body", "=number"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline, PreviewLinkInline]
    actions = ["publish", "unpublish"]
    readonly_fields = [*ContentManageableAdmin.readonly_fields, "history", "image_preview"]
    change_list_template = "admin/articles/article/change_list.html"
    fieldsets = [
        (None, {"fields": ["series", "number", "language", "title", "slug"]}),
        (_("Text"), {"fields": ["lead", "body", "tags", "author_note"]}),
        (
            _("Lead image"),
            {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]},
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "comment", "lock_version"]}),
        (_("History"), {"classes": ["collapse"], "fields": ["history"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created", "created_by", "updated", "updated_by"],
            },
        ),
    ]

    class Media:
        js = ["js/body_preview.js"]
        css = {"all": ["css/admin.css"]}

    # Who may do what

    def can_publish(self, request):
        return request.user.has_perm("articles.publish_article")

    has_publish_permission = can_publish

    def may_edit(self, request, article):
        """Writers edit their own drafts; editors edit everything."""
        if self.can_publish(request):
            return True
        return article.status == Article.Status.DRAFT and article.created_by_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_edit(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_edit(request, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.can_publish(request) else [*fields, "published_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    # Lists

    @admin.display(description=_("authors"))
    def byline(self, article):
        return ", ".join(str(author) for author in article.ordered_authors)

    def changelist_view(self, request, extra_context=None):
        waiting = Article.objects.filter(status=Article.Status.REVIEW).count()
        return super().changelist_view(
            request, {"waiting_for_review": waiting, **(extra_context or {})}
        )

    # The form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        series = Series.objects.filter(pk=initial.get("series")).first()
        if series is None:
            latest = Article.objects.select_related("series").order_by("-created").first()
            series = latest.series if latest else Series.objects.first()
        if series is not None:
            initial.setdefault("series", series.pk)
            initial.setdefault("number", series.next_number())
        return initial

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else article.get_preview_url()

    @admin.display(description=_("preview"))
    def image_preview(self, article):
        if not article.image:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-thumbnail">', article.image.url)

    @admin.display(description=_("workflow and revisions"))
    def history(self, article):
        if not article.pk:
            return "—"
        events = format_html_join(
            "",
            "<li>{} · {} · {} → {}{}</li>",
            (
                (
                    timezone.localtime(event.created).strftime("%Y-%m-%d %H:%M"),
                    event.user or "—",
                    event.get_from_status_display(),
                    event.get_to_status_display(),
                    format_html(": “{}”", event.comment) if event.comment else "",
                )
                for event in article.events.select_related("user")[:20]
            ),
        )
        url = reverse("admin:articles_article_revisions", args=[article.pk])
        return format_html(
            '<ul class="workflow-history">{}</ul><p><a href="{}">{}</a></p>',
            events or format_html("<li>{}</li>", _("No status changes yet.")),
            url,
            _("Revisions: compare and restore"),
        )

    # Saving

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        previous = form.initial.get("status", Article.Status.DRAFT) if change else None
        comment = form.cleaned_data.get("comment", "")
        if previous != obj.status or comment:
            WorkflowEvent.objects.create(
                article=obj,
                from_status=previous or obj.status,
                to_status=obj.status,
                comment=comment,
                user=request.user,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not article.author_note:
            article.author_note = article.default_author_note()
            if article.author_note:
                article.save(update_fields=["author_note"])
        Revision.record(article, request.user, note=_("Saved") if change else _("Created"))

    # Bulk actions: editors only, checked by Django when listing and when running them

    @admin.action(description=_("Publish selected commentaries"), permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        articles = list(queryset.exclude(status=Article.Status.PUBLISHED))
        for article in articles:
            self.move(
                request, article, Article.Status.PUBLISHED, published_at=article.published_at or now
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d commentary published.",
                "%(count)d commentaries published.",
                len(articles),
            )
            % {"count": len(articles)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected commentaries"), permissions=["publish"])
    def unpublish(self, request, queryset):
        articles = list(queryset.filter(status=Article.Status.PUBLISHED))
        for article in articles:
            self.move(request, article, Article.Status.ARCHIVED)
        self.message_user(
            request,
            ngettext(
                "%(count)d commentary unpublished.",
                "%(count)d commentaries unpublished.",
                len(articles),
            )
            % {"count": len(articles)},
            messages.SUCCESS,
        )

    def move(self, request, article, status, **fields):
        previous = article.status
        article.status = status
        for name, value in fields.items():
            setattr(article, name, value)
        article.updated_by = request.user
        article.version += 1
        article.save()
        WorkflowEvent.objects.create(
            article=article, from_status=previous, to_status=status, user=request.user
        )
        Revision.record(article, request.user, note=_("Bulk action"))

    # Extra pages: revisions, body preview

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "render-body/",
                wrap(require_POST(self.render_body_view)),
                name="articles_article_render_body",
            ),
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def render_body_view(self, request):
        if not self.has_add_permission(request) and not self.has_change_permission(request):
            raise PermissionDenied
        return JsonResponse({"html": render_markdown(request.POST.get("body", ""))})

    def revisions_view(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = list(article.revisions.select_related("user"))
        wanted = request.GET.getlist("compare")
        # With nothing ticked yet, the page opens on the latest change.
        chosen = [r for r in revisions if str(r.pk) in wanted][:2] if wanted else revisions[:2]
        comparison = []
        if len(chosen) == 2:
            newer, older = chosen
            for field in REVISION_FIELDS:
                before, after = getattr(older, field), getattr(newer, field)
                if before != after:
                    label = Revision._meta.get_field(field).verbose_name
                    comparison.append((label, diff_html(as_text(before), as_text(after))))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions of %(article)s") % {"article": article},
            "opts": self.opts,
            "original": article,
            "revisions": revisions,
            "chosen": chosen,
            "comparison": comparison,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, revision_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = article.revisions.filter(pk=revision_id).first()
        if revision is None:
            raise Http404
        # Restoring never publishes by the back door: non-editors keep the current status.
        keep_status = not self.can_publish(request)
        revision.restore(request.user, keep_status=keep_status)
        self.message_user(request, _("The revision was restored."), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)


def as_text(value):
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value or "")


admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "slug", "article_count"]
    search_fields = ["name", "name_ja"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description=_("commentaries"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count
