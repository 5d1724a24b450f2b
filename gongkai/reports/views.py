"""Pages of the annual report, mounted at ``/ndbg/`` (年度报告).

Public: the published reports by year and organisation, each report's page and its DOCX, XLSX
and PDF files. Staff (``gl/``, a handler or the openness office; anyone else 403, a report the
user does not manage 404): the list with a form to start a report, the edit page (narrative,
scope, table 二), the preview with the format's checks and the actions the user may take
(submit, publish), and the exports in the four formats. A refused action re-renders the page
with the Chinese message: 403 when the user may not, 409 when the report's stage does not
allow it, 400 for anything else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.core.pagecache import cached_public_page

from . import permissions, selectors, services
from .content import ReportContent
from .errors import ReportError
from .exports import EXPORTS, report_body_html
from .forms import CreateForm, ReportForm
from .models import EDITABLE_STAGES, AnnualReport
from .services import EDITABLE_FIELDS

PAGE_SIZE = 30
PUBLIC_FORMATS = ("docx", "xlsx", "pdf")


def _download(content: ReportContent, fmt: str) -> HttpResponse:
    export = EXPORTS[fmt]
    response = HttpResponse(export.render(content), content_type=export.content_type)
    filename = f"{content.title}.{fmt}"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    return response


# ---- Public -----------------------------------------------------------------------------------


@cached_public_page
def index(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("year", "")
    year = int(text) if text.isdecimal() else None
    organisation = request.GET.get("q", "")[:50]
    reports = selectors.published_reports(year=year, organisation=organisation)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/public/index.html",
        {
            "page": page,
            "years": selectors.published_years(),
            "year": year,
            "q": organisation,
            "formats": PUBLIC_FORMATS,
        },
    )


def _published(code: str, year: int) -> AnnualReport:
    report = selectors.published_report(code, year)
    if report is None:
        raise Http404(_("没有找到这份已发布的年度报告。"))
    return report


@cached_public_page
def detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _published(code, year)
    content = selectors.report_content(report)
    return render(
        request,
        "reports/public/detail.html",
        {
            "report": report,
            "content": content,
            "body": report_body_html(content),
            "formats": PUBLIC_FORMATS,
        },
    )


def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in PUBLIC_FORMATS:
        raise Http404(_("不支持这种文件格式。"))
    return _download(selectors.report_content(_published(code, year)), fmt)


# ---- Staff ------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not permissions.has_report_role(user):
        raise PermissionDenied
    return user


def _report(user: User, pk: int) -> AnnualReport:
    return get_object_or_404(selectors.staff_reports(user), pk=pk)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = CreateForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if form.is_valid():
        try:
            report = services.report_create(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                year=form.cleaned_data["year"],
            )
        except ReportError as error:
            form.add_error(None, error.message)
            status = error.http_status
        else:
            messages.success(request, _("已新建年度报告，请填写各部分内容。"))
            return redirect("reports:staff-edit", pk=report.pk)
    elif form.is_bound:
        status = 400
    page = Paginator(selectors.staff_reports(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(report, selectors.report_stage(report)) for report in page]
    return render(
        request,
        "reports/staff/list.html",
        {"form": form, "page": page, "rows": rows},
        status=status,
    )


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    report = _report(user, pk)
    stage = selectors.report_stage(report)
    ids = selectors.scope_ids(report.organisation, report.scope)
    computed = selectors.table2_computed(ids, report.year)
    initial = {name: getattr(report, name) for name in EDITABLE_FIELDS}
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        computed=computed,
        disabled=stage not in EDITABLE_STAGES,
    )
    status = 200
    if form.is_valid():
        try:
            services.report_update(actor=user, report=report, **form.cleaned_data)
        except ReportError as error:
            form.add_error(None, error.message)
            status = error.http_status
        else:
            messages.success(request, _("已保存。"))
            return redirect("reports:staff-preview", pk=report.pk)
    elif form.is_bound:
        status = 400
    return render(
        request,
        "reports/staff/edit.html",
        {
            "report": report,
            "stage": stage,
            "editable": stage in EDITABLE_STAGES,
            "form": form,
        },
        status=status,
    )


def _preview(
    request: HttpRequest, user: User, report: AnnualReport, *, error: CoreError | None = None
) -> HttpResponse:
    stage = selectors.report_stage(report)
    content = selectors.report_content(report)
    return render(
        request,
        "reports/staff/preview.html",
        {
            "report": report,
            "stage": stage,
            "content": content,
            "body": report_body_html(content),
            "failures": content.failures(),
            "editable": stage in EDITABLE_STAGES,
            "can_submit": stage in EDITABLE_STAGES and permissions.can_submit(user, report),
            "can_publish": permissions.can_publish(user, report),
            "formats": EXPORTS,
            "error": error,
        },
        status=error.http_status if error else 200,
    )


@login_required
def staff_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    return _preview(request, user, _report(user, pk))


@login_required
def staff_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = _staff(request)
    report = _report(user, pk)
    if fmt not in EXPORTS:
        raise Http404(_("不支持这种文件格式。"))
    return _download(selectors.report_content(report), fmt)


@login_required
@require_POST
def staff_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    report = _report(user, pk)
    try:
        services.report_submit(actor=user, report=report)
    except CoreError as error:
        return _preview(request, user, _report(user, pk), error=error)
    messages.success(request, _("已提交发布，等待审核。"))
    return redirect("reports:staff-preview", pk=pk)


@login_required
@require_POST
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    report = _report(user, pk)
    try:
        services.report_publish(actor=user, report=report)
    except CoreError as error:
        return _preview(request, user, _report(user, pk), error=error)
    messages.success(request, _("年度报告已发布。"))
    return redirect("reports:staff-preview", pk=pk)
