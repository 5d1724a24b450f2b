"""Mounted at ``/ndbg/`` (年度报告); the staff pages under ``gl/``. Organisation codes are
upper case (``orgs.models.CODE_PATTERN``), so ``gl`` never names an organisation."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("gl/", views.staff_list, name="staff-list"),
    path("gl/<int:pk>/", views.staff_preview, name="staff-preview"),
    path("gl/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("gl/<int:pk>/submit/", views.staff_submit, name="staff-submit"),
    path("gl/<int:pk>/publish/", views.staff_publish, name="staff-publish"),
    path("gl/<int:pk>/export/<str:fmt>/", views.staff_export, name="staff-export"),
    path("<str:code>/<int:year>/", views.detail, name="detail"),
    path("<str:code>/<int:year>/<str:fmt>/", views.download, name="download"),
]
