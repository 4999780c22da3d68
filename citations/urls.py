from django.urls import path

import articles.urls  # noqa: F401  (registers the "number" converter)

from . import views

app_name = "citations"
urlpatterns = [
    path(
        "<slug:series>/<number:number>/cite.bib",
        views.download,
        {"format": "bib"},
        name="bibtex",
    ),
    path("<slug:series>/<number:number>/cite.ris", views.download, {"format": "ris"}, name="ris"),
]
