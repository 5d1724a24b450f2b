"""Reads of the hotline: time limits and expected completion times, what staff may see."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from gongkai.core import calendar

from .errors import HotlineError, HotlineErrorCode
from .models import LimitUnit, TimeLimitRule, Urgency


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
