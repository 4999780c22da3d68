from django.contrib import admin

from .models import DailyReads


@admin.register(DailyReads)
class DailyReadsAdmin(admin.ModelAdmin):
    """Read only: the counts of reads, by day."""

    list_display = ["day", "article", "reads"]
    date_hierarchy = "day"
    list_select_related = ["article"]
    readonly_fields = ["article", "day", "reads"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
