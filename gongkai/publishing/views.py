"""Public pages: the 政府信息公开 column, the policy library, document pages and the 政府公报.

Documents are read only through ``library`` (the visibility rule lives there).
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongkai.core.pagecache import cached_public_page

from .library import (
    QUERY_MAX_LENGTH,
    LibraryFilter,
    disclosure_guide,
    document_page,
    gazette_issue_page,
    gazette_issues,
    gazette_years,
    library_facets,
    library_search,
    public_document,
)
from .models import Status

PAGE_SIZE = 20


@cached_public_page
def column(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/public/column.html", {"guide": disclosure_guide()})


@cached_public_page
def library(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilter.from_params(request.GET)
    page = Paginator(library_search(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/public/library.html",
        {
            "filters": filters,
            "page": page,
            "facets": library_facets(filters),
            "hidden_params": {k: v for k, v in filters.params().items() if k != "q"},
            "query_max_length": QUERY_MAX_LENGTH,
        },
    )


@cached_public_page
def detail(request: HttpRequest, index_no: str) -> HttpResponse:
    document = public_document(index_no=index_no, include_withdrawn=True)
    if document is None:
        raise Http404(_("没有索引号为“%(index_no)s”的公开信息。") % {"index_no": index_no})
    if document.status == Status.WITHDRAWN:
        # The page stays so that links keep working, but says only that it was withdrawn.
        return render(
            request, "publishing/public/withdrawn.html", {"document": document}, status=410
        )
    version = request.GET.get("version")
    # A malformed version number asks for version 0, which no document has.
    number = None if version is None else int(version) if version.isdecimal() else 0
    page = document_page(document, version=number)
    if page is None:
        raise Http404(_("该信息没有这个版本。"))
    return render(request, "publishing/public/detail.html", {"page": page})


@cached_public_page
def gazette(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The gazette archive: the years, and the issues of ``year`` (default: the latest)."""
    years = gazette_years()
    year_in_url = year is not None
    if year is None:
        year = years[0].year if years else None
    elif all(entry.year != year for entry in years):
        raise Http404(_("没有%(year)d年的政府公报。") % {"year": year})
    return render(
        request,
        "publishing/public/gazette_archive.html",
        {
            "years": years,
            "year": year,
            "year_in_url": year_in_url,
            "issues": gazette_issues(year) if year else [],
        },
    )


@cached_public_page
def gazette_issue(request: HttpRequest, year: int, number: int) -> HttpResponse:
    page = gazette_issue_page(year=year, number=number)
    if page is None:
        raise Http404(_("没有这一期政府公报。"))
    return render(request, "publishing/public/gazette_issue.html", {"page": page})
