"""RSS 2.0 and Atom feeds of the newest public documents: all of them, per topic (a top-level
one with its children) and per genre. Items come from ``library.library_search``."""

from datetime import datetime
from typing import Literal

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from .library import LibraryFilter, PublicDocument, library_search
from .models import Genre, Topic

FEED_SIZE = 50

Category = Literal["all", "topic", "genre"]
Subject = Topic | Genre | None


class DocumentFeed(Feed):
    language = "zh-CN"

    def __init__(self, *, category: Category = "all", atom: bool = False) -> None:
        self.category = category
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed

    def get_object(self, request: HttpRequest, pk: int | None = None) -> Subject:
        if self.category == "all" or pk is None:
            return None
        subject = (
            Topic.objects.filter(pk=pk).first()
            if self.category == "topic"
            else Genre.objects.filter(pk=pk).first()
        )
        if subject is None:
            raise Http404(_("没有这个订阅分类。"))
        return subject

    def _filters(self, subject: Subject) -> LibraryFilter:
        if isinstance(subject, Topic):
            return LibraryFilter(topic=subject.pk)
        if isinstance(subject, Genre):
            return LibraryFilter(genre=subject.pk)
        return LibraryFilter()

    def title(self, subject: Subject) -> str:
        if subject is None:
            return _("政策文件库")
        return _("政策文件库：%(name)s") % {"name": subject.name}

    def link(self, subject: Subject) -> str:
        query = self._filters(subject).query()
        return reverse("publishing:library") + (f"?{query}" if query else "")

    def description(self, subject: Subject) -> str:
        return _("最新主动公开的政府信息，按发布日期排列。")

    subtitle = description  # Atom's name for it

    def items(self, subject: Subject) -> list[PublicDocument]:
        return list(library_search(self._filters(subject))[:FEED_SIZE])

    def item_title(self, item: PublicDocument) -> str:
        return item.public_title

    def item_description(self, item: PublicDocument) -> str:
        return item.public_summary

    def item_link(self, item: PublicDocument) -> str:
        return reverse("publishing:detail", args=[item.index_no])

    def item_pubdate(self, item: PublicDocument) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: PublicDocument) -> datetime:
        return item.last_published_at

    def item_author_name(self, item: PublicDocument) -> str:
        return item.organisation.name

    def item_categories(self, item: PublicDocument) -> list[str]:
        return [str(item.topic), item.genre.name]
