"""The site's URLs plus /bench/hello/: a bare Django view, through the same middleware."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from thinktank.urls import urlpatterns as site


@never_cache  # measured as built every time, never as a cached page
def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


# /bench/bare/: the same view, served with no middleware by scripts/benchwsgi.py.
urlpatterns = [path("bench/hello/", hello), path("bench/bare/", hello), *site]
