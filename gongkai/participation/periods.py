"""The consultation period rule, as pure functions of the times and a working-day predicate.

How days are counted (the same convention as ``core.calendar`` and ``foi.clock``):

* The day a consultation opens is never counted (民法典 art. 201: a period counted in days
  starts on the next day), whatever the hour it opens.
* A day counts only when the consultation is open for the whole of it, in the site's time zone:
  a consultation that "closes on 1 October" closes at the end of that day, stored as 00:00 on
  2 October. One that closes at 10:00 on 2 October has not gained 2 October.
* In calendar days (自然日) every such day counts; in working days (工作日) only those the
  calendar's ``is_workday`` says are working days (holidays do not count, 调休 Saturdays and
  Sundays do).

Hence a period with minimum ``n`` is long enough exactly when it closes no earlier than the end
of the ``n``-th counted day after the opening day (``earliest_close``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

Workday = Callable[[date], bool]
"""Says whether a day is a working day, e.g. ``gongkai.core.calendar.is_workday``."""

MAX_PERIOD_DAYS = 3660
"""Longest minimum a consultation type may set, in either unit (ten years of days)."""
_ONE_DAY = timedelta(days=1)
_EPSILON = timedelta(microseconds=1)
_MAX_IDLE_DAYS = 366
"""Most days in a row without a working day before the calendar is taken to be broken."""


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"

    @property
    def label(self) -> str:
        return str(_UNIT_LABELS[self])


_UNIT_LABELS = {Unit.CALENDAR_DAYS: _("日"), Unit.WORKING_DAYS: _("个工作日")}


@dataclass(frozen=True)
class PeriodCheck:
    days: int
    """Days of the period that count, in ``unit``."""
    minimum: int
    unit: Unit
    earliest_close: datetime
    """The earliest closing time the minimum allows."""

    @property
    def long_enough(self) -> bool:
        return self.days >= self.minimum


def check_period(
    opens_at: datetime,
    closes_at: datetime,
    *,
    minimum: int,
    unit: Unit,
    is_workday: Workday,
    zone: tzinfo,
) -> PeriodCheck:
    """How many days of the period from ``opens_at`` to ``closes_at`` count, against ``minimum``."""
    return PeriodCheck(
        days=counted_days(opens_at, closes_at, unit=unit, is_workday=is_workday, zone=zone),
        minimum=minimum,
        unit=unit,
        earliest_close=earliest_close(
            opens_at, minimum=minimum, unit=unit, is_workday=is_workday, zone=zone
        ),
    )


def counted_days(
    opens_at: datetime, closes_at: datetime, *, unit: Unit, is_workday: Workday, zone: tzinfo
) -> int:
    """The days after the opening day that the period covers in full (of ``unit``)."""
    _check_aware(opens_at, closes_at)
    first = opens_at.astimezone(zone).date() + _ONE_DAY
    last = closes_at.astimezone(zone).date() - _ONE_DAY  # the day that ends at or before closing
    if last < first:
        return 0
    if unit == Unit.CALENDAR_DAYS:
        return (last - first).days + 1
    return sum(
        1 for offset in range((last - first).days + 1) if is_workday(first + offset * _ONE_DAY)
    )


def earliest_close(
    opens_at: datetime, *, minimum: int, unit: Unit, is_workday: Workday, zone: tzinfo
) -> datetime:
    """The end (00:00 of the next day) of the ``minimum``-th counted day after the opening day."""
    _check_aware(opens_at)
    _check_minimum(minimum)
    day = opens_at.astimezone(zone).date()
    if unit == Unit.CALENDAR_DAYS:
        day += minimum * _ONE_DAY
    else:
        remaining, idle = minimum, 0
        while remaining:
            day += _ONE_DAY
            if is_workday(day):
                remaining, idle = remaining - 1, 0
            elif (idle := idle + 1) > _MAX_IDLE_DAYS:
                raise ValueError(f"the calendar has no working day after {day - idle * _ONE_DAY}")
    return datetime.combine(day + _ONE_DAY, time.min, tzinfo=zone)


def last_open_day(closes_at: datetime, *, zone: tzinfo) -> date:
    """The last day on which a consultation closing at ``closes_at`` is open (the 截止日期): the
    day before when it closes at 00:00."""
    _check_aware(closes_at)
    return (closes_at - _EPSILON).astimezone(zone).date()


def _check_aware(*moments: datetime) -> None:
    if any(moment.tzinfo is None for moment in moments):
        raise ValueError("opening and closing times must be aware datetimes")


def _check_minimum(minimum: int) -> None:
    if isinstance(minimum, bool) or not isinstance(minimum, int):
        raise TypeError(f"minimum must be an integer, not {minimum!r}")
    if not 1 <= minimum <= MAX_PERIOD_DAYS:
        raise ValueError(f"minimum must be between 1 and {MAX_PERIOD_DAYS}, not {minimum}")
