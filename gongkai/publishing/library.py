"""The public library of government information (政府信息公开): what the public may see, the
policy library's filters and facet counts, a document page, and the 公开指南's data.

**Visibility.** Every public page, feed, sitemap entry and API answer reads documents through
``public_documents``, which applies the one rule ``permissions.public_q``: 主动公开 and published
at least once, whatever its current status — a document under revision keeps showing its last
published version. A withdrawn document is left out of every list; only its own page stays, with
the withdrawal notice instead of the content.

**Text from the version, metadata from the document.** The ``Document`` row may hold the
unpublished draft of the next version, so the title, 文号, 内容概述 and body the public sees come
from the latest ``DocumentVersion`` (annotated as ``public_*``); the metadata (索引号, organisation,
genre, topic, 成文日期, 发布日期 (``published_at``: the first publication), validity, keywords,
attachments) comes from the document; ``last_published_at`` is the date of its latest version.

**The gazette.** Every 政府公报 issue is public; its table of contents lists only the documents
that are public (a document withdrawn since drops out, its number stays unused).
"""

import string
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlencode

import yaml
from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from .models import (
    GAZETTE_NUMBER_MAX,
    Attachment,
    Document,
    DocumentVersion,
    GazetteEntry,
    GazetteIssue,
    Genre,
    Interpretation,
    Topic,
    Validity,
)
from .permissions import public_q
from .reference import DATA_DIR


class PublicText(TypedDict):
    """What ``public_documents`` annotates on each document."""

    public_version: int
    public_title: str
    public_doc_no: str
    public_summary: str
    last_published_at: datetime


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    PublicDocument = WithAnnotations[Document, PublicText]
else:
    PublicDocument = Document

NEWEST_FIRST = ("-published_at", "-id")
QUERY_MAX_LENGTH = 50
ID_MAX = 2**63 - 1  # the largest primary key; larger numbers are not looked up at all
YEAR_MIN, YEAR_MAX = 1, 9999


def public_documents(*, include_withdrawn: bool = False) -> QuerySet[PublicDocument]:
    """The public documents with their public text (see the module docstring).

    ``include_withdrawn`` is for the one place that shows a withdrawn document: its own page,
    which shows the withdrawal notice only.
    """
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-version")
    return (
        Document.objects.filter(public_q(include_withdrawn=include_withdrawn))
        .annotate(
            public_version=Subquery(latest.values("version")[:1]),
            public_title=Subquery(latest.values("title")[:1]),
            public_doc_no=Subquery(latest.values("doc_no")[:1]),
            public_summary=Subquery(latest.values("summary")[:1]),
            last_published_at=Subquery(latest.values("published_at")[:1]),
        )
        .select_related("organisation", "genre", "topic__parent")
        .defer("summary", "body")  # the draft's; the public text is annotated above
        .order_by(*NEWEST_FIRST)
    )


def public_document(
    *, index_no: str | None = None, pk: int | None = None, include_withdrawn: bool = False
) -> PublicDocument | None:
    """One public document by 索引号 or id, or None."""
    lookup: dict[str, object] = {"index_no": index_no} if index_no is not None else {"pk": pk}
    return public_documents(include_withdrawn=include_withdrawn).filter(**lookup).first()


# ---- The policy library: filters and facets ---------------------------------------------------


