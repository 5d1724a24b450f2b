"""The full-text index behind one interface: SQLite FTS5 (embedded default) and PostgreSQL.

Both index the same two columns of ``search_entry`` — ``title_tokens`` and ``body_tokens``,
space-separated tokens made by ``text.Segmenter`` — and answer the same query: every query term
must match (``match_all``) or any one may, where a term matches when one of its alternatives
(the word or a synonym) is a token of the entry. The title counts more than the body.

- **SQLite**: an external-content FTS5 table ``search_fts`` over ``search_entry``. ``insert``
  adds a batch of entries and then their tokens in one statement (inserted row by row by a
  trigger, FTS5 wrote its pending terms out at every row: 2.4 times the time); triggers follow
  removals and updates. Relevance is FTS5's ``bm25`` (title weight 10, body 1).
- **PostgreSQL**: a generated ``tsvector`` column ``vector`` (``simple`` configuration, title
  weight A, body B) with a GIN index; relevance is ``ts_rank`` (normalised by length).

Every entry is added through ``insert`` or a rebuild's writer, never with the ORM.

A backend only finds a query's *window*: the matching entries indexed last (the highest ids),
at most ``COUNT_LIMIT`` + 1 of them, each with its source, date and score. ``find`` counts and
orders the window; ties, and the date order, go by ``published_at`` (newest first), then id.

**Why a window.** Sources yield their items oldest first, so the window holds the newest
matches. Both engines read a term's matches in id order without sorting, so a query costs at
most ``COUNT_LIMIT`` scores however common its words are: at 1,000,000 entries, counting and
ranking the 800,000 matches of 工作 took seconds (and for so common a word relevance is mostly
length and recency anyway). A query with more matches than that says so (``Hits.more``:
"2000 条以上") and is answered from the window.
"""

import heapq
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import Entry
from .text import Term

TITLE_WEIGHT = 10.0
COUNT_LIMIT = 2_000
BULK_CACHE_KIB = 256 * 1024

Row = tuple[
    int, str, float, float
]  # entry id, source, published_at (epoch seconds, 0: none), score
Values = Mapping[str, Any]  # an entry's column values by attribute name, ``id`` aside
Writer = Callable[[Sequence[Values]], None]


class Order(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True)
class EntryFilter:
    sources: tuple[str, ...] = ()
    organisation_ids: frozenset[int] | None = None
    since: datetime | None = None  # published at or after
    until: datetime | None = None  # published before

    def sql(self) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.sources:
            where.append(f"e.source IN ({', '.join(['%s'] * len(self.sources))})")
            params += self.sources
        if self.organisation_ids is not None:
            ids = sorted(self.organisation_ids) or [0]
            where.append(f"e.organisation_id IN ({', '.join(['%s'] * len(ids))})")
            params += ids
        if self.since is not None:
            where.append("e.published_at >= %s")
            params.append(self.since)
        if self.until is not None:
            where.append("e.published_at < %s")
            params.append(self.until)
        return where, params


@dataclass(frozen=True)
class Hits:
    total: int  # at most COUNT_LIMIT
    ids: list[tuple[int, float]] = field(default_factory=list)  # (entry id, score), one page
    more: bool = False  # more than COUNT_LIMIT entries match
    # Matches per source, whatever source the query asked for (partial if ``sources_partial``).
    sources: dict[str, int] = field(default_factory=dict)
    sources_partial: bool = False


class Backend(Protocol):
    def insert(self, entries: Sequence[Values]) -> None:
        """Add entries to the index."""
        ...

    def rebuild(self, *, keep: Sequence[str]) -> AbstractContextManager[Writer]:
        """Replace the index, inside the caller's transaction: the block gets a function that
        adds entries; when it ends, the index holds those and the entries of the sources
        ``keep``. Searches see the old index until the transaction commits."""
        ...

    def window(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter, scored: bool
    ) -> list[Row]:
        """The matching entries with the highest ids, at most ``COUNT_LIMIT`` + 1, with their
        scores when ``scored`` (else 0)."""
        ...


