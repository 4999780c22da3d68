"""The trash, for editors: restore from it, or purge (delete for good). Each is an action of
articles.actions, which checks the editor's permission again for each piece."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import actions
from ..actions import rules
from ..models import TrashedArticle


@admin.register(TrashedArticle)
class TrashAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "language", "series", "status", "deleted_at", "deleted_by"]
    list_display_links = None
    list_filter = ["language", "series"]
    list_select_related = ["series", "deleted_by"]
    search_fields = ["title", "=number"]
    ordering = ["-deleted_at"]
    actions = ["restore", "purge"]

    def get_queryset(self, request):
        return super().get_queryset(request).trashed()

    def has_view_permission(self, request, obj=None):
        return rules.may_publish(request.user)

    has_restore_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return rules.may_purge(request.user)

    def get_deleted_objects(self, objs, request):
        # The confirmation lists all that goes (revisions, steps...); the translation link,
        # protected elsewhere, goes too (actions.purge), and the other article stays.
        to_delete, counts, _perms_needed, _protected = super().get_deleted_objects(objs, request)
        return to_delete, counts, set(), []

    def delete_model(self, request, obj):
        actions.purge(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            actions.purge(article, request.user)

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # "purge" says what it does
        return found

    @admin.action(
        description=_("Purge selected commentaries (delete them for good)"),
        permissions=["delete"],
    )
    def purge(self, request, queryset):
        return delete_selected(self, request, queryset)

    @admin.action(description=_("Restore selected commentaries"), permissions=["restore"])
    def restore(self, request, queryset):
        articles = [actions.restore_from_trash(article, request.user) for article in queryset]
        message = ngettext(
            "%(count)d commentary restored.", "%(count)d commentaries restored.", len(articles)
        )
        self.message_user(request, message % {"count": len(articles)}, messages.SUCCESS)
