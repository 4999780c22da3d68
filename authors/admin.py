from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ContentManageableAdmin

from .models import Author


@admin.register(Author)
class AuthorAdmin(ContentManageableAdmin):
    list_display = ["thumbnail", "name_en", "name_ja", "slug", "is_active", "article_count"]
    list_display_links = ["thumbnail", "name_en", "name_ja"]
    list_filter = ["is_active"]
    ordering = ["name_en", "name_ja"]
    search_fields = ["name_en", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = [*ContentManageableAdmin.readonly_fields, "thumbnail"]
    fieldsets = [
        (None, {"fields": ["name_ja", "name_en", "slug", "is_active"]}),
        (_("Photo"), {"fields": ["photo", "thumbnail"]}),
        (_("Bio"), {"fields": ["bio_ja", "bio_en"]}),
        (
            _("Record"),
            {"classes": ["collapse"], "fields": ["created", "created_by", "updated", "updated_by"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description=_("commentaries"), ordering="article_count")
    def article_count(self, author):
        return author.article_count

    @admin.display(description=_("photo"))
    def thumbnail(self, author):
        if not author.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="48" height="48" style="object-fit:cover;'
            'border-radius:50%">',
            author.photo.url,
        )
