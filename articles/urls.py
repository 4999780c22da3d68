from django.urls import path, register_converter

from . import feeds, views


class NumberConverter:
    """A commentary number: at most 9 digits, so it always fits the database column."""

    regex = "[0-9]{1,9}"
    to_python = int

    def to_url(self, value):
        return str(value)


class YearConverter:
    regex = "[0-9]{4}"
    to_python = int

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter(YearConverter):
    regex = "[0-9]{2}"

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(NumberConverter, "number")
register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.LatestFeed(), name="feed"),
    path("feed/atom/", feeds.LatestAtomFeed(), name="feed-atom"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<year:year>/", views.YearView.as_view(), name="archive-year"),
    path("archive/<year:year>/<month:month>/", views.MonthView.as_view(), name="archive-month"),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/<str:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tags/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("preview/<number:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("preview/shared/<str:token>/", views.SharedPreviewView.as_view(), name="shared-preview"),
    path("<slug:slug>/", views.SeriesView.as_view(), name="series"),
    path("<slug:series>/<number:number>/", views.ArticleDetailView.as_view(), name="detail"),
]
