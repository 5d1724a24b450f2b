"""Reads of the hotline: time limits and expected completion times, and the three rates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import org_scope
from gongkai.core import calendar
from gongkai.orgs.models import Organisation

from .errors import HotlineError, HotlineErrorCode
from .models import (
    Assignment,
    AssignmentRole,
    CallBack,
    Category,
    ExtensionRequest,
    LimitUnit,
    OrderEvent,
    Satisfaction,
    Status,
    Supervision,
    TimeLimitRule,
    Urgency,
    WorkOrder,
)
from .permissions import centre_orders


def time_limit(*, urgency: str, complex: bool, request_type: str) -> TimeLimitRule:
    """The rule for an order: one for its request type before one for every type, and one for
    complex matters before the urgency's plain one."""
    rules = TimeLimitRule.objects.filter(
        urgency=urgency, complex__in=[complex, False], request_type__in=[request_type, ""]
    )
    ranked = sorted(rules, key=lambda r: (r.complex != complex, r.request_type != request_type))
    if not ranked:
        raise HotlineError(HotlineErrorCode.NO_TIME_LIMIT, urgency=Urgency(urgency).label)
    return ranked[0]


def due_at(start: datetime, rule: TimeLimitRule) -> datetime:
    """When an order started at ``start`` must be completed under ``rule``: hours and calendar
    days are added to the moment; working days are counted on the calendar (the start day not
    counted) and end at the same time of day."""
    if rule.unit == LimitUnit.HOURS:
        return start + timedelta(hours=rule.amount)
    if rule.unit == LimitUnit.CALENDAR_DAYS:
        return start + timedelta(days=rule.amount)
    local = timezone.localtime(start)
    day = calendar.add_workdays(local.date(), rule.amount)
    return timezone.make_aware(datetime.combine(day, time(local.hour, local.minute, local.second)))


# ---- The three rates (统一考核) -----------------------------------------------------------------


@dataclass(frozen=True)
class OrgRates:
    """One organisation's month. Rates are shares (0–1), None without orders to measure."""

    organisation: Organisation
    orders: int
    responded: int
    called_back: int
    resolved: int
    satisfied: float
    """满意 plus 基本满意 at its weight (``GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT``)."""

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.orders if self.orders else None

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.called_back if self.called_back else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.called_back if self.called_back else None

    @property
    def score(self) -> float | None:
        """The weighted composite, 0–100 (``GONGKAI_HOTLINE_RATE_WEIGHTS``); None until every
        rate can be measured."""
        weights = settings.GONGKAI_HOTLINE_RATE_WEIGHTS
        rates = {
            "response": self.response_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate,
        }
        if any(rate is None for rate in rates.values()):
            return None
        total = sum(weights.values())
        return 100 * sum(weights[key] * (rate or 0.0) for key, rate in rates.items()) / total


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next one, in the site's time zone."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(following, time.min, tzinfo=zone),
    )


def monthly_rates(month: date) -> list[OrgRates]:
    """The rates of every organisation that led orders received in ``month``, best score
    first (unmeasured last). One aggregate query over the month's orders."""
    start, end = month_bounds(month)
    latest = CallBack.objects.filter(order=OuterRef("pk")).order_by("-at", "-id")
    in_time = Assignment.objects.filter(
        order=OuterRef("pk"),
        role=AssignmentRole.LEAD,
        active=True,
        accepted_at__isnull=False,
        accepted_at__lte=F("dispatched_at")
        + timedelta(hours=settings.GONGKAI_HOTLINE_RESPONSE_HOURS),
    )
    orders = (
        WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end, lead__isnull=False)
        .exclude(status=Status.MERGED)
        .annotate(
            responded=Exists(in_time),
            last_resolved=Subquery(latest.values("resolved")[:1]),
            last_satisfaction=Subquery(latest.values("satisfaction")[:1]),
        )
    )
    basic = settings.GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT
    rows = orders.values("lead").annotate(
        n=Count("id"),
        responded_n=Count("id", filter=Q(responded=True)),
        called_back_n=Count("id", filter=Q(last_resolved__isnull=False)),
        resolved_n=Count("id", filter=Q(last_resolved=True)),
        satisfied_n=Count("id", filter=Q(last_satisfaction=Satisfaction.SATISFIED)),
        basic_n=Count("id", filter=Q(last_satisfaction=Satisfaction.BASIC)),
    )
    organisations = Organisation.objects.in_bulk([row["lead"] for row in rows])
    rates = [
        OrgRates(
            organisation=organisations[row["lead"]],
            orders=row["n"],
            responded=row["responded_n"],
            called_back=row["called_back_n"],
            resolved=row["resolved_n"],
            satisfied=row["satisfied_n"] + basic * row["basic_n"],
        )
        for row in rows
    ]
    return sorted(rates, key=lambda r: (r.score is None, -(r.score or 0.0), r.organisation.code))