def find(
    backend: Backend,
    terms: Sequence[Term],
    *,
    match_all: bool,
    where: EntryFilter,
    order: Order,
    offset: int,
    limit: int,
) -> Hits:
    """One page of the entries matching ``terms``, counted and ordered within the window."""
    scored = order == Order.RELEVANCE
    everywhere = backend.window(
        terms, match_all=match_all, where=replace(where, sources=()), scored=scored
    )
    full = len(everywhere) > COUNT_LIMIT
    rows = everywhere
    if where.sources:
        if full:  # the source's own window may reach further back
            rows = backend.window(terms, match_all=match_all, where=where, scored=scored)
        else:
            rows = [row for row in everywhere if row[1] in where.sources]
    more = len(rows) > COUNT_LIMIT
    rows = rows[:COUNT_LIMIT]
    if rows and offset >= len(rows):  # past the end: the last page
        offset = (len(rows) - 1) // limit * limit
    if scored:
        page = heapq.nlargest(offset + limit, rows, key=lambda r: (r[3], r[2], r[0]))[offset:]
    else:
        page = heapq.nlargest(offset + limit, rows, key=lambda r: (r[2], r[0]))[offset:]
    return Hits(
        total=len(rows),
        ids=[(row[0], row[3]) for row in page],
        more=more,
        sources=dict(Counter(row[1] for row in everywhere[:COUNT_LIMIT])),
        sources_partial=full,
    )


def _run(sql: str, params: Sequence[Any]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_COLUMNS = [f for f in Entry._meta.concrete_fields if not f.primary_key]


def _rows(entries: Sequence[Values]) -> list[list[Any]]:
    """The entries' values in the order of ``_COLUMNS``, datetimes adapted as the ORM would
    (its per-field work took a quarter of a rebuild's main process)."""
    adapt = connection.ops.adapt_datetimefield_value
    columns = [(f.attname, isinstance(f, models.DateTimeField)) for f in _COLUMNS]
    return [[adapt(e[name]) if dated else e[name] for name, dated in columns] for e in entries]


def _column_list() -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in _COLUMNS)


def _delete_others(keep: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        if keep:
            cursor.execute(
                f"DELETE FROM search_entry WHERE source NOT IN ({', '.join(['%s'] * len(keep))})",
                list(keep),
            )
        else:
            cursor.execute("DELETE FROM search_entry")


def _insert(entries: Sequence[Values]) -> None:
    values = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_entry ({_column_list()}) VALUES ({values})", _rows(entries)
        )


class SQLiteBackend:
    def insert(self, entries: Sequence[Values]) -> None:
        if not entries:
            return
        with connection.cursor() as cursor:
            # AUTOINCREMENT: the new ids are above every id there was.
            cursor.execute("SELECT coalesce(max(id), 0) FROM search_entry")
            (before,) = cursor.fetchone()
            _insert(entries)
            cursor.execute(
                "INSERT INTO search_fts (rowid, title_tokens, body_tokens) "
                "SELECT id, title_tokens, body_tokens FROM search_entry WHERE id > %s ORDER BY id",
                [before],
            )

    @contextmanager
    def rebuild(self, *, keep: Sequence[str]) -> Iterator[Writer]:
        _delete_others(keep)  # the FTS index follows by trigger
        # SQLite's default page cache is 2 MB: at 1,000,000 entries nearly every index insert
        # read its pages again from the operating system.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
            try:
                yield self.insert
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def window(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter, scored: bool
    ) -> list[Row]:
        # CROSS JOIN keeps the FTS5 table first: the planner otherwise may start from a
        # filter's index and search the FTS index once for every entry (minutes at 1,000,000).
        # The covering index ``search_entry_window`` spares reading the entries' rows, whose
        # later columns sit behind the body's overflow pages. bm25 is lower for better matches.
        conditions, params = where.sql()
        score = f"-bm25(search_fts, {TITLE_WEIGHT}, 1.0)" if scored else "0.0"
        sql = (
            f"SELECT e.id, e.source, coalesce(unixepoch(e.published_at), 0), {score} "
            "FROM search_fts CROSS JOIN search_entry e INDEXED BY search_entry_window "
            "ON e.id = search_fts.rowid WHERE search_fts MATCH %s"
            + "".join(f" AND {c}" for c in conditions)
            + f" ORDER BY search_fts.rowid DESC LIMIT {COUNT_LIMIT + 1}"
        )
        return _run(sql, [self._match(terms, match_all), *params])

    @staticmethod
    def _match(terms: Sequence[Term], match_all: bool) -> str:
        def quoted(token: str) -> str:
            return '"' + token.replace('"', '""') + '"'

        groups = ["(" + " OR ".join(quoted(a) for a in t.alternatives) + ")" for t in terms]
        return (" AND " if match_all else " OR ").join(groups)


