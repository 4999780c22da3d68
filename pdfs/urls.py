from django.urls import path

import articles.urls  # noqa: F401  (registers the "number" converter)

from . import views

app_name = "pdfs"
urlpatterns = [
    path("<slug:series>/<number:number>/pdf/", views.download, name="download"),
]