# ---- Public side: own orders, the message board ----------------------------------------------


def own_orders(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """The orders a public user filed from their account (none for anyone else)."""
    if not user.is_authenticated:
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(account_id=user.pk)


def published_messages() -> QuerySet[WorkOrder]:
    """The public message board (网民留言): orders whose caller consented to publication and that
    have been replied to (a reopened order leaves the board until it is replied anew). Only what
    the board shows may be read from them, masked: never the caller's details."""
    return (
        WorkOrder.objects.filter(
            publish_consent=True,
            status__in=(Status.REPLIED, Status.CLOSED),
            replied_at__isnull=False,
        )
        .exclude(reply="")
        .select_related("category", "lead")
        .order_by("-replied_at", "-id")
    )


def rates_trend(month: date, months: int = 6) -> tuple[list[date], dict[int, list[float | None]]]:
    """The score of every organisation in the ``months`` months ending with ``month`` (oldest
    first): the months, and for each organisation's id its scores (None: not measured)."""
    first = month.replace(day=1)
    series = []
    for back in range(months - 1, -1, -1):
        year, index = divmod(first.year * 12 + first.month - 1 - back, 12)
        series.append(date(year, index + 1, 1))
    scores: dict[int, list[float | None]] = {}
    for position, start in enumerate(series):
        for rates in monthly_rates(start):
            row = scores.setdefault(rates.organisation.pk, [None] * months)
            row[position] = rates.score
    return series, scores


# ---- Staff queues -----------------------------------------------------------------------------


def dispatch_queue(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """Orders waiting for a dispatcher of ``user``'s area (received or sent back), oldest first,
    each with ``return_reason``: the reason of its last send-back."""
    last_return = Assignment.objects.filter(
        order=OuterRef("pk"), returned_at__isnull=False
    ).order_by("-returned_at", "-id")
    return (
        centre_orders(user, (Role.DISPATCHER,))
        .filter(status__in=[Status.RECEIVED, Status.RETURNED])
        .select_related("category", "district", "street")
        .annotate(return_reason=Subquery(last_return.values("return_reason")[:1]))
        .order_by("received_at", "id")
    )


def handler_queue(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The active assignments of ``user``'s organisations (as 经办人) on open or replied
    orders, soonest due first."""
    scope = org_scope(user, role=Role.HANDLER)
    return (
        Assignment.objects.filter(
            organisation_id__in=scope.ids,
            active=True,
            order__status__in=[Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED],
        )
        .select_related("order", "order__category", "organisation")
        .order_by("order__due_at", "order_id", "id")
    )


def call_back_queue(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """Replied orders of ``user``'s area (operators and dispatchers call back), oldest reply
    first."""
    orders = centre_orders(user, (Role.OPERATOR, Role.DISPATCHER))
    return (
        orders.filter(status=Status.REPLIED)
        .select_related("lead", "category")
        .order_by("replied_at", "id")
    )


def open_supervisions(user: User | AnonymousUser) -> QuerySet[Supervision]:
    """The supervisions under way in ``user``'s area as 督办员, nearest deadline first."""
    orders = centre_orders(user, (Role.SUPERVISOR,))
    return (
        Supervision.objects.filter(resolved_at__isnull=True, order__in=orders)
        .select_related("order", "order__lead")
        .order_by("deadline", "id")
    )


def pending_extensions(user: User | AnonymousUser) -> QuerySet[ExtensionRequest]:
    """Extension requests awaiting a decision by a dispatcher of ``user``'s area."""
    orders = centre_orders(user, (Role.DISPATCHER,))
    return (
        ExtensionRequest.objects.filter(approved__isnull=True, order__in=orders)
        .select_related("order", "organisation")
        .order_by("requested_at", "id")
    )


# ---- Open311 ----------------------------------------------------------------------------------

MERGE_DEPTH = 3
"""How many merges (并单) are followed to find the order that stands for a merged one."""


def leaf_categories() -> QuerySet[Category]:
    """The active categories an order can be filed under: those without children."""
    return (
        Category.objects.filter(is_active=True, children__isnull=True)
        .select_related("parent")
        .order_by("sort_order", "code")
    )


def merge_target(order: WorkOrder) -> WorkOrder:
    """The order whose progress stands for ``order``: itself, or for a merged order the order
    it was merged into (followed up to ``MERGE_DEPTH`` merges)."""
    for _hop in range(MERGE_DEPTH):
        if order.status != Status.MERGED or order.merged_into is None:
            break
        order = order.merged_into
    return order


def _closed(closed: bool) -> Q:
    """Orders whose ``merge_target`` is closed (``closed``) or is not."""
    condition = Q(pk__in=[])
    for depth in range(MERGE_DEPTH + 1):
        merged = {"merged_into__" * d + "status": Status.MERGED for d in range(depth)}
        status = "merged_into__" * depth + "status"
        last = depth == MERGE_DEPTH
        if closed:
            end = Q(**{status: Status.CLOSED})
        else:
            stops = [Status.CLOSED] if last else [Status.CLOSED, Status.MERGED]
            end = ~Q(**{f"{status}__in": stops})
        condition |= Q(**merged) & end
    return condition


def public_orders(
    *,
    numbers: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    closed: bool | None = None,
    limit: int,
) -> list[WorkOrder]:
    """Orders for the public Open311 API, newest first: by number, or by category, time of
    receipt and whether they are closed (a merged order as its ``merge_target``)."""
    related = ["merged_into__" * d + "lead" for d in range(MERGE_DEPTH + 1)]
    orders = WorkOrder.objects.select_related("category", *related)
    if numbers is not None:
        orders = orders.filter(number__in=numbers)
    else:
        if service_codes:
            orders = orders.filter(category__code__in=service_codes)
        if start is not None:
            orders = orders.filter(received_at__gte=start)
        if end is not None:
            orders = orders.filter(received_at__lte=end)
        if closed is not None:
            orders = orders.filter(_closed(closed))
    return list(orders.order_by("-received_at", "-id")[:limit])


def last_updates(orders: list[WorkOrder]) -> dict[int, datetime]:
    """The time of each order's latest event, by order id."""
    rows = (
        OrderEvent.objects.filter(order__in=orders)
        .values("order")
        .annotate(last=Max("at"))
        .values_list("order", "last")
    )
    return dict(rows)


def public_events(
    *,
    start: datetime,
    end: datetime,
    numbers: list[str] | None = None,
    limit: int,
) -> list[OrderEvent]:
    """The events of orders between ``start`` and ``end``, oldest first, for the Open311
    service request updates."""
    events = OrderEvent.objects.filter(at__gte=start, at__lte=end).select_related(
        "order", "organisation"
    )
    if numbers is not None:
        events = events.filter(order__number__in=numbers)
    return list(events.order_by("at", "id")[:limit])
