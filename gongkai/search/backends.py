"""The full-text index behind one interface: SQLite FTS5 (embedded default) and PostgreSQL.

Both index the same two columns of ``search_entry`` — ``title_tokens`` and ``body_tokens``,
space-separated tokens made by ``text.Segmenter`` — and answer the same query: every query term
must match (``match_all``) or any one may, where a term matches when one of its alternatives
(the word or a synonym) is a token of the entry. The title counts more than the body.

- **SQLite**: an external-content FTS5 table ``search_fts`` kept in step with ``search_entry``
  by triggers; relevance is FTS5's ``bm25`` (title weight 10, body 1).
- **PostgreSQL**: a generated ``tsvector`` column ``vector`` (``simple`` configuration, title
  weight A, body B) with a GIN index; relevance is ``ts_rank`` (normalised by length).

Ties, and the date order, go by ``published_at`` (newest first), then id.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .text import Term

TITLE_WEIGHT = 10.0


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
    total: int
    ids: list[tuple[int, float]] = field(default_factory=list)  # (entry id, score)


class Backend(Protocol):
    def search(
        self,
        terms: Sequence[Term],
        *,
        match_all: bool,
        where: EntryFilter,
        order: Order,
        offset: int,
        limit: int,
    ) -> Hits: ...

    def source_counts(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter
    ) -> dict[str, int]: ...


def _run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class SQLiteBackend:
    @staticmethod
    def _match(terms: Sequence[Term], match_all: bool) -> str:
        def quoted(token: str) -> str:
            return '"' + token.replace('"', '""') + '"'

        groups = ["(" + " OR ".join(quoted(a) for a in t.alternatives) + ")" for t in terms]
        return (" AND " if match_all else " OR ").join(groups)

    def _from(
        self, terms: Sequence[Term], match_all: bool, where: EntryFilter
    ) -> tuple[str, list[Any]]:
        conditions, params = where.sql()
        sql = (
            "FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s" + "".join(f" AND {c}" for c in conditions)
        )
        return sql, [self._match(terms, match_all), *params]

    def search(
        self,
        terms: Sequence[Term],
        *,
        match_all: bool,
        where: EntryFilter,
        order: Order,
        offset: int,
        limit: int,
    ) -> Hits:
        source, params = self._from(terms, match_all, where)
        total = _run(f"SELECT count(*) {source}", params)[0][0]
        if not total or offset >= total:
            return Hits(total=total)
        score = f"bm25(search_fts, {TITLE_WEIGHT}, 1.0)"
        ordering = (
            "score, e.published_at DESC, e.id DESC"
            if order == Order.RELEVANCE
            else "e.published_at DESC, e.id DESC"
        )
        rows = _run(
            f"SELECT e.id, {score} AS score {source} ORDER BY {ordering} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return Hits(total=total, ids=[(pk, -float(score)) for pk, score in rows])

    def source_counts(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter
    ) -> dict[str, int]:
        source, params = self._from(terms, match_all, where)
        return dict(_run(f"SELECT e.source, count(*) {source} GROUP BY e.source", params))


class PostgresBackend:
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

    def _from(
        self, terms: Sequence[Term], match_all: bool, where: EntryFilter
    ) -> tuple[str, list[Any]]:
        query, params = self._query(terms, match_all)
        conditions, filter_params = where.sql()
        sql = f"FROM search_entry e WHERE e.vector @@ {query}" + "".join(
            f" AND {c}" for c in conditions
        )
        return sql, [*params, *filter_params]

    def search(
        self,
        terms: Sequence[Term],
        *,
        match_all: bool,
        where: EntryFilter,
        order: Order,
        offset: int,
        limit: int,
    ) -> Hits:
        source, params = self._from(terms, match_all, where)
        total = _run(f"SELECT count(*) {source}", params)[0][0]
        if not total or offset >= total:
            return Hits(total=total)
        query, query_params = self._query(terms, match_all)
        ordering = (
            "score DESC, e.published_at DESC NULLS LAST, e.id DESC"
            if order == Order.RELEVANCE
            else "e.published_at DESC NULLS LAST, e.id DESC"
        )
        rows = _run(
            f"SELECT e.id, ts_rank(e.vector, {query}, 1) AS score {source} "
            f"ORDER BY {ordering} LIMIT %s OFFSET %s",
            [*query_params, *params, limit, offset],
        )
        return Hits(total=total, ids=[(pk, float(score)) for pk, score in rows])

    def source_counts(
        self, terms: Sequence[Term], *, match_all: bool, where: EntryFilter
    ) -> dict[str, int]:
        source, params = self._from(terms, match_all, where)
        return dict(_run(f"SELECT e.source, count(*) {source} GROUP BY e.source", params))


_BACKENDS: dict[str, Backend] = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def backend_for(db: BaseDatabaseWrapper | None = None) -> Backend:
    vendor = (db or connection).vendor
    try:
        return _BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"No search backend for the {vendor} database.") from None
