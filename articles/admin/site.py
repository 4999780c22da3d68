"""Series and topics: what every list of the site is sorted into."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from core.admin import ContentManageableAdmin

from ..models import Series, Tag


@admin.register(Series)
class SeriesAdmin(ContentManageableAdmin):
    list_display = ["name_en", "name_ja", "slug", "next_number"]
    search_fields = ["name_en", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    @admin.display(description=_("next free number"))
    def next_number(self, series):
        return series.next_number()


admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "slug", "article_count"]
    search_fields = ["name", "name_ja"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description=_("commentaries"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count
