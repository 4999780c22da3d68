"""The commentary admin's inlines and list filter."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..actions import rules
from ..models import Article, Byline, PreviewLink


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
        return article is None or rules.may_edit(request.user, article)


class PreviewLinkInline(admin.TabularInline):
    """Editors hand a time-limited, revocable address to an outside author or translator."""

    model = PreviewLink
    extra = 0
    fields = ["address", "expires_at", "revoked", "created_by"]
    readonly_fields = ["address", "created_by"]
    verbose_name_plural = gettext_lazy("shared preview links")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["expires_at"].initial = timezone.now() + timedelta(days=7)
        return formset

    @admin.display(description=gettext_lazy("address"))
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
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset
