"""The search page: its form, its filters' choices and the marked results."""

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.views.generic import ListView

from authors.models import Author

from .. import counts
from ..forms import SearchForm
from ..models import Article, Series
from ..search import SEARCH_LIMIT, excerpt, highlight_pattern, marked, search
from .archive import archive_months


class SearchView(ListView):
    template_name = "articles/search.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        data = self.request.GET.copy() if self.request.GET else None
        if data is not None:
            data.setdefault("language", translation.get_language())
        self.form = SearchForm(
            data,
            initial={"language": translation.get_language()},
            years=sorted({row["month"].year for row in archive_months()}, reverse=True),
        )
        for name, model in (("series", Series), ("author", Author)):
            field = self.form.fields[name]
            rows = counts.cached(f"choices-{name}", lambda model=model: choices(model))
            field.choices = [("", field.empty_label), *rows]
        self.query = ""
        if not self.form.is_bound:
            return Article.objects.none()
        self.form.is_valid()
        self.query = self.form.cleaned_data.get("q", "")
        if not self.query:
            return Article.objects.none()
        published = Article.objects.published().for_listing()
        filters = self.form.filters(translation.get_language())
        return search(published.filter(**filters), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            search_limit=SEARCH_LIMIT,
            form=self.form,
            query=self.query,
            full_text=connection.vendor == "postgresql",
            **kwargs,
        )
        pattern = highlight_pattern(self.query)  # the form has cleaned the query
        for article in context["object_list"]:
            article.excerpt = excerpt(article, pattern)
            article.marked_title = marked(article.numbered_title, pattern)
        return context


def choices(model):
    return [(item.slug, item.name) for item in model.objects.all()]
