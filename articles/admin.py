from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from taggit.models import Tag as TaggitTag

from core.admin import ContentManageableAdmin
from core.diff import diff_html
from core.markup import render_markdown

from . import trash, workflow
from .forms import ArticleAdminForm
from .models import (
    REVISION_FIELDS,
    Article,
    Byline,
    PreviewLink,
    Revision,
    Series,
    Tag,
    TrashedArticle,
)


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
    extra = 0  # min_num gives a new piece its one form; no empty form on every page
    min_num = 1
    fields = ["author", "position"]

    # A pending change keeps text and tags: the authors of a live piece are the editors'.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def may_edit(self, request, article):
        return article is None or workflow.may_edit(request.user, article)


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


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset


class MovesToTrash:
    """ModelAdmin mixin: deleting a commentary (one, or the bulk action) moves it to the
    trash with its whole record, and the lists and forms no longer show it."""

    def get_queryset(self, request):
        return super().get_queryset(request).untrashed()

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted, so nothing related is lost or protected.
        return [str(obj) for obj in objs], {}, set(), []

    def delete_model(self, request, obj):
        trash.trash(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            trash.trash(article, request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request, _("It is in the trash, from where an editor can restore it."), messages.INFO
        )
        return super().response_delete(request, obj_display, obj_id)


@admin.register(Article)
class ArticleAdmin(MovesToTrash, ContentManageableAdmin):
    """A view of the desk: every rule it applies is a call to articles.workflow."""

    form = ArticleAdminForm
    list_display = ["number", "title", "language", "state", "date"]
    list_display_links = ["number", "title"]
    list_filter = [
        StateFilter,
        "language",
        "series",
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["series"]
    search_fields = ["title", "lead", "body", "=number"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline, PreviewLinkInline]
    actions = ["publish", "unpublish", "publish_changes"]
    readonly_fields = [
        *ContentManageableAdmin.readonly_fields,
        "history",
        "image_preview",
        "state",
        "pending_change",
    ]
    change_list_template = "admin/articles/article/change_list.html"
    fieldsets = [
        (None, {"fields": ["series", "number", "language", "title", "slug"]}),
        (_("Text"), {"fields": ["lead", "body", "tags", "author_note"]}),
        (
            _("Lead image"),
            {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "state",
                    "pending_change",
                    "status",
                    "published_at",
                    "unpublish_at",
                    "comment",
                    "lock_version",
                ]
            },
        ),
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

    # Who may do what: articles.workflow decides

    def has_publish_permission(self, request):
        return workflow.may_publish(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.may_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None
            or workflow.may_edit(request.user, obj)
            or workflow.may_propose(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.may_edit(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if workflow.may_publish(request.user):
            return fields
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return [*fields, "status", "published_at", "unpublish_at"]
        return [*fields, "published_at", "unpublish_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_queryset(self, request):
        articles = (
            super()
            .get_queryset(request)
            .with_pending()
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )
        return workflow.visible(request.user, articles)

    def get_object(self, request, object_id, from_field=None):
        # Every article is found, and then permission decides: another writer's draft is a
        # 403, not a "does not exist" redirect. A pending change is what the form shows.
        article = Article.objects.with_pending().filter(pk=object_id).first()
        if article is not None and article.has_pending:
            workflow.show_pending(article)
        return article

    # Lists

    @admin.display(description=_("state"))
    def state(self, article):
        state = article.state
        return format_html('<span class="state state-{}">{}</span>', state, state.label)

    @admin.display(description=_("date"), ordering="published_at")
    def date(self, article):
        return article.published_at and date_format(
            timezone.localtime(article.published_at), "DATETIME_FORMAT"
        )

    def changelist_view(self, request, extra_context=None):
        waiting = Article.objects.untrashed().filter(status=Article.Status.REVIEW).count()
        changes = Revision.objects.pending().filter(submitted=True).count()
        context = {"waiting_for_review": waiting, "changes_for_review": changes}
        return super().changelist_view(request, {**context, **(extra_context or {})})

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_propose"] = obj is not None and workflow.may_propose(request.user, obj)
        context["must_propose"] = context["can_propose"] and not workflow.may_publish(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else article.get_preview_url()

    @admin.display(description=_("preview"))
    def image_preview(self, article):
        if not article.image:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-thumbnail">', article.image.url)

    @admin.display(description=_("unpublished changes"))
    def pending_change(self, article):
        change = getattr(article, "pending_change", None)
        if change is None:
            if not article.pk:
                return "—"
            if workflow.may_publish(self.request.user):
                return _("None: saving changes the live piece.")
            return _("None: what you save is kept apart until an editor publishes it.")
        return render_to_string(
            "admin/articles/article/pending_change.html",
            {
                "article": article,
                "change": change,
                "can_publish": workflow.may_publish(self.request.user),
                "compare_url": reverse("admin:articles_article_revisions", args=[article.pk])
                + "?compare=live&compare=pending",
                "preview_url": article.get_preview_url() + "?pending",
            },
            self.request,
        )

    @admin.display(description=_("workflow and revisions"))
    def history(self, article):
        if not article.pk:
            return "—"
        events = format_html_join(
            "",
            "<li>{} · {} · {} → {}{}</li>",
            (
                (
                    date_format(timezone.localtime(event.created), "DATETIME_FORMAT"),
                    event.user or "—",
                    event.get_from_status_display(),
                    step_label(article, event),
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self.request = request
        return super().changeform_view(request, object_id, form_url, extra_context)

    # Saving: one call to the workflow, which saves the related objects inside its transaction

    def save_model(self, request, obj, form, change):
        pass  # in save_related, with the tags and bylines

    def save_related(self, request, form, formsets, change):
        article = form.instance
        proposing = change and (
            PROPOSE in request.POST
            or SUBMIT_CHANGE in request.POST
            or not workflow.may_publish(request.user)
            and workflow.may_propose(request.user, article, status=form.initial.get("status"))
        )
        if proposing:
            workflow.propose(
                article,
                request.user,
                form.changes(),
                version=form.cleaned_data["lock_version"],
                submit=SUBMIT_CHANGE in request.POST,
                comment=form.cleaned_data.get("comment", ""),
            )
            for formset in formsets:  # not saved: the change message reads these
                formset.new_objects = formset.changed_objects = formset.deleted_objects = []
            self.message_user(
                request, _("Your change is kept as pending: the live piece is unchanged.")
            )
            return
        workflow.save(
            article,
            request.user,
            version=form.cleaned_data.get("lock_version"),
            comment=form.cleaned_data.get("comment", ""),
            save_related=lambda: super(ArticleAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    # Bulk actions: editors only, checked by Django when listing and when running them

    @admin.action(description=_("Publish selected commentaries"), permissions=["publish"])
    def publish(self, request, queryset):
        articles = list(queryset.exclude(status=Article.Status.PUBLISHED))
        for article in articles:
            workflow.move(
                article,
                request.user,
                Article.Status.PUBLISHED,
                published_at=article.published_at or timezone.now(),
            )
        message = ngettext(
            "%(count)d commentary published.", "%(count)d commentaries published.", len(articles)
        )
        self.done(request, articles, message)

    @admin.action(description=_("Unpublish selected commentaries"), permissions=["publish"])
    def unpublish(self, request, queryset):
        articles = list(queryset.filter(status=Article.Status.PUBLISHED))
        for article in articles:
            workflow.move(article, request.user, Article.Status.ARCHIVED)
        message = ngettext(
            "%(count)d commentary unpublished.",
            "%(count)d commentaries unpublished.",
            len(articles),
        )
        self.done(request, articles, message)

    @admin.action(description=_("Publish their pending changes"), permissions=["publish"])
    def publish_changes(self, request, queryset):
        articles = [a for a in queryset if workflow.publish_change(a, request.user) is not None]
        message = ngettext(
            "%(count)d change published.", "%(count)d changes published.", len(articles)
        )
        self.done(request, articles, message)

    def done(self, request, articles, message):
        self.message_user(request, message % {"count": len(articles)}, messages.SUCCESS)

    # Extra pages: revisions, body preview, pending changes, schedule

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "render-body/",
                wrap(require_POST(self.render_body_view)),
                name="articles_article_render_body",
            ),
            path("schedule/", wrap(self.schedule_view), name="articles_article_schedule"),
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
            path(
                "<path:object_id>/change/<str:step>/",
                wrap(require_POST(self.change_step_view)),
                name="articles_article_change_step",
            ),
            *super().get_urls(),
        ]

    def render_body_view(self, request):
        if not self.has_add_permission(request) and not self.has_change_permission(request):
            raise PermissionDenied
        return JsonResponse({"html": render_markdown(request.POST.get("body", ""))})

    def viewable(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, object_id):
        article = self.viewable(request, object_id)
        revisions = list(article.revisions.select_related("user"))
        live = Revision(**Revision.snapshot(Article.objects.get(pk=article.pk)),
                        created=article.updated, note=_("Live now"))  # fmt: skip
        chosen = choose_revisions(revisions, live, request.GET.getlist("compare"))
        comparison = []
        if len(chosen) == 2:
            newer, older = chosen
            for field in REVISION_FIELDS:
                before, after = older.as_text(field), newer.as_text(field)
                if before != after:
                    label = Revision._meta.get_field(field).verbose_name
                    comparison.append((label, diff_html(before, after)))
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
        article = self.viewable(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        workflow.restore(revision, request.user)
        self.message_user(request, _("The revision was restored."), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def change_step_view(self, request, object_id, step):
        """Publishes (now or at a time) or discards the pending change of a live piece."""
        article = self.viewable(request, object_id)
        try:
            if step == "publish":
                at = parse_local(request.POST.get("change_go_live_at", ""))
                workflow.publish_change(article, request.user, at=at)
                message = _("The change is published.") if at is None else _("Change scheduled.")
            elif step == "discard":
                workflow.discard_change(article, request.user)
                message = _("The pending change was discarded.")
            else:
                raise Http404
        except workflow.NotAllowed:
            raise PermissionDenied from None
        except workflow.Conflict:
            self.message_user(request, _("Someone saved first: try again."), messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def schedule_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = 4
        context = {
            **self.admin_site.each_context(request),
            "title": _("Schedule: the coming %(weeks)d weeks") % {"weeks": weeks},
            "opts": self.opts,
            "days": workflow.coming(workflow.visible(request.user, Article.objects.all()), weeks),
        }
        return TemplateResponse(request, "admin/articles/article/schedule.html", context)


PROPOSE, SUBMIT_CHANGE = "_propose", "_submit_change"


def step_label(article, event):
    """A step to Published, made before the publication date, was a scheduling."""
    scheduled = (
        event.to_status == Article.Status.PUBLISHED
        and event.from_status != Article.Status.PUBLISHED
        and article.published_at is not None
        and article.published_at > event.created
    )
    if not scheduled:
        return event.get_to_status_display()
    when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
    return _("Scheduled for %(when)s") % {"when": when}


def choose_revisions(revisions, live, wanted):
    """The two revisions to compare: the ticked ones, else the latest two. "live" and
    "pending" name the live text and the pending change."""
    named = {"live": live, "pending": next((r for r in revisions if r.pending), None)}
    if not wanted:
        return revisions[:2]
    chosen = [named.get(key) or next((r for r in revisions if str(r.pk) == key), None)
              for key in wanted]  # fmt: skip
    chosen = [r for r in chosen if r is not None][:2]
    return sorted(chosen, key=lambda r: (r.pending, r.created), reverse=True)


def parse_local(value):
    moment = parse_datetime(value) if value else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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


@admin.register(TrashedArticle)
class TrashAdmin(admin.ModelAdmin):
    """Editors list the trash, restore from it, and purge (delete for good) from it."""

    list_display = ["number", "title", "language", "series", "status", "deleted_at", "deleted_by"]
    list_display_links = None
    list_filter = ["language", "series"]
    list_select_related = ["series", "deleted_by"]
    search_fields = ["title", "=number"]
    ordering = ["-deleted_at"]
    actions = ["restore", "purge"]

    def get_queryset(self, request):
        return super().get_queryset(request).trashed()

    def is_editor(self, request):
        return request.user.is_active and request.user.has_perm("articles.publish_article")

    def has_view_permission(self, request, obj=None):
        return self.is_editor(request)

    has_restore_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.is_editor(request) and request.user.has_perm("articles.delete_article")

    def get_deleted_objects(self, objs, request):
        # The confirmation lists all that goes (revisions, steps...); the translation link,
        # protected elsewhere, goes too (trash.purge), and the other article stays.
        to_delete, counts, _perms_needed, _protected = super().get_deleted_objects(objs, request)
        return to_delete, counts, set(), []

    def delete_model(self, request, obj):
        trash.purge(obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            trash.purge(article)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "purge" says what it does
        return actions

    @admin.action(
        description=_("Purge selected commentaries (delete them for good)"),
        permissions=["delete"],
    )
    def purge(self, request, queryset):
        return delete_selected(self, request, queryset)

    @admin.action(description=_("Restore selected commentaries"), permissions=["restore"])
    def restore(self, request, queryset):
        articles = [trash.restore(article, request.user) for article in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d commentary restored.", "%(count)d commentaries restored.", len(articles)
            )
            % {"count": len(articles)},
            messages.SUCCESS,
        )
