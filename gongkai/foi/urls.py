"""Mounted at ``/ysqgk/`` (依申请公开); the staff pages (依申请公开办理) under ``gl/``."""

from django.urls import path

from . import views, views_staff

app_name = "foi"
urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("apply/receipt/", views.receipt, name="receipt"),
    path("query/", views.query, name="query"),
    path("link/<str:token>/", views.link, name="link"),
    path("mine/", views.mine, name="mine"),
    path("a/<str:receipt_no>/", views.application, name="application"),
    path("a/<str:receipt_no>/correct/", views.correct, name="correct"),
    path("letters/<int:pk>/<str:fmt>/", views.letter_file, name="letter-file"),
    path("enclosures/<int:pk>/", views.enclosure_file, name="enclosure-file"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("gl/", views_staff.queues, name="staff-queues"),
    path("gl/list/", views_staff.search, name="staff-list"),
    path("gl/new/", views_staff.register, name="staff-register"),
    path("gl/<int:pk>/", views_staff.application, name="staff-application"),
    path("gl/<int:pk>/<str:action>/", views_staff.act, name="staff-action"),
]
