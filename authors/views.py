from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .models import Author


class AuthorListView(ListView):
    queryset = Author.objects.filter(is_active=True)
    paginate_by = 60


class AuthorDetailView(ListView):
    """An author's bio and photo, then their public commentaries in the page's language."""

    template_name = "authors/author_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        # The related manager carries the articles' own QuerySet, so the public rule is theirs.
        return self.author.articles.published().in_language().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
