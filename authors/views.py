from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from core.i18n import filled_languages, language_pages

from .models import Author

# The public commentaries, reached through the relation: authors import nothing of articles.
commentaries = Author.articles.rel.related_model.objects


class AuthorListView(ListView):
    """Active authors with at least one public commentary in the page's language."""

    paginate_by = 60

    def get_queryset(self):
        theirs = commentaries.published().in_language().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(theirs), is_active=True)


class AuthorDetailView(ListView):
    """An author's bio and photo, then their public commentaries in the page's language;
    a 404 in a language they have not (yet) been published in, as an empty page would be."""

    template_name = "authors/author_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        annotations = filled_languages(commentaries.published(), "authors")
        self.author = get_object_or_404(
            Author.objects.annotate(**annotations), slug=self.kwargs["slug"]
        )
        # The related manager carries the articles' own QuerySet, so the public rule is theirs.
        return self.author.articles.published().in_language().for_cards()

    def paginate_queryset(self, queryset, page_size):
        # Not allow_empty = False, which asks the database once more.
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if not paginator.count:
            raise Http404
        return paginator, page, object_list, is_paginated

    def get_context_data(self, **kwargs):
        filled = {code for code, _name in settings.LANGUAGES if getattr(self.author, f"in_{code}")}
        alternates, pages = language_pages(
            filled, "authors:detail", {"slug": self.author.slug}, "authors:list"
        )
        return super().get_context_data(
            author=self.author, alternates=alternates, pages=pages, **kwargs
        )
