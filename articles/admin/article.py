"""The commentary admin: lists, the form, bulk actions. Declarative: who may do what is
asked of articles.actions.rules, every write is an action, extra pages live in pages.py."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.admin import ContentManageableAdmin

from .. import actions, editor
from ..actions import rules
from ..forms import PUBLISH, SAVE_DRAFT, SCHEDULE, SUBMIT, ArticleAdminForm
from ..models import Article, Byline, Revision, Series, show_pending
from .bulk import BulkActions
from .displays import Displays
from .pages import urls as extra_pages
from .parts import BylineInline, PreviewLinkInline, StateFilter

PROPOSE, SUBMIT_CHANGE = "_propose", "_submit_change"


@admin.register(Article)
class ArticleAdmin(BulkActions, Displays, ContentManageableAdmin):
    """A view of the desk: every rule it applies is asked of articles.actions.rules, and
    every write is an action. Deleting moves to the trash (trash.py lists it)."""

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
    search_fields = ["title", "lead__plaintext", "body", "=number"]
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
        (gettext_lazy("Text"), {"fields": ["lead", "body", "tags", "author_note"]}),
        (
            gettext_lazy("Lead image"),
            {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]},
        ),
        (
            gettext_lazy("Publishing"),
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
        ),  # fmt: skip
        (gettext_lazy("History"), {"classes": ["collapse"], "fields": ["history"]}),
        (
            gettext_lazy("Record"),
            {"classes": ["collapse"], "fields": ["created", "created_by", "updated", "updated_by"]},
        ),
    ]

    class Media:
        js = ["js/body_preview.js", "js/article_form.js"]
        css = {"all": ["css/admin.css"]}

    # Who may do what: the rules decide

    def has_publish_permission(self, request):
        return rules.may_publish(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or rules.may_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or rules.may_edit(request.user, obj) or rules.may_propose(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj) and rules.may_publish(request.user)
        return allowed and (obj is None or obj.deleted_at is None)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if rules.may_publish(request.user):
            return fields
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return [*fields, *rules.EDITORS_FIELDS]
        return [*fields, *rules.EDITORS_FIELDS[1:]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_queryset(self, request):
        articles = (
            super()
            .get_queryset(request)
            .untrashed()
            .with_pending()
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )
        return rules.visible(request.user, articles)

    def get_object(self, request, object_id, from_field=None):
        # Every article is found, and then permission decides: another writer's draft is a
        # page that says why, not a "does not exist" redirect. A pending change is what the
        # form shows.
        if not str(object_id).isdigit():
            return None
        article = Article.objects.with_pending().filter(pk=object_id).first()
        if article is not None and article.has_pending:
            show_pending(article)
        return article

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted, so nothing related is lost or protected.
        return [str(obj) for obj in objs], {}, set(), []

    def delete_model(self, request, obj):
        actions.trash(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            actions.trash(article, request.user)

    def response_delete(self, request, obj_display, obj_id):
        message = _("It is in the trash, from where an editor can restore it.")
        self.message_user(request, message, messages.INFO)
        return super().response_delete(request, obj_display, obj_id)

    # Lists

    @admin.display(description=gettext_lazy("state"))
    def state(self, article):
        state = article.state
        return format_html('<span class="state state-{}">{}</span>', state, state.label)

    @admin.display(description=gettext_lazy("date"), ordering="published_at")
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
        chosen = str(initial.get("series", ""))
        series = Series.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        if series is None:
            latest = Article.objects.select_related("series").order_by("-created").first()
            series = latest.series if latest else Series.objects.first()
        if series is not None:
            initial.setdefault("series", series.pk)
            initial.setdefault("number", series.next_number())
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["work_buttons"] = work_buttons(request.user, obj)
        context["can_propose"] = obj is not None and rules.may_propose(request.user, obj)
        context["must_propose"] = context["can_propose"] and not rules.may_publish(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else article.get_preview_url()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self.request = request
        if object_id is not None:
            article = self.get_object(request, object_id)
            if article is not None and article.deleted_at is not None:
                return self.in_the_trash(request, article)
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except actions.Conflict:
            # Someone saved between this form's check and its save (both in one request):
            # the save was rolled back; what was typed is kept as a revision (below).
            message = _("Someone saved this commentary while you were saving it: reload it.")
            self.message_user(request, message, messages.ERROR)
            response = redirect("admin:articles_article_change", object_id)
        refused = getattr(request, "refused_edit", None)
        if refused is not None:
            actions.keep_refused(*refused)
        return editor.allow_import_map(response)

    def in_the_trash(self, request, article):
        if rules.may_publish(request.user):
            url = reverse("admin:articles_trashedarticle_changelist")
            return redirect(f"{url}?id__exact={article.pk}")
        raise rules.NotAllowed(
            _("%(article)s is in the trash: an editor can restore it.") % {"article": article}
        )

    # Saving: one call to the actions, which save the related objects inside their transaction

    def save_model(self, request, obj, form, change):
        pass  # in save_related, with the tags and bylines

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if not change:
            actions.save(
                article,
                request.user,
                comment=form.cleaned_data.get("comment", ""),
                save_related=lambda: super(ArticleAdmin, self).save_related(
                    request, form, formsets, change
                ),
            )
            self.say_step(request, article)
            return
        try:
            outcome = actions.save_or_propose(
                article,
                request.user,
                version=form.cleaned_data.get("lock_version"),
                comment=form.cleaned_data.get("comment", ""),
                changes=form.changes(),
                propose_change=PROPOSE in request.POST,
                submit=SUBMIT_CHANGE in request.POST,
                save_related=lambda: super(ArticleAdmin, self).save_related(
                    request, form, formsets, change
                ),
            )
        except actions.Conflict:
            request.refused_edit = (article, request.user, form.changes())
            raise
        self.say_step(request, article)
        if outcome == "proposed":
            for formset in formsets:  # not saved: the change message reads these
                formset.new_objects = formset.changed_objects = formset.deleted_objects = []
            message = _("Your change is kept as pending: the live piece is unchanged.")
            self.message_user(request, message)

    # After "Save draft" the form stays open, as after "Save and continue editing".

    def response_add(self, request, obj, post_url_continue=None):
        return super().response_add(keep_editing(request), obj, post_url_continue)

    def response_change(self, request, obj):
        return super().response_change(keep_editing(request), obj)

    def say_step(self, request, article):
        if SUBMIT in request.POST:
            self.message_user(request, _("Submitted for review: the editors are told."))
        elif PUBLISH in request.POST:
            self.message_user(request, _("Published."))
        elif SCHEDULE in request.POST:
            when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            message = _("Scheduled: it goes live on %(when)s.") % {"when": when}
            self.message_user(request, message)

    def get_urls(self):
        return [*extra_pages(self), *super().get_urls()]


def work_buttons(user, article):
    """The form's steps for this user and piece, as (name, label): the first is the default.
    A live or scheduled piece has none: its form saves (or proposes) a change."""
    status = article.status if article is not None else Article.Status.DRAFT
    if status == Article.Status.PUBLISHED:
        return []
    if article is not None and not rules.may_edit(user, article):
        return []
    draft = status == Article.Status.DRAFT
    buttons = [(SAVE_DRAFT, _("Save draft") if draft else _("Save"))]
    if draft:
        buttons.append((SUBMIT, _("Submit for review")))
    if rules.may_publish(user):
        buttons += [(PUBLISH, pgettext("form step", "Publish")),
                    (SCHEDULE, pgettext("form step", "Schedule"))]  # fmt: skip
    return buttons


def keep_editing(request):
    if SAVE_DRAFT in request.POST and "_continue" not in request.POST:
        request.POST = request.POST.copy()
        request.POST["_continue"] = "1"
    return request
