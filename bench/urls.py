"""The site's URLs plus ``/bench/bare/``: the baseline, a Django view that renders nothing."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("gongkai.config.urls")),
]
