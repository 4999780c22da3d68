from django.apps import apps
from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import views
from .forms import ImageForm
from .models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """Editors and Writers add and change images, Translators see them (media_library's
    migration 0002); editor dialogs use `choose/` and `upload/` (views.py)."""

    form = ImageForm
    list_display = ["thumbnail", "alt_en", "alt_ja", "credit", "created", "uploaded_by"]
    list_display_links = ["thumbnail", "alt_en", "alt_ja"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_en", "alt_ja", "caption_en", "caption_ja", "credit"]
    date_hierarchy = "created"
    readonly_fields = ["preview", "size", "used_in", "uploaded_by", "created"]
    fields = [
        "file", "preview", "size", "alt_en", "alt_ja", "caption_en", "caption_ja", "credit",
        "used_in", "uploaded_by", "created",
    ]  # fmt: skip

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" class="admin-thumbnail">', image.thumb)

    @admin.display(description=_("preview"))
    def preview(self, image):
        if not image.file:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-thumbnail">', image.thumb)

    @admin.display(description=_("size in pixels"))
    def size(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    @admin.display(description=_("used in"))
    def used_in(self, image):
        """The commentaries whose body shows it (in the trash or not): a changed alt text or
        caption shows there; deleted, they keep only its stored address."""
        if not image.pk:
            return "—"
        # Looked up by name: the articles app uses the library, not the other way round.
        articles = apps.get_model("articles", "Article").objects
        pieces = articles.filter(body__contains=f'data-image="{image.pk}"').order_by("pk")
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:articles_article_change", args=[piece.pk]),
                piece,
            )
            for piece in pieces.only("pk", "number", "title")[:50]
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("choose/", wrap(self.choose_view), name="media_library_image_choose"),
            path("upload/", wrap(self.upload_view), name="media_library_image_upload"),
            *super().get_urls(),
        ]

    def choose_view(self, request):
        return views.choose(request, self)

    def upload_view(self, request):
        return views.upload(request, self)
