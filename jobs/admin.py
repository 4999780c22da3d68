from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Read only: what ran, when, how it ended and how many retries it took."""

    list_display = ("name", "state", "retries", "started", "finished")
    list_filter = ("state", "name")
    search_fields = ("name", "task_id", "arguments", "error")
    date_hierarchy = "started"
    readonly_fields = [field.name for field in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
