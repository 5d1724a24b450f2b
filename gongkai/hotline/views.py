"""Public pages of 12345 (under ``/12345/``): the web form and its receipt, a public user's own
orders with the rating of the reply, the public message board (网民留言) and the rates page.

The board and the search show only ``selectors.published_messages`` — consented and replied
orders — with their title, content and reply masked (``core.privacy.mask``) and never the
caller's name, phone or e-mail. The rates page is public (assessment results are published) and
holds no personal data.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.core.privacy import mask
from gongkai.orgs.models import Kind, Level, Organisation

from . import selectors, services
from .errors import HotlineErrorCode
from .forms import BoardFilterForm, RatesMonthForm, RatingForm, WebOrderForm
from .indexing import message_title
from .models import Channel, Satisfaction, WorkOrder

RECEIPT_KEY = "hotline.receipt"
"""The session entry holding a new order's number until its receipt has been shown."""
PAGE_SIZE = 20
TREND_MONTHS = 6
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new(request: HttpRequest) -> HttpResponse:
    """网上留言: the request is saved, with its number, before the receipt shows the number."""
    posted = request.method == "POST"
    form = WebOrderForm(request.POST if posted else None)
    if posted and form.is_valid():
        user = request.user
        account = user if isinstance(user, User) else None
        try:
            order = services.order_create(
                actor=account, channel=Channel.WEB, intake=form.intake(), account=account
            )
        except CoreError as error:
            form.add_service_error(error)
        else:
            request.session[RECEIPT_KEY] = order.number
            return redirect("hotline:receipt")
    return render(
        request, "hotline/public/new.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    number = request.session.get(RECEIPT_KEY)
    if number is None:
        return redirect("hotline:new")
    order = WorkOrder.objects.filter(number=number).first()
    if order is None:
        raise Http404
    return render(request, "hotline/public/receipt.html", {"order": order})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    orders = selectors.own_orders(request.user).select_related("category", "lead")
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "hotline/public/mine.html", {"page": page, "ratings": Satisfaction.choices}
    )


@login_required
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """The citizen rates the reply to their own order; someone else's order is a 404."""
    order = selectors.own_orders(request.user).filter(number=number).first()
    if order is None:
        raise Http404(_("没有找到该工单，或您无权查看。"))
    form = RatingForm(request.POST)
    if form.is_valid():
        user = request.user
        assert isinstance(user, User)
        try:
            services.order_rate(actor=user, order=order, rating=form.cleaned_data["rating"])
        except CoreError as error:
            messages.error(request, error.message)
            status = 403 if error.code == HotlineErrorCode.PERMISSION_DENIED else 409
            return _mine_with_error(request, status)
        messages.success(request, _("感谢您的评价。"))
        return redirect("hotline:mine")
    messages.error(request, " ".join(str(e) for e in form.errors["rating"]))
    return _mine_with_error(request, 400)


def _mine_with_error(request: HttpRequest, status: int) -> HttpResponse:
    response = mine(request)
    response.status_code = status
    return response


# ---- The message board ----------------------------------------------------------------------


def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    found = selectors.published_messages()
    status = 200
    if form.is_bound and not form.is_valid():
        found, status = found.none(), 400
    elif form.is_bound:
        data = form.cleaned_data
        if data["category"]:
            chosen = data["category"]
            found = found.filter(Q(category=chosen) | Q(category__parent=chosen))
        if data["organisation"]:
            found = found.filter(lead=data["organisation"])
        if data["month"]:
            start, end = selectors.month_bounds(data["month"])
            found = found.filter(replied_at__gte=start, replied_at__lt=end)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"order": order, "title": message_title(order)} for order in page]
    return render(
        request,
        "hotline/public/board.html",
        {"form": form, "page": page, "rows": rows},
        status=status,
    )


