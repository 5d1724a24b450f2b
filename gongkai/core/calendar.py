"""Working days for statutory time limits.

A working day is Monday to Friday, unless the date is a holiday override (法定节假日), plus every
make-up workday override (调休上班日). The overrides are the ``CalendarDay`` rows.

A year is *published* when its ``CalendarYear`` row says so (the State Council notice is known).
Any other year is answered *provisionally*: weekends and the fixed statutory days 元旦 (1 Jan),
劳动节 (1–2 May) and 国庆节 (1–3 Oct) are days off, overrides entered for it still apply, and
every result that looked at one of its days is flagged ``provisional``.

Definitions (all consistent with each other):

* ``add_workdays(d, n)``: the n-th working day strictly after ``d``; ``d`` itself never counts
  and ``n == 0`` gives ``d``. ``n`` must be an integer in ``0..MAX_WORKDAYS``.
* ``workdays_between(a, b)``: the number of working days in the interval ``(a, b]`` when
  ``a <= b``, and ``-workdays_between(b, a)`` otherwise. Hence, for every ``n >= 0``,
  ``workdays_between(d, add_workdays(d, n)) == n``; and for ``a <= b`` with ``k =
  workdays_between(a, b)``, ``add_workdays(a, k)`` is the last working day in ``(a, b]``
  (``a`` itself when there is none).
* The ``*_explained`` variants also say whether any day they looked at (the days in ``(d,
  result]`` or in ``(a, b]``) lies in an unpublished year.

Data is read once per call: the whole calendar (a few hundred rows) is cached per process with
the token of ``CalendarRevision``. ``renew_revision`` sets a new token inside the writing
transaction; the services call it, and so does every ``save()``/``delete()`` of a calendar row
(connected in ``CoreConfig.ready``). A call that finds a different token (another process's
commit, a rolled-back test) reloads. The check costs one single-row query per call.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from .errors import CalendarError, CalendarErrorCode
from .models import CalendarDay, CalendarRevision, CalendarYear, DayKind

MAX_WORKDAYS = 10_000
PROVISIONAL_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})
"""(month, day) of the statutory days off assumed for a year with no published notice."""

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkdayAnswer:
    is_workday: bool
    provisional: bool


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    provisional: bool


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    provisional: bool


def is_workday(day: date) -> bool:
    return is_workday_explained(day).is_workday


def is_workday_explained(day: date) -> WorkdayAnswer:
    return _snapshot().answer(day)


def add_workdays(start: date, n: int) -> date:
    return add_workdays_explained(start, n).date


def add_workdays_explained(start: date, n: int) -> WorkdayResult:
    _check_count(n)
    snapshot = _snapshot()
    day, remaining, provisional = start, n, False
    while remaining:
        day = _next_day(day)
        answer = snapshot.answer(day)
        provisional = provisional or answer.provisional
        if answer.is_workday:
            remaining -= 1
    return WorkdayResult(day, provisional)


def workdays_between(start: date, end: date) -> int:
    return workdays_between_explained(start, end).days


def workdays_between_explained(start: date, end: date) -> WorkdayCount:
    if end < start:
        reverse = workdays_between_explained(end, start)
        return WorkdayCount(-reverse.days, reverse.provisional)
    snapshot = _snapshot()
    day, count, provisional = start, 0, False
    while day < end:
        day += _ONE_DAY
        answer = snapshot.answer(day)
        provisional = provisional or answer.provisional
        if answer.is_workday:
            count += 1
    return WorkdayCount(count, provisional)


@dataclass(frozen=True)
class _Snapshot:
    token: UUID | None
    published_years: frozenset[int]
    overrides: dict[date, bool]  # date -> is a working day

    def answer(self, day: date) -> WorkdayAnswer:
        provisional = day.year not in self.published_years
        override = self.overrides.get(day)
        if override is not None:
            return WorkdayAnswer(override, provisional)
        if provisional and (day.month, day.day) in PROVISIONAL_HOLIDAYS:
            return WorkdayAnswer(False, provisional)
        return WorkdayAnswer(day.weekday() < 5, provisional)


_cached: _Snapshot | None = None


def _snapshot() -> _Snapshot:
    global _cached
    token = CalendarRevision.objects.values_list("token", flat=True).first()
    cached = _cached
    if cached is None or cached.token != token:
        cached = _Snapshot(
            token=token,
            published_years=frozenset(
                CalendarYear.objects.filter(is_published=True).values_list("year", flat=True)
            ),
            overrides={
                day: kind == DayKind.WORKDAY
                for day, kind in CalendarDay.objects.values_list("date", "kind")
            },
        )
        _cached = cached
    return cached


def snapshot() -> _Snapshot:
    """The current calendar, for pure computations that take one (e.g. ``foi.clock``)."""
    return _snapshot()


def renew_revision() -> None:
    """Mark the calendar as changed, so that every process reloads it on its next call."""
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid4()})


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise CalendarError(CalendarErrorCode.BAD_COUNT, value=n)
    if n < 0:
        raise CalendarError(CalendarErrorCode.NEGATIVE_COUNT, value=n)
    if n > MAX_WORKDAYS:
        raise CalendarError(CalendarErrorCode.COUNT_TOO_LARGE, value=n, limit=MAX_WORKDAYS)


def _next_day(day: date) -> date:
    try:
        return day + _ONE_DAY
    except OverflowError as exc:
        raise CalendarError(CalendarErrorCode.DATE_OUT_OF_RANGE) from exc
