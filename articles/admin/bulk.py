"""The commentary list's bulk actions, mixed into ArticleAdmin: editors only, checked by
Django when listing and running them, and by the actions for each piece."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from .. import actions
from ..models import Article


class BulkActions:
    @admin.action(
        description=gettext_lazy("Publish selected commentaries"), permissions=["publish"]
    )
    def publish(self, request, queryset):
        articles = queryset.exclude(status=Article.Status.PUBLISHED)
        message = ngettext_lazy(
            "%(count)d commentary published.", "%(count)d commentaries published.", "count"
        )
        self.each(request, articles, actions.publish, message)

    @admin.action(
        description=gettext_lazy("Unpublish selected commentaries"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        articles = queryset.filter(status=Article.Status.PUBLISHED)
        message = ngettext_lazy(
            "%(count)d commentary unpublished.", "%(count)d commentaries unpublished.", "count"
        )
        self.each(request, articles, actions.unpublish, message)

    @admin.action(
        description=gettext_lazy("Publish their pending changes"), permissions=["publish"]
    )
    def publish_changes(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d change published.", "%(count)d changes published.", "count"
        )
        # A piece with no pending change is no change published (publish_change: None).
        self.each(request, queryset, actions.publish_change, message, counts=bool)

    def each(self, request, articles, action, message, counts=lambda result: True):
        """Runs the action on each article, then says how many it was done to (as `counts`
        judges the action's result); one that someone changed meanwhile is skipped and named."""
        done = 0
        for article in list(articles):
            try:
                result = action(article, request.user)
            except actions.Conflict:
                skipped = _("%(article)s was changed meanwhile: not done.") % {"article": article}
                self.message_user(request, skipped, messages.WARNING)
            else:
                done += bool(counts(result))
        self.message_user(request, message % {"count": done}, messages.SUCCESS)
