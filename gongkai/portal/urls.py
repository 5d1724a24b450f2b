from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("display-modes/", views.display_modes, name="display_modes"),
    path("workbench/", views.workbench, name="workbench"),
]
