from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "on_published", "on_updated", "on_unpublished", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    readonly_fields = ("secret", "created", "created_by")
    fieldsets = [
        (None, {"fields": ["name", "url", "is_active"]}),
        (_("Events"), {"fields": ["on_published", "on_updated", "on_unpublished"]}),
        (_("Signature"), {"fields": ["secret", "created", "created_by"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # "partner.example/hooks" is an https address
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read only, but for sending a failed delivery again."""

    list_display = (
        "created", "event", "article_id", "endpoint", "state", "attempts", "last_status",
        "sent_at",
    )  # fmt: skip
    list_filter = ("state", "event", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("=article_id", "=id")
    date_hierarchy = "created"
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        from core import jobs

        from .tasks import deliver

        again = list(queryset.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=again).update(
            state=Delivery.State.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        for delivery_id in again:
            jobs.after_commit(deliver, str(delivery_id))
        self.message_user(
            request,
            ngettext(
                "%(count)d failed delivery will be sent again.",
                "%(count)d failed deliveries will be sent again.",
                len(again),
            )
            % {"count": len(again)},
            messages.SUCCESS,
        )
