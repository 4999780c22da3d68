from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from .models import Article, Series


class PublishedArticleMixin:
    """Public commentaries in the page's language, with what a list shows fetched up front."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().in_language().for_listing()


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    paginate_by = 12


class SeriesView(PublishedArticleMixin, ListView):
    template_name = "articles/series_detail.html"

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        return super().get_queryset().filter(series=self.series)

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


class ArticleDetailView(PublishedArticleMixin, DetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            self.get_queryset(), series__slug=self.kwargs["series"], number=self.kwargs["number"]
        )

    def get_context_data(self, **kwargs):
        previous, following = self.object.neighbours()
        return super().get_context_data(previous=previous, next=following, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(PermissionRequiredMixin, ArticleDetailView):
    """Staff see any commentary, draft or scheduled, exactly as the public page will show it."""

    permission_required = "articles.change_article"

    def get_queryset(self):
        return Article.objects.for_listing()

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)
