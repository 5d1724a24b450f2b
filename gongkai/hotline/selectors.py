"""Reads of the hotline: time limits and expected completion times, and the three rates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from gongkai.core import calendar
from gongkai.orgs.models import Organisation

from .errors import HotlineError, HotlineErrorCode
from .models import (
    Assignment,
    AssignmentRole,
    CallBack,
    LimitUnit,
    Satisfaction,
    Status,
    TimeLimitRule,
    Urgency,
    WorkOrder,
)


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
