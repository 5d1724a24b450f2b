"""Public pages: the organisation directory and one page per organisation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import org_detail, org_inactive, org_search, org_tree

QUERY_MAX_LENGTH = 50


def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    return render(
        request,
        "orgs/directory.html",
        {
            "query": query,
            "results": org_search(query) if query else None,
            "tree": org_tree(),
            "inactive": org_inactive(),
            "query_max_length": QUERY_MAX_LENGTH,
        },
    )


def detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = org_detail(code)
    if organisation is None:
        raise Http404(_("没有机构代码为“%(code)s”的机构。") % {"code": code})
    return render(request, "orgs/detail.html", {"organisation": organisation})
