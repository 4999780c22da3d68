"""What the commentary form shows and nobody edits there, mixed into ArticleAdmin: the lead
image's thumbnail, the pending change, the workflow's history."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..actions import rules


class Displays:
    @admin.display(description=gettext_lazy("preview"))
    def image_preview(self, article):
        if not article.image:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-thumbnail">', article.image.url)

    @admin.display(description=gettext_lazy("unpublished changes"))
    def pending_change(self, article):
        change = getattr(article, "pending_change", None)
        if change is None:
            if not article.pk:
                return "—"
            if rules.may_publish(self.request.user):
                return _("None: saving changes the live piece.")
            return _("None: what you save is kept apart until an editor publishes it.")
        revisions = reverse("admin:articles_article_revisions", args=[article.pk])
        return render_to_string(
            "admin/articles/article/pending_change.html",
            {
                "article": article,
                "change": change,
                "can_publish": rules.may_publish(self.request.user),
                "compare_url": revisions + "?compare=live&compare=pending",
                "preview_url": article.get_preview_url() + "?pending",
            },
            self.request,
        )

    @admin.display(description=gettext_lazy("workflow and revisions"))
    def history(self, article):
        if not article.pk:
            return "—"
        return render_to_string(
            "admin/articles/article/history.html",
            {"article": article, "events": article.events.select_related("user")[:20]},
        )
