"""JSON API of the site search (mounted by the ``api`` app at ``/api/search/``)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from .backends import COUNT_LIMIT, Order
from .selectors import PAGE_SIZE, PAGE_SIZE_MAX, QUERY_MAX_LENGTH, YEAR_MAX, YEAR_MIN, search
from .selectors import Query as SearchQuery

router = Router(tags=["全站搜索"])


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=QUERY_MAX_LENGTH, description="关键词")
    source: str = Field("", max_length=40, description="来源（如 document 政府信息）")
    org: str = Field("", max_length=QUERY_MAX_LENGTH, description="发布机构代码（含所属机构）")
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="发布年份")
    sort: Order = Field(Order.RELEVANCE, description="relevance 按相关度，date 按发布日期")
    page: int = Field(1, ge=1, le=10_000, description="页码")
    page_size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="每页条数")


class OrganisationRef(Schema):
    code: str
    name: str


class SearchHit(Schema):
    id: str = Field(description="来源:来源编号，例如 document:42")
    source: str
    source_label: str
    title: str = Field(description="标题（个人信息已遮盖）")
    title_html: str = Field(description="标题，关键词以 <mark> 标出")
    snippet_html: str = Field(description="正文摘录，关键词以 <mark> 标出")
    url: str
    category: str
    organisation: OrganisationRef | None
    published_at: datetime | None
    score: float


class SearchAnswer(Schema):
    total: int = Field(description=f"结果条数（计数到 {COUNT_LIMIT} 条为止）")
    more: bool = Field(description="true：匹配的结果多于 total 条，只列出最新的 total 条")
    page: int
    pages: int
    match_all: bool = Field(
        description="false：没有同时包含全部关键词的结果，返回的是包含任一关键词的结果"
    )
    words: list[str] = Field(description="关键词的分词结果")
    results: list[SearchHit]


@router.get("/", response=SearchAnswer, summary="全站搜索")
def search_api(request: HttpRequest, params: Query[SearchParams]) -> SearchAnswer:
    found = search(
        SearchQuery(
            q=params.q,
            source=params.source,
            org=params.org,
            year=params.year,
            order=params.sort,
            page=params.page,
            page_size=params.page_size,
        )
    )
    return SearchAnswer(
        total=found.total,
        more=found.more,
        page=found.page.number if found.results else params.page,
        pages=found.page.paginator.num_pages if found.total else 0,
        match_all=found.match_all,
        words=[term.word for term in found.terms],
        results=[
            SearchHit(
                id=f"{r.entry.source}:{r.entry.key}",
                source=r.entry.source,
                source_label=r.source_label,
                title=r.entry.title,
                title_html=str(r.title),
                snippet_html=str(r.snippet),
                url=r.entry.url,
                category=r.entry.category,
                organisation=(
                    OrganisationRef(code=r.entry.organisation.code, name=r.entry.organisation.name)
                    if r.entry.organisation
                    else None
                ),
                published_at=r.entry.published_at,
                score=r.score,
            )
            for r in found.results
        ],
    )
