"""The public search page and the staff page of the index (state, rebuild)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.pagecache import cached_public_page

from .permissions import can_manage_index
from .selectors import QUERY_MAX_LENGTH, Query, index_status, search, source_labels
from .services import index_rebuild


@cached_public_page
def results(request: HttpRequest) -> HttpResponse:
    query = Query.from_params(request.GET)
    found = search(query) if query.q else None
    context = {
        "query": query,
        "found": found,
        "labels": source_labels(),
        "query_max_length": QUERY_MAX_LENGTH,
    }
    return render(request, "search/results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage_index(user):
        raise PermissionDenied(_("您没有权限管理搜索索引。"))
    if request.method == "POST":
        written = index_rebuild(actor=user)
        messages.success(request, _("搜索索引已重建，共 %(count)d 条。") % {"count": written})
        return redirect("search:index")
    return render(request, "search/index.html", {"status": index_status()})
