from django.contrib import admin

from .models import Pdf


@admin.register(Pdf)
class PdfAdmin(admin.ModelAdmin):
    """Read only: which pieces have a PDF, of which version, built when."""

    list_display = ["article", "version", "built"]
    readonly_fields = ["article", "file", "version", "built"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
