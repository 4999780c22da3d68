from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag as TaggitTag

from core.admin import ContentManageableAdmin

from .models import Article, Byline, Series, Tag


@admin.register(Series)
class SeriesAdmin(ContentManageableAdmin):
    list_display = ["name_en", "name_ja", "slug", "next_number"]
    search_fields = ["name_en", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    @admin.display(description=_("next free number"))
    def next_number(self, series):
        return series.next_number()


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    extra = 1
    min_num = 1
    fields = ["author", "position"]


@admin.register(Article)
class ArticleAdmin(ContentManageableAdmin):
    list_display = [
        "number",
        "title",
        "language",
        "byline",
        "series",
        "status",
        "published_at",
        "is_published",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "language", "series", ("authors", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["series"]
    search_fields = ["title", "lead", "body", "=number"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["series", "number", "language", "title", "slug"]}),
        (_("Text"), {"fields": ["lead", "body", "tags", "author_note"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created", "created_by", "updated", "updated_by"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    @admin.display(description=_("authors"))
    def byline(self, article):
        return ", ".join(str(author) for author in article.ordered_authors)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        series = Series.objects.filter(pk=initial.get("series")).first()
        if series is None:
            latest = Article.objects.select_related("series").order_by("-created").first()
            series = latest.series if latest else Series.objects.first()
        if series is not None:
            initial.setdefault("series", series.pk)
            initial.setdefault("number", series.next_number())
        return initial

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else article.get_preview_url()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not article.author_note:
            article.author_note = article.default_author_note()
            if article.author_note:
                article.save(update_fields=["author_note"])

    @admin.action(description=_("Publish selected commentaries"), permissions=["change"])
    def publish(self, request, queryset):
        now = timezone.now()
        articles = list(queryset.exclude(status=Article.Status.PUBLISHED))
        for article in articles:
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or now
            article.updated_by = request.user
            article.save(update_fields=["status", "published_at", "updated_by", "updated"])
        count = len(articles)
        self.message_user(
            request,
            ngettext("%(count)d commentary published.", "%(count)d commentaries published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected commentaries"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_by=request.user, updated=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d commentary unpublished.", "%(count)d commentaries unpublished.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


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
