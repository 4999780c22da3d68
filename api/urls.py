from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from . import views

router = routers.SimpleRouter()
router.register("commentaries", views.CommentaryViewSet, basename="commentary")
router.register("series", views.SeriesViewSet, basename="series")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("topics", views.TopicViewSet, basename="topic")

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("<path:path>", views.not_found),
]