_WINDOW_SETTINGS = (("enable_indexscan", "off"), ("enable_seqscan", "off"), ("work_mem", "'32MB'"))


class PostgresBackend:
    def insert(self, entries: Sequence[Values]) -> None:
        _insert(entries)

    @contextmanager
    def rebuild(self, *, keep: Sequence[str]) -> Iterator[Writer]:
        _delete_others(keep)
        yield self.insert
        with connection.cursor() as cursor:  # fresh statistics for the planner
            cursor.execute("ANALYZE search_entry")

    # The planner would walk the primary key backwards testing every entry's vector (it does
    # not count reading the TOASTed vectors: 0.6 s for a word in 7 % of 1,000,000 entries), or
    # visit every match's row to sort them (seconds for a common word). So the window is looked
    # for among the newest ids first, in a span widened by the density of matches found, with
    # bitmap scans only and memory enough for exact bitmaps (a lossy page makes PostgreSQL read
    # every vector on it again); the scores are computed afterwards, for the window alone.
    first_span = 16_000

    def window(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter, scored: bool
    ) -> list[Row]:
        query, params = self._query(terms, match_all)
        conditions, filter_params = where.sql()
        matches = (
            "SELECT e.id, e.source, coalesce(extract(epoch FROM e.published_at)::float8, 0) "
            f"FROM search_entry e WHERE e.vector @@ {query} AND e.id > %s"
            + "".join(f" AND {c}" for c in conditions)
            + f" ORDER BY e.id DESC LIMIT {COUNT_LIMIT + 1}"
        )
        if scored:
            matches = (
                f"SELECT w.*, ts_rank(e.vector, {query}, 1)::float8 FROM ({matches}) AS w "
                "JOIN search_entry e ON e.id = w.id"
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM search_entry")
            top = cursor.fetchone()[0]
            for name, value in _WINDOW_SETTINGS:
                cursor.execute(f"SET LOCAL {name} = {value}")
            span = self.first_span
            while True:
                values = [*params, top - span, *filter_params]
                cursor.execute(matches, [*params, *values] if scored else values)
                rows = cursor.fetchall()
                if len(rows) > COUNT_LIMIT or span >= top:
                    break
                density = (COUNT_LIMIT + 1) / (len(rows) or 1)
                span = int(span * min(8.0, max(2.0, 1.5 * density)))
            # Inside an outer transaction SET LOCAL would outlast this block (after an error,
            # rolling back to the block's savepoint undoes it).
            for name, _value in _WINDOW_SETTINGS:
                cursor.execute(f"SET LOCAL {name} = DEFAULT")
        if scored:
            rows.sort(key=lambda row: row[0], reverse=True)
        return [row if scored else (*row, 0.0) for row in rows]

    @staticmethod
    def _query(terms: Sequence[Term], match_all: bool) -> tuple[str, list[Any]]:
        groups: list[str] = []
        params: list[str] = []
        for term in terms:
            groups.append(
                "(" + " || ".join(["plainto_tsquery('simple', %s)"] * len(term.alternatives)) + ")"
            )
            params += term.alternatives
        return "(" + (" && " if match_all else " || ").join(groups) + ")", params


_BACKENDS: dict[str, Backend] = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def backend_for(db: BaseDatabaseWrapper | None = None) -> Backend:
    vendor = (db or connection).vendor
    try:
        return _BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"No search backend for the {vendor} database.") from None
