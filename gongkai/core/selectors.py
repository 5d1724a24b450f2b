"""Reads of the core app. (Working-day questions are answered by ``calendar.py``.)"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent, CalendarYear

# The State Council publishes next year's holiday arrangement in October or November.
NOTICE_EXPECTED_FROM_MONTH = 10


def audit_event_list(
    *,
    text: str = "",
    action: str = "",
    organisation: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events, newest first, filtered by the audit search form.

    ``text`` matches the actor, action, object and summary; ``action`` is a prefix (``orgs.``
    finds every action of the orgs app); dates are inclusive days in the current time zone.
    """
    events = AuditEvent.objects.order_by("-seq")
    if text:
        events = events.filter(
            Q(actor_label__icontains=text)
            | Q(action__icontains=text)
            | Q(object_type__icontains=text)
            | Q(object_id=text)
            | Q(object_repr__icontains=text)
            | Q(summary__icontains=text)
        )
    if action:
        events = events.filter(action__startswith=action)
    if organisation:
        events = events.filter(organisation__icontains=organisation)
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, zone))
    if date_to:
        next_day = date_to + timedelta(days=1)
        events = events.filter(occurred_at__lt=datetime.combine(next_day, time.min, zone))
    return events


def calendar_years_awaiting_notice(*, today: date) -> list[int]:
    """Years whose holiday notice should be entered now: this year, and from October on next
    year, when they are not marked published (deadlines there are only provisional)."""
    due = [today.year]
    if today.month >= NOTICE_EXPECTED_FROM_MONTH:
        due.append(today.year + 1)
    published = set(
        CalendarYear.objects.filter(year__in=due, is_published=True).values_list("year", flat=True)
    )
    return [year for year in due if year not in published]
