"""Sources of the search index: each app registers what it makes public, in ``AppConfig.ready()``.

A source says how to read its public items (``fetch``) and which model changes can change them
(``watch``). The index follows by itself: when a watched model instance is saved or deleted, the
items it affects are read again through ``fetch`` in the same transaction — an item ``fetch`` no
longer returns (withdrawn, not public) leaves the index, a changed one is re-indexed. ``fetch``
is the source's visibility rule: it must return only what the public may see::

    from gongkai.search.registry import IndexItem, Source, register_source

    def fetch(keys: Collection[str] | None) -> Iterable[IndexItem]:
        ...  # the public items with these keys (all of them, oldest first, when ``keys`` is None)

    register_source(
        Source(
            key="document",
            label=_("政府信息"),
            fetch=fetch,
            watch={Document: lambda d: [str(d.pk)]},
        )
    )

Text given to the index (``title``, ``body``: plain text, no HTML) has its personal data masked
before it is stored or segmented. A rebuild indexes the items in the order ``fetch(None)`` yields
them: oldest first, because a query matching very many entries is answered from those indexed
last (``backends.COUNT_LIMIT``).
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class IndexItem:
    key: str
    url: str
    title: str
    body: str
    published_at: datetime | None
    organisation_id: int | None = None
    category: str = ""


Fetch = Callable[[Collection[str] | None], Iterable[IndexItem]]
KeysOf = Callable[[models.Model], Iterable[str]]


@dataclass(frozen=True, eq=False)
class Source:
    key: str
    label: str | Promise
    fetch: Fetch
    watch: Mapping[type[models.Model], KeysOf] = field(default_factory=dict)
    count: Callable[[], int] | None = None  # how many items ``fetch(None)`` gives (progress)
    new_items_private: bool = False
    """True when a watched instance is never public as it is created (a work order is received,
    not yet replied): creations are then not followed, only later saves and deletions."""


_sources: dict[str, Source] = {}


def register_source(source: Source) -> None:
    """Add a source and follow its watched models. Registering a key twice is an error."""
    if source.key in _sources and _sources[source.key] is not source:
        raise ImproperlyConfigured(f"Search source {source.key!r} is already registered.")
    _sources[source.key] = source
    for model, keys_of in source.watch.items():
        receiver = _follower(source.key, keys_of, follow_creation=not source.new_items_private)
        uid = f"search.{source.key}.{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.delete")


def unregister_source(key: str) -> None:
    """Remove a source (for benchmarks and tests that register their own)."""
    source = _sources.pop(key, None)
    if source is None:
        return
    for model in source.watch:
        uid = f"search.{key}.{model._meta.label}"
        post_save.disconnect(sender=model, dispatch_uid=f"{uid}.save")
        post_delete.disconnect(sender=model, dispatch_uid=f"{uid}.delete")


def sources() -> dict[str, Source]:
    return dict(_sources)


def source(key: str) -> Source | None:
    return _sources.get(key)


def _follower(source_key: str, keys_of: KeysOf, *, follow_creation: bool) -> Callable[..., None]:
    def follow(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
        if kwargs.get("raw"):
            return  # fixture loading: ``gongkai search reindex`` afterwards
        if kwargs.get("created") and not follow_creation:
            return
        from .services import index_sync

        index_sync(source=source_key, keys=list(keys_of(instance)))

    return follow
