"""A search source made of hand-built items, for tests of the index and its queries."""

from collections.abc import Collection, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from gongkai.search.registry import IndexItem, Source, register_source, unregister_source
from gongkai.search.services import index_sync

BEIJING = ZoneInfo("Asia/Shanghai")
KEY = "test"


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(hour=9, tzinfo=BEIJING)


class Catalogue:
    """Items of the source ``test``; ``add`` indexes one as a source does after a change."""

    def __init__(self, key: str = KEY) -> None:
        self.items: dict[str, IndexItem] = {}
        self.source = Source(
            key=key, label="测试来源", fetch=self.fetch, count=lambda: len(self.items)
        )

    def fetch(self, keys: Collection[str] | None) -> Iterator[IndexItem]:
        chosen = self.items if keys is None else [k for k in keys if k in self.items]
        return iter([self.items[k] for k in chosen])

    def add(
        self,
        key: str,
        title: str,
        body: str = "",
        *,
        published: str = "2024-01-01",
        organisation_id: int | None = None,
        category: str = "",
    ) -> None:
        self.items[key] = IndexItem(
            key=key,
            url=f"/test/{key}/",
            title=title,
            body=body,
            published_at=day(published),
            organisation_id=organisation_id,
            category=category,
        )
        index_sync(source=self.source.key, keys=[key])

    def remove(self, key: str) -> None:
        del self.items[key]
        index_sync(source=self.source.key, keys=[key])

    def __enter__(self) -> "Catalogue":
        register_source(self.source)
        return self

    def __exit__(self, *exc: object) -> None:
        unregister_source(self.source.key)
