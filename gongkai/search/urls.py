"""Mounted at ``/search/``: the public search page and the index's staff page."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("gl/", views.index, name="index"),
]