def message(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.published_messages().filter(number=number).first()
    if order is None:
        raise Http404(_("没有找到该留言。"))
    return render(
        request,
        "hotline/public/message.html",
        {
            "order": order,
            "title": message_title(order),
            "content": mask(order.content),
            "reply": mask(order.reply),
        },
    )


# ---- The rates page -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatesRow:
    rank: int | None
    rates: selectors.OrgRates
    trend: list[float | None]

    @property
    def cells(self) -> list[str]:
        """响应率, 解决率, 满意率 as percentages and the score, "—" where not measured."""
        r = self.rates
        rates = [r.response_rate, r.resolution_rate, r.satisfaction_rate]
        return [_percent(rate) for rate in rates] + [_score(r.score)]

    @property
    def trend_cells(self) -> list[str]:
        return [_score(score) for score in self.trend]


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:.2f}"


@dataclass(frozen=True)
class RatesGroup:
    label: str
    rows: list[RatesRow]


def _group_of(organisation: Organisation) -> int:
    """0: departments, 1: streets and townships, 2: district governments and others."""
    if organisation.level == Level.STREET:
        return 1
    return 2 if organisation.kind == Kind.GOVERNMENT else 0


def rates_groups(month: date) -> tuple[list[date], list[RatesGroup]]:
    """The month's rates ranked within each group, with every organisation's score trend."""
    months, trend = selectors.rates_trend(month, TREND_MONTHS)
    labels = [_("部门"), _("街道（乡镇）"), _("区政府及其他单位")]
    grouped: list[list[selectors.OrgRates]] = [[], [], []]
    for rates in selectors.monthly_rates(month):  # best score first
        grouped[_group_of(rates.organisation)].append(rates)
    groups = []
    for label, members in zip(labels, grouped, strict=True):
        rows = [
            RatesRow(
                rank=position if rates.score is not None else None,
                rates=rates,
                trend=trend.get(rates.organisation.pk, [None] * TREND_MONTHS),
            )
            for position, rates in enumerate(members, start=1)
        ]
        if rows:
            groups.append(RatesGroup(label=label, rows=rows))
    return months, groups


def _month(request: HttpRequest) -> tuple[RatesMonthForm, date | None]:
    form = RatesMonthForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    chosen = form.cleaned_data.get("month") if form.is_bound else None
    return form, chosen or timezone.localdate().replace(day=1)


def rates(request: HttpRequest) -> HttpResponse:
    form, month = _month(request)
    context: dict[str, object] = {"form": form, "month": month}
    if month is not None:
        months, groups = rates_groups(month)
        context.update(months=months, groups=groups)
    context.update(
        response_hours=settings.GONGKAI_HOTLINE_RESPONSE_HOURS,
        basic_weight=settings.GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT,
        weights=_weights(),
    )
    return render(
        request, "hotline/public/rates.html", context, status=400 if month is None else 200
    )


def _weights() -> dict[str, float]:
    """The weights of the score as percentages of their sum."""
    weights = settings.GONGKAI_HOTLINE_RATE_WEIGHTS
    total = sum(weights.values())
    return {key: round(100 * value / total, 1) for key, value in weights.items()}


def rates_xlsx(request: HttpRequest) -> HttpResponse:
    month = _month(request)[1]
    if month is None:
        return rates(request)  # the page with the form's message, a 400
    groups = rates_groups(month)[1]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{month:%Y-%m}"
    sheet.append(
        [
            _("分组"),
            _("排名"),
            _("单位"),
            _("工单数"),
            _("响应率"),
            _("解决率"),
            _("满意率"),
            _("综合得分"),
        ]
    )
    for group in groups:
        for row in group.rows:
            r = row.rates
            sheet.append(
                [
                    group.label,
                    row.rank,
                    r.organisation.name,
                    r.orders,
                    r.response_rate,
                    r.resolution_rate,
                    r.satisfaction_rate,
                    r.score,
                ]
            )
    for column in "EFG":
        for cell in sheet[column][1:]:
            cell.number_format = "0.0%"
    for cell in sheet["H"][1:]:
        cell.number_format = "0.00"
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="12345-rates-{month:%Y-%m}.xlsx"'
    return response
