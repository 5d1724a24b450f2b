"""Searching the index: the one query every search page, the API and the command go through.

A query is cut into words (``text.Segmenter.query_words``), each word widened by its synonyms.
Results must contain every word; when no entry does and the query has several words, the
entries containing any of them are shown instead, with a notice (``Results.match_all`` is
False). Results are ordered by relevance (the default) or by date, filtered by source,
publishing organisation (with the organisations under it) and year, ``PAGE_SIZE`` a page, each
with its title and a snippet of its text in which the query words are highlighted. A query
matching more than ``backends.COUNT_LIMIT`` entries shows that many (``Results.more``).

Everything in the index is public (each source indexes only what it publishes), so searching
needs no permission; ``permissions.py`` holds the rule for managing the index.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_subtree_ids

from . import dictionary
from .backends import EntryFilter, Hits, Order, backend_for, find
from .errors import SearchError, SearchErrorCode
from .models import Entry, IndexState
from .registry import sources
from .text import Term, highlight, query_terms, snippet

QUERY_MAX_LENGTH = 50
PAGE_SIZE = 10
PAGE_SIZE_MAX = 50
PAGE_MAX = 10_000
YEAR_MIN, YEAR_MAX = 1949, 2100


@dataclass(frozen=True, slots=True)
class Query:
    q: str
    source: str = ""
    org: str = ""  # organisation code
    year: int | None = None  # of the publication date
    order: Order = Order.RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "Query":
        """Read a query string leniently: a malformed filter is ignored, a long query cut."""
        year = params.get("year", "")
        page = params.get("page", "")
        order = params.get("sort", "")
        return cls(
            q=" ".join(params.get("q", "").split())[:QUERY_MAX_LENGTH],
            source=params.get("source", "") if params.get("source", "") in sources() else "",
            org=params.get("org", "").strip()[:QUERY_MAX_LENGTH],
            year=_number(year, YEAR_MIN, YEAR_MAX),
            order=Order(order) if order in {o.value for o in Order} else Order.RELEVANCE,
            page=_number(page, 1, PAGE_MAX) or 1,
        )


def _number(value: str, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits within [low, high], or None."""
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(high))):
        return None
    number = int(value)
    return number if low <= number <= high else None


@dataclass(frozen=True, slots=True)
class Result:
    entry: Entry
    score: float
    title: SafeString  # highlighted
    snippet: SafeString  # highlighted
    source_label: str


@dataclass
class Results:
    query: Query
    terms: list[Term]
    total: int  # at most backends.COUNT_LIMIT
    page: Page[int]
    results: list[Result]
    match_all: bool = True
    more: bool = False  # more entries match than ``total`` (counting stopped)
    # key, label, entries (None: not counted, because counting stopped)
    source_counts: list[tuple[str, str, int | None]] = field(default_factory=list)
    organisation: Organisation | None = None


def search(query: Query) -> Results:
    """One page of results for ``query``; an empty query raises ``SearchError``."""
    text = " ".join(query.q.split())
    if not text:
        raise SearchError(SearchErrorCode.EMPTY_QUERY)
    if len(text) > QUERY_MAX_LENGTH:
        raise SearchError(SearchErrorCode.QUERY_TOO_LONG, limit=QUERY_MAX_LENGTH, length=len(text))
    words, segmenter = dictionary.current()
    terms = query_terms(segmenter, text, words.synonyms)
    organisation = Organisation.objects.filter(code=query.org).first() if query.org else None
    where = _where(query, organisation)
    backend = backend_for()
    page_size = max(1, min(query.page_size, PAGE_SIZE_MAX))
    offset = (query.page - 1) * page_size
    match_all = True

    def run(all_terms: bool) -> Hits:
        return find(
            backend,
            terms,
            match_all=all_terms,
            where=where,
            order=query.order,
            offset=offset,
            limit=page_size,
        )

    hits = run(True) if terms else Hits(total=0)
    if hits.total == 0 and len(terms) > 1:
        match_all = False
        hits = run(False)
    page = Paginator(range(hits.total), page_size).get_page(query.page)
    counts: list[tuple[str, str, int | None]] = []
    if hits.sources and len(sources()) > 1:
        # Counts from a full window would be partial: every source is offered, uncounted.
        partial = hits.sources_partial
        counts = [
            (key, str(label), None if partial else hits.sources[key])
            for key, label in source_labels().items()
            if partial or key in hits.sources
        ]
    return Results(
        query=query,
        terms=terms,
        total=hits.total,
        page=page,
        results=_results(hits.ids, terms),
        match_all=match_all,
        more=hits.more,
        source_counts=counts,
        organisation=organisation,
    )


def _where(query: Query, organisation: Organisation | None) -> EntryFilter:
    since = until = None
    if query.year is not None:
        zone = timezone.get_current_timezone()
        since = datetime(query.year, 1, 1, tzinfo=zone)
        until = datetime(query.year + 1, 1, 1, tzinfo=zone)
    org_ids: frozenset[int] | None = None
    if query.org:
        org_ids = frozenset(org_subtree_ids(organisation)) if organisation else frozenset()
    return EntryFilter(
        sources=(query.source,) if query.source else (),
        organisation_ids=org_ids,
        since=since,
        until=until,
    )


def _results(ids: list[tuple[int, float]], terms: list[Term]) -> list[Result]:
    entries = Entry.objects.select_related("organisation").defer("title_tokens", "body_tokens")
    by_id = {entry.pk: entry for entry in entries.filter(pk__in=[pk for pk, _ in ids])}
    labels = {key: str(registered.label) for key, registered in sources().items()}
    return [
        Result(
            entry=by_id[pk],
            score=score,
            title=highlight(by_id[pk].title, terms),
            snippet=snippet(by_id[pk].body, terms),
            source_label=labels.get(by_id[pk].source, by_id[pk].source),
        )
        for pk, score in ids
        if pk in by_id
    ]


def source_labels() -> dict[str, str | Promise]:
    return {key: registered.label for key, registered in sources().items()}


@dataclass(frozen=True, slots=True)
class IndexStatus:
    entries: list[tuple[str, int]]  # (source label, number of entries), every registered source
    state: IndexState | None
    outdated: bool  # the dictionary changed since the last rebuild

    @property
    def total(self) -> int:
        return sum(n for _, n in self.entries)


def index_status() -> IndexStatus:
    counts = {
        row["source"]: row["n"]
        for row in Entry.objects.values("source").order_by("source").annotate(n=Count("id"))
    }
    state = IndexState.objects.filter(pk=1).first()
    words, _ = dictionary.current()
    return IndexStatus(
        entries=[(str(label), counts.get(key, 0)) for key, label in source_labels().items()],
        state=state,
        outdated=state is not None and state.fingerprint != words.fingerprint,
    )
