"""``sitemap.xml`` entries of the publishing app: its column pages and every listed document."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .library import LibraryFilter, PublicDocument, library_search


class ColumnSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["publishing:column", "publishing:library"]

    def location(self, item: str) -> str:
        return reverse(item)


class DocumentSitemap(Sitemap):
    def items(self) -> QuerySet[PublicDocument]:
        return library_search(LibraryFilter())

    def location(self, item: PublicDocument) -> str:
        return reverse("publishing:detail", args=[item.index_no])

    def lastmod(self, item: PublicDocument) -> datetime:
        return item.last_published_at


SITEMAPS = {"xxgk": ColumnSitemap, "documents": DocumentSitemap}
