"""Mounted at ``/xxgk/`` (信息公开).

A document's page is addressed by its 索引号, which may contain "/" (``110000-BGT/2018-00016``):
the route takes the rest of the path and comes last, so it never shadows another route.
"""

from django.urls import path

from . import feeds, views

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
    path("zc/<path:index_no>/", views.detail, name="detail"),
]
