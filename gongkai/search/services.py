"""Writes to the search index: following a source's changes, and the full rebuild.

Everything indexed passes through ``prepare``: the title and text have their personal data
masked (``core.privacy.mask``) and are then segmented; the masked text is what the entry keeps
for snippets, so personal data reaches neither the index nor a results page.

``index_rebuild`` segments in a pool of worker processes (one per core) while this process
reads the sources and writes the entries; it runs in one transaction, so searches see the old
index until the new one is complete. Entries are written through the backend
(``backends.Backend.insert``/``rebuild``), which keeps the full-text index in step.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.audit import audit_record
from gongkai.core.pagecache import pages_changed
from gongkai.core.privacy import mask

from . import dictionary
from .backends import Writer, backend_for
from .errors import SearchError, SearchErrorCode
from .models import Entry, IndexState
from .registry import IndexItem, Source, source, sources
from .text import Segmenter

BATCH = 500
POOL_THRESHOLD = 5_000  # fewer items than this are prepared in this process

Prepared = tuple[str, str, str, str]  # masked title, masked body, title tokens, body tokens


def prepare(segmenter: Segmenter, title: str, body: str) -> Prepared:
    title, body = mask(title), mask(body)
    return (
        title,
        body,
        " ".join(segmenter.index_tokens(title)),
        " ".join(segmenter.index_tokens(body)),
    )


def _values(
    source_key: str, item: IndexItem, prepared: Prepared, indexed_at: datetime
) -> dict[str, Any]:
    """An entry's column values (by attribute name)."""
    title, body, title_tokens, body_tokens = prepared
    return {
        "source": source_key,
        "key": item.key,
        "url": item.url,
        "title": title[: Entry._meta.get_field("title").max_length],
        "body": body,
        "category": item.category,
        "organisation_id": item.organisation_id,
        "published_at": item.published_at,
        "title_tokens": title_tokens,
        "body_tokens": body_tokens,
        "indexed_at": indexed_at,
    }


@transaction.atomic
def index_sync(*, source: str, keys: Collection[str]) -> None:
    """Bring the entries of ``keys`` in line with what the source makes public now."""
    items = list(_registered(source).fetch(keys))
    deleted, _ = Entry.objects.filter(source=source, key__in=keys).delete()
    if not items and not deleted:
        return  # not public before or now (e.g. a new work order): no page changed
    _, segmenter = dictionary.current()
    indexed_at = timezone.now()
    backend_for().insert(
        [
            _values(source, item, prepare(segmenter, item.title, item.body), indexed_at)
            for item in items
        ]
    )
    pages_changed()


def index_rebuild(
    *,
    actor: User | None,
    only: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> int:
    """Rebuild the index of every source (or of the sources ``only``); returns the number of
    entries written. ``progress`` is called with the number of items written by each batch;
    ``workers`` defaults to the number of cores (1: no worker processes)."""
    chosen = [_registered(key) for key in only] if only else list(sources().values())
    dictionary_now, segmenter = dictionary.current()
    workers = workers or os.cpu_count() or 1
    keep = [key for key in sources() if only and key not in only]
    with transaction.atomic():
        written = 0
        with backend_for().rebuild(keep=keep) as write:
            for registered in chosen:
                written += _rebuild_source(
                    registered, write, segmenter, dictionary_now.words, workers, progress
                )
        state, _ = IndexState.objects.get_or_create(pk=1)
        state.rebuilt_at = timezone.now()
        state.fingerprint = dictionary_now.fingerprint
        state.entries = Entry.objects.count()
        state.save()
        pages_changed()
        audit_record(
            actor=actor,
            action="search.index.rebuild",
            summary=f"重建搜索索引：{written} 条"
            + (f"（来源：{'、'.join(only)}）" if only else ""),
            changes={"entries": [None, written]},
        )
    return written


def _rebuild_source(
    registered: Source,
    insert: Writer,
    segmenter: Segmenter,
    words: Sequence[str],
    workers: int,
    progress: Callable[[int], None] | None,
) -> int:
    items = iter(registered.fetch(None))
    head = list(islice(items, POOL_THRESHOLD))
    batches = _batches(chain(head, items))
    indexed_at = timezone.now()
    written = 0

    def write(batch: list[IndexItem], prepared: list[Prepared]) -> None:
        nonlocal written
        insert(
            [
                _values(registered.key, item, p, indexed_at)
                for item, p in zip(batch, prepared, strict=True)
            ]
        )
        written += len(batch)
        if progress is not None:
            progress(len(batch))

    if workers < 2 or len(head) < POOL_THRESHOLD:
        for batch in batches:
            write(batch, [prepare(segmenter, i.title, i.body) for i in batch])
        return written
    # This process reads and writes (its database connection stays here, inside the
    # transaction); forked workers mask and segment, a bounded number of batches ahead.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_init, initargs=(tuple(words),)) as pool:
        pending: deque[tuple[list[IndexItem], AsyncResult[list[Prepared]]]] = deque()
        for batch in batches:
            texts = [(item.title, item.body) for item in batch]
            pending.append((batch, pool.apply_async(_worker_prepare, (texts,))))
            if len(pending) > 2 * workers:
                done, result = pending.popleft()
                write(done, result.get())
        while pending:
            done, result = pending.popleft()
            write(done, result.get())
    return written


def _batches(items: Iterator[IndexItem]) -> Iterator[list[IndexItem]]:
    while batch := list(islice(items, BATCH)):
        yield batch


_worker_segmenter: Segmenter | None = None


def _worker_init(words: tuple[str, ...]) -> None:
    global _worker_segmenter
    _worker_segmenter = Segmenter(words)


def _worker_prepare(texts: list[tuple[str, str]]) -> list[Prepared]:
    assert _worker_segmenter is not None
    return [prepare(_worker_segmenter, title, body) for title, body in texts]


def _registered(key: str) -> Source:
    registered = source(key)
    if registered is None:
        raise SearchError(SearchErrorCode.UNKNOWN_SOURCE, source=key)
    return registered
