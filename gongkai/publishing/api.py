"""JSON API of the public government information (mounted by the ``api`` app at
``/api/documents/``). Only public documents, read through ``library``; the text is that of the
latest published version."""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from .library import (
    ID_MAX,
    QUERY_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    LibraryFilter,
    PublicDocument,
    document_page,
    library_search,
    public_document,
)
from .models import InterpretationForm, Validity

router = Router(tags=["政府信息"])

PAGE_SIZE_MAX = 100


class DocumentFilters(Schema):
    org: str = Field("", max_length=QUERY_MAX_LENGTH, description="发布机构代码")
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="成文年份")
    topic: int | None = Field(
        None, ge=1, le=ID_MAX, description="主题分类 id（一级分类包括其下的二级分类）"
    )
    genre: int | None = Field(None, ge=1, le=ID_MAX, description="体裁 id")
    validity: Validity | None = Field(None, description="有效性")
    q: str = Field("", max_length=QUERY_MAX_LENGTH, description="标题或发文字号中的文字")


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=PAGE_SIZE_MAX, description="每页条数")
    offset: int = Field(0, ge=0, description="跳过的条数")


class OrganisationRef(Schema):
    code: str
    name: str


class NamedRef(Schema):
    id: int
    name: str


class TopicRef(NamedRef):
    parent: NamedRef | None = Field(description="一级分类（本身是一级分类时为空）")


class DocumentRef(Schema):
    id: int
    index_no: str = Field(description="索引号")
    title: str
    url: str = Field(description="公开页面地址")


class DocumentOut(DocumentRef):
    doc_no: str = Field(description="发文字号")
    organisation: OrganisationRef = Field(description="发布机构")
    genre: NamedRef = Field(description="体裁")
    topic: TopicRef = Field(description="主题分类")
    written_on: date = Field(description="成文日期")
    published_at: datetime | None = Field(description="发布日期（首次发布）")
    validity: Validity = Field(description="有效性")


class DocumentList(Schema):
    count: int
    items: list[DocumentOut]


class InterpretationRef(DocumentRef):
    form: InterpretationForm = Field(description="解读形式")
    leader_name: str = Field(description="解读负责人（负责人解读）")


class VersionOut(Schema):
    version: int
    title: str
    published_at: datetime
    change_note: str = Field(description="修订说明")


class DocumentDetail(DocumentOut):
    summary: str = Field(description="内容概述")
    body: str = Field(description="正文（HTML）")
    keywords: str = Field(description="主题词")
    interpretations: list[InterpretationRef] = Field(description="本文件的政策解读")
    policies: list[DocumentRef] = Field(description="本解读所解读的政策文件")
    versions: list[VersionOut] = Field(description="历史版本，新版本在前")


def _ref(request: HttpRequest, document: PublicDocument) -> dict[str, object]:
    url = reverse("publishing:detail", args=[document.index_no])
    return {
        "id": document.pk,
        "index_no": document.index_no,
        "title": document.public_title,
        "url": request.build_absolute_uri(url),
    }


def _out(request: HttpRequest, document: PublicDocument) -> dict[str, object]:
    return {
        **_ref(request, document),
        "doc_no": document.public_doc_no,
        "organisation": document.organisation,
        "genre": document.genre,
        "topic": document.topic,
        "written_on": document.written_on,
        "published_at": document.published_at,
        "validity": document.validity,
    }


@router.get("/", response=DocumentList, summary="政府信息列表")
def list_documents(
    request: HttpRequest, filters: Query[DocumentFilters], page: Query[PageParams]
) -> dict[str, object]:
    """Public documents, newest first, filtered like the policy library."""
    documents = library_search(
        LibraryFilter(
            org=filters.org.strip(),
            year=filters.year,
            topic=filters.topic,
            genre=filters.genre,
            validity=filters.validity or "",
            q=filters.q.strip(),
        )
    )
    return {
        "count": documents.count(),
        "items": [
            _out(request, document)
            for document in documents[page.offset : page.offset + page.limit]
        ],
    }


@router.get("/{document_id}", response=DocumentDetail, summary="政府信息详情")
def document_detail(request: HttpRequest, document_id: int) -> dict[str, object]:
    document = public_document(pk=document_id)
    page = document_page(document) if document is not None else None
    if page is None:
        raise Http404
    return {
        **_out(request, page.document),
        "summary": page.version.summary,
        "body": page.version.body,
        "keywords": page.document.keywords,
        "interpretations": [
            {
                **_ref(request, interpretation),
                "form": interpretation.interpretation.form,
                "leader_name": interpretation.interpretation.leader_name,
            }
            for interpretation in page.interpretations
        ],
        "policies": [_ref(request, policy) for policy in page.policies],
        "versions": page.versions,
    }
