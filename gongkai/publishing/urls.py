"""Mounted at ``/xxgk/`` (信息公开); the staff pages (政府信息管理) under ``gl/``.

A document's page is addressed by its 索引号, which may contain "/" (``110000-BGT/2018-00016``):
the route takes the rest of the path and comes last, so it never shadows another route.
"""

from django.urls import path

from . import feeds, views, views_staff

app_name = "publishing"
urlpatterns = [
    path("", views.column, name="column"),
    path("zc/", views.library, name="library"),
    path("feeds/rss/", feeds.DocumentFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.DocumentFeed(atom=True), name="feed-atom"),
    path("feeds/topic/<int:pk>/rss/", feeds.DocumentFeed(category="topic"), name="topic-feed-rss"),
    path(
        "feeds/topic/<int:pk>/atom/",
        feeds.DocumentFeed(category="topic", atom=True),
        name="topic-feed-atom",
    ),
    path("feeds/genre/<int:pk>/rss/", feeds.DocumentFeed(category="genre"), name="genre-feed-rss"),
    path(
        "feeds/genre/<int:pk>/atom/",
        feeds.DocumentFeed(category="genre", atom=True),
        name="genre-feed-atom",
    ),
    path("gb/", views.gazette, name="gazette"),
    path("gb/<int:year>/", views.gazette, name="gazette-year"),
    path("gb/<int:year>/<int:number>/", views.gazette_issue, name="gazette-issue"),
    path("gl/", views_staff.staff_list, name="staff-list"),
    path("gl/review/", views_staff.staff_review, name="staff-review"),
    path("gl/due/", views_staff.staff_due, name="staff-due"),
    path("gl/uninterpreted/", views_staff.staff_uninterpreted, name="staff-uninterpreted"),
    path("gl/leaders/", views_staff.staff_leaders, name="staff-leaders"),
    path("gl/new/", views_staff.staff_create, name="staff-create"),
    path(
        "gl/new/interpretation/",
        views_staff.staff_create_interpretation,
        name="staff-create-interpretation",
    ),
    path("gl/<int:pk>/", views_staff.staff_document, name="staff-document"),
    path("gl/<int:pk>/edit/", views_staff.staff_edit, name="staff-edit"),
    path(
        "gl/<int:pk>/attachments/",
        views_staff.staff_attachment_add,
        name="staff-attachment-add",
    ),
    path(
        "gl/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views_staff.staff_attachment_remove,
        name="staff-attachment-remove",
    ),
    path(
        "gl/<int:pk>/personal-data/mask/",
        views_staff.staff_mask_personal_data,
        name="staff-mask-personal-data",
    ),
    path("gl/<int:pk>/<str:action>/", views_staff.staff_action, name="staff-action"),
    path("zc/<path:index_no>/", views.detail, name="detail"),
]
