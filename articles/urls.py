from django.urls import path, register_converter

from . import views


class NumberConverter:
    """A commentary number: at most 9 digits, so it always fits the database column."""

    regex = "[0-9]{1,9}"
    to_python = int

    def to_url(self, value):
        return str(value)


register_converter(NumberConverter, "number")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("preview/<number:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("<slug:slug>/", views.SeriesView.as_view(), name="series"),
    path("<slug:series>/<number:number>/", views.ArticleDetailView.as_view(), name="detail"),
]
