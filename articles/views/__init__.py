"""The public pages of articles, by kind: lists, a commentary's page, the archive, search."""

from .archive import ArchiveIndexView, MonthView, YearView, archive_months, by_year
from .commentary import (
    PAGE_FIELDS,
    ArticleDetailView,
    ArticlePreviewView,
    SharedPreviewView,
    surroundings,
)
from .lists import FilledMixin, HomeView, PublishedArticleMixin, SeriesView, TagListView, TagView
from .search import SearchView

__all__ = [
    "PAGE_FIELDS",
    "ArchiveIndexView",
    "ArticleDetailView",
    "ArticlePreviewView",
    "FilledMixin",
    "HomeView",
    "MonthView",
    "PublishedArticleMixin",
    "SearchView",
    "SeriesView",
    "SharedPreviewView",
    "TagListView",
    "TagView",
    "YearView",
    "archive_months",
    "by_year",
    "surroundings",
]