def _bounded_int(value: str | None, maximum: int) -> int | None:
    """A positive whole number written in ASCII digits, or None."""
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """The policy library's filters; a topic selects itself and, for a top-level one, its
    children. An empty or unset field does not filter."""

    org: str = ""  # organisation code
    year: int | None = None  # of 成文日期
    topic: int | None = None
    genre: int | None = None
    validity: str = ""
    q: str = ""  # in the public title or 文号

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "LibraryFilter":
        """Read the filters from a query string; malformed values are ignored."""
        validity = params.get("validity", "")
        return cls(
            org=params.get("org", "").strip()[:QUERY_MAX_LENGTH],
            year=_bounded_int(params.get("year"), YEAR_MAX),
            topic=_bounded_int(params.get("topic"), ID_MAX),
            genre=_bounded_int(params.get("genre"), ID_MAX),
            validity=validity if validity in Validity.values else "",
            q=params.get("q", "").strip()[:QUERY_MAX_LENGTH],
        )

    def params(self) -> dict[str, str]:
        """The filters that are set, as query-string parameters."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {name: str(value) for name, value in values.items() if value}

    def query(self) -> str:
        return urlencode(self.params())

    def apply(
        self, documents: QuerySet[PublicDocument], *, skip: str = ""
    ) -> QuerySet[PublicDocument]:
        """``documents`` narrowed by every filter except ``skip`` (for that filter's facet)."""
        conditions = Q()
        if self.org and skip != "org":
            conditions &= Q(organisation__code=self.org)
        if self.year and skip != "year":
            conditions &= Q(written_on__year=self.year)
        if self.topic and skip != "topic":
            conditions &= Q(topic_id=self.topic) | Q(topic__parent_id=self.topic)
        if self.genre and skip != "genre":
            conditions &= Q(genre_id=self.genre)
        if self.validity and skip != "validity":
            conditions &= Q(validity=self.validity)
        if self.q:
            conditions &= Q(public_title__icontains=self.q) | Q(public_doc_no__icontains=self.q)
        return documents.filter(conditions)


def library_search(filters: LibraryFilter) -> QuerySet[PublicDocument]:
    """The public documents the filters select, newest first."""
    return filters.apply(public_documents())


@dataclass(frozen=True, slots=True)
class FacetOption:
    label: str
    count: int
    selected: bool
    query: str  # the library's query string choosing this option, or clearing it when chosen


@dataclass(frozen=True, slots=True)
class Facet:
    param: str
    label: str | Promise
    options: list[FacetOption]
    clear_query: str  # the query string without this facet's choice

    @property
    def is_active(self) -> bool:
        return any(option.selected for option in self.options)


_UNSET = asdict(LibraryFilter())


def _facet(
    filters: LibraryFilter,
    param: str,
    label: str | Promise,
    rows: list[dict[str, Any]],
    *,
    label_of: Callable[[Any], str] = str,
    selected: object = None,
    cleared: LibraryFilter | None = None,
) -> Facet:
    """A facet over ``rows`` (``value``, ``count``, maybe ``label``). By default the chosen
    value is the filter's own and clearing unsets it."""
    chosen = getattr(filters, param) if selected is None else selected
    cleared = cleared or replace(filters, **{param: _UNSET[param]})
    options = [
        FacetOption(
            label=label_of(row.get("label", row["value"])),
            count=row["count"],
            selected=row["value"] == chosen,
            query=(
                cleared if row["value"] == chosen else replace(filters, **{param: row["value"]})
            ).query(),
        )
        for row in rows
    ]
    return Facet(param=param, label=label, options=options, clear_query=cleared.query())


def library_facets(filters: LibraryFilter) -> list[Facet]:
    """The count of documents for each value of each filter, among the documents the *other*
    filters select (so a count is what choosing that value would give): one GROUP BY each."""

    def counts(
        skip: str, *order: str, where: Q | None = None, **group: Any
    ) -> list[dict[str, Any]]:
        documents = filters.apply(public_documents(), skip=skip).filter(where or Q())
        return list(
            documents.order_by().values(**group).annotate(count=Count("pk")).order_by(*order)
        )

    topic = Topic.objects.filter(pk=filters.topic).first() if filters.topic else None
    root_id = (topic.parent_id or topic.pk) if topic else None
    validities = counts("validity", value=F("validity"))
    validities.sort(key=lambda row: Validity.values.index(row["value"]))
    facets = [
        _facet(
            filters,
            "org",
            _("发布机构"),
            counts(
                "org",
                "-count",
                "label",
                value=F("organisation__code"),
                label=F("organisation__name"),
            ),
        ),
        _facet(
            filters,
            "year",
            _("成文年份"),
            counts("year", "-value", value=ExtractYear("written_on")),
            label_of=lambda year: _("%(year)d年") % {"year": year},
        ),
        _facet(
            filters,
            "topic",
            _("主题分类"),
            counts(
                "topic",
                "order",
                "value",
                value=Coalesce("topic__parent_id", "topic_id"),
                label=Coalesce("topic__parent__name", "topic__name"),
                order=Coalesce("topic__parent__sort_order", "topic__sort_order"),
            ),
            selected=root_id,
        ),
    ]
    if root_id is not None:
        children = counts(
            "topic",
            "order",
            "value",
            where=Q(topic__parent_id=root_id),
            value=F("topic_id"),
            label=F("topic__name"),
            order=F("topic__sort_order"),
        )
        facets.append(
            _facet(
                filters,
                "topic",
                _("主题子类"),
                children,
                cleared=replace(filters, topic=root_id),  # back to the top level
            )
        )
    genres = counts(
        "genre",
        "order",
        "value",
        value=F("genre_id"),
        label=F("genre__name"),
        order=F("genre__sort_order"),
    )
    facets += [
        _facet(filters, "genre", _("体裁"), genres),
        _facet(
            filters,
            "validity",
            _("有效性"),
            validities,
            label_of=lambda value: str(Validity(value).label),
        ),
    ]
    return facets


# ---- A document page --------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentPage:
    """Everything a document's public page (and the API's detail) shows."""

    document: PublicDocument
    version: DocumentVersion  # the version shown: the latest, or an older one asked for
    versions: list[DocumentVersion]  # every published version, newest first
    issuers: list[Organisation]  # the issuing organisation, then the co-issuers
    interpretation: Interpretation | None  # when the document is itself an interpretation
    interpretations: list[PublicDocument]  # its public interpretations (``.interpretation`` set)
    policies: list[PublicDocument]  # the public policies it interprets
    related: list[PublicDocument]  # newest public documents of the same topic
    replaced_by: PublicDocument | None  # the replacing document, when public
    attachments: list[Attachment]
    gazettes: list[GazetteIssue]

    @property
    def is_latest(self) -> bool:
        return self.version.version == self.versions[0].version


RELATED_COUNT = 5


def document_page(document: PublicDocument, *, version: int | None = None) -> DocumentPage | None:
    """The page of a public document showing ``version`` (default: the latest); None when that
    version was never published."""
    versions = list(document.versions.order_by("-version"))
    shown = (
        versions[0]
        if version is None
        else next((candidate for candidate in versions if candidate.version == version), None)
    )
    if shown is None:
        return None
    listed = public_documents()
    return DocumentPage(
        document=document,
        version=shown,
        versions=versions,
        issuers=[document.organisation, *document.co_issuers.all()],
        interpretation=Interpretation.objects.filter(document=document).first(),
        interpretations=list(
            listed.filter(interpretation__policies=document).select_related("interpretation")
        ),
        policies=list(listed.filter(interpretations__document=document)),
        related=list(
            listed.filter(topic_id=document.topic_id).exclude(pk=document.pk)[:RELATED_COUNT]
        ),
        replaced_by=(
            listed.filter(pk=document.replaced_by_id).first() if document.replaced_by_id else None
        ),
        attachments=list(document.attachments.all()),
        gazettes=list(document.gazettes.all()),
    )


# ---- The 公开指南 -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryLink:
    label: str
    query: str  # the policy library's query string


@dataclass(frozen=True, slots=True)
class StatutoryCategory:
    """One item of the proactively disclosed information listed by 《条例》 art. 20."""

    number: str
    text: str
    links: list[CategoryLink]


@cache
def _statutory_data() -> list[dict[str, Any]]:
    text = (DATA_DIR / "statutory_categories.yaml").read_text(encoding="utf-8")
    data: list[dict[str, Any]] = yaml.safe_load(text)
    return data


def statutory_categories() -> list[StatutoryCategory]:
    """The art. 20 categories, each with links to the library filtered by the topics and genres
    that hold it (a name administrators have since changed is left out)."""
    topics = {str(topic): topic for topic in Topic.objects.select_related("parent")}
    genres = {genre.name: genre for genre in Genre.objects.all()}
    categories = []
    for item in _statutory_data():
        links = [
            CategoryLink(
                label=topics[name].name, query=LibraryFilter(topic=topics[name].pk).query()
            )
            for name in item.get("topics", [])
            if name in topics
        ] + [
            CategoryLink(label=name, query=LibraryFilter(genre=genres[name].pk).query())
            for name in item.get("genres", [])
            if name in genres
        ]
        categories.append(StatutoryCategory(number=item["number"], text=item["text"], links=links))
    return categories


INDEX_NO_PARTS = {"org_code": _("机构代码"), "YYYY": _("年份"), "seq": _("顺序号")}

# The OGI office's facts the 公开指南 must give (《条例》第十二条), from settings; an unset one is
# left out, so nothing is ever invented.
OGI_OFFICE_FACTS = (
    ("GONGKAI_OGI_OFFICE_NAME", _("名称")),
    ("GONGKAI_OGI_OFFICE_ADDRESS", _("办公地址")),
    ("GONGKAI_OGI_OFFICE_HOURS", _("办公时间")),
    ("GONGKAI_OGI_OFFICE_PHONE", _("联系电话")),
    ("GONGKAI_OGI_OFFICE_FAX", _("传真号码")),
    ("GONGKAI_OGI_OFFICE_ONLINE", _("互联网联系方式")),
)


@dataclass(frozen=True, slots=True)
class DisclosureGuide:
    """The data of the 公开指南 (《条例》第十二条) and of the art. 20 list."""

    office_facts: list[tuple[str | Promise, str]]  # (label, value), only those set
    index_no_layout: str  # the 索引号 template in words, e.g. 机构代码/年份-顺序号
    root_topics: list[Topic]
    genres: list[Genre]
    categories: list[StatutoryCategory]


def _index_no_layout(template: str) -> str:
    return "".join(
        literal + (str(INDEX_NO_PARTS.get(name, name)) if name else "")
        for literal, name, _spec, _conversion in string.Formatter().parse(template)
    )


def disclosure_guide() -> DisclosureGuide:
    return DisclosureGuide(
        office_facts=[
            (label, value) for name, label in OGI_OFFICE_FACTS if (value := getattr(settings, name))
        ],
        index_no_layout=_index_no_layout(settings.GONGKAI_INDEX_NO_TEMPLATE),
        root_topics=list(Topic.objects.filter(parent=None)),
        genres=list(Genre.objects.all()),
        categories=statutory_categories(),
    )


# ---- The gazette ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GazetteYear:
    year: int
    issues: int


def gazette_years() -> list[GazetteYear]:
    """The years with gazette issues, newest first, with how many issues each has."""
    rows = (
        GazetteIssue.objects.order_by()
        .values("year")
        .annotate(issues=Count("pk"))
        .order_by("-year")
    )
    return [GazetteYear(year=row["year"], issues=row["issues"]) for row in rows]


def gazette_issues(year: int) -> list[GazetteIssue]:
    """The issues of ``year`` by number, each annotated with ``public_count``: how many of its
    listed documents are public."""
    return list(
        GazetteIssue.objects.filter(year=year)
        .annotate(public_count=Count("entries", filter=public_q("entries__document__")))
        .order_by("number")
    )


@dataclass(frozen=True, slots=True)
class GazetteContentsEntry:
    position: int  # the document's number in the issue's table of contents
    document: PublicDocument


@dataclass(frozen=True)
class GazetteIssuePage:
    issue: GazetteIssue
    contents: list[GazetteContentsEntry]  # the public documents, in the issue's order
    previous: GazetteIssue | None
    next: GazetteIssue | None


def gazette_issue_page(*, year: int, number: int) -> GazetteIssuePage | None:
    """An issue with its public contents and its neighbours; None when there is no such issue."""
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= number <= GAZETTE_NUMBER_MAX):
        return None
    issue = GazetteIssue.objects.filter(year=year, number=number).first()
    if issue is None:
        return None
    entries = list(
        GazetteEntry.objects.filter(issue=issue)
        .order_by("sort_order", "pk")
        .values_list("sort_order", "document_id")
    )
    documents = public_documents().in_bulk([document_id for _position, document_id in entries])
    later = Q(year__gt=year) | Q(year=year, number__gt=number)
    return GazetteIssuePage(
        issue=issue,
        contents=[
            GazetteContentsEntry(position=position, document=documents[document_id])
            for position, document_id in entries
            if document_id in documents
        ],
        previous=GazetteIssue.objects.filter(~later & ~Q(pk=issue.pk))
        .order_by("-year", "-number")
        .first(),
        next=GazetteIssue.objects.filter(later).order_by("year", "number").first(),
    )
