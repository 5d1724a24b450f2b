"""The statutory clock of a disclosure request (依申请公开), as a pure function of its events.

The rules (《政府信息公开条例》 2019; regulatory-facts.md §1.1, §1.8):

* The day a request counts as received depends on its channel (art. 31): ``received_on``.
* The reply is due on the 20th working day after receipt (art. 33(2)). The receipt day never
  counts; a reply on the receipt day itself (当场答复, art. 33(1)) is on time.
* 补正 (art. 30): the agency asks once, within 7 working days of receipt, and gives the applicant
  a period. The clock stops on the day of the request; when the corrected request arrives it
  restarts in full from that day. If the period lapses, the request is treated as abandoned
  (annual-report outcome o1).
* Consulting a third party (art. 32) or other agencies (art. 34) is excluded from the limit
  (art. 33(3)): the working days from the day the letter is sent to the day the answer arrives,
  or to the end of the 15-working-day answer period if that comes first. Overlapping
  consultations exclude each day once.
* Extension (art. 33(2)): once, at most 20 working days, added to the limit.
* Fee (art. 42): the applicant has 20 working days to pay, or the request is treated as
  abandoned (outcome o2). Whether waiting for payment restarts the clock is unconfirmed:
  ``ClockRules.fee_restarts_clock`` chooses.

How it is computed: the events are replayed in date order, events of the same day in the order
they are listed (which must be the order they were recorded: a fee may be paid and an extension
granted on one day, in that order). The replay yields the day the current period starts and the
spans of days that do not count (pauses, consultations, the days before a restart). A day
*counts* when it is a working day of the calendar, lies after the start and in no such span.
The due date is the ``limit``-th counting day; a pending pause has none. Dates the applicant has
not reached yet are estimates: an unanswered consultation is assumed to use its whole period.

Where the law gives no date the agency can know, the date of the agency's own act stands in for
it: the third party's 15 working days and the applicant's payment period run from the day the
letter or notice is sent, and the correction period from the day it is requested.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter
from threading import Lock
from typing import NamedTuple, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.core.calendar import MAX_WORKDAYS, WorkdayAnswer
from gongkai.core.errors import CalendarError, CalendarErrorCode, CoreError

REPLY_LIMIT = 20
"""Working days after receipt to reply (art. 33(2))."""
CORRECTION_REQUEST_LIMIT = 7
"""Working days after receipt within which a correction must be requested (art. 30)."""
EXTENSION_MAX = 20
"""Most working days one extension may add (art. 33(2))."""
CONSULTATION_LIMIT = 15
"""Working days a consulted third party or agency has to answer (arts. 32, 34)."""
FEE_PAYMENT_LIMIT = 20
"""Working days the applicant has to pay a fee (国办函〔2020〕109号, as implemented)."""
MAX_LINES = 400
"""Most day lines a state explains."""


class Calendar(Protocol):
    """Says whether a day is a working day, e.g. ``gongkai.core.calendar.snapshot()``.

    Its answers must never change: a changed calendar is a new object.
    """

    def answer(self, day: date) -> WorkdayAnswer: ...


class Channel(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_POST = "ordinary_post"
    FAX = "fax"

    @property
    def label(self) -> str:
        return str(_CHANNEL_LABELS[self])


class Party(StrEnum):
    THIRD_PARTY = "third_party"
    AGENCY = "agency"


class EventKind(StrEnum):
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_SENT = "consultation_sent"
    CONSULTATION_ANSWERED = "consultation_answered"
    EXTENSION_GRANTED = "extension_granted"
    FEE_NOTIFIED = "fee_notified"
    FEE_PAID = "fee_paid"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(_EVENT_LABELS[self])


class Status(StrEnum):
    RUNNING = "running"
    PAUSED_CORRECTION = "paused_correction"
    PAUSED_FEE = "paused_fee"
    REPLIED = "replied"
    CLOSED_NO_CORRECTION = "closed_no_correction"  # annual-report outcome o1
    CLOSED_UNPAID = "closed_unpaid"  # annual-report outcome o2
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


OPEN = frozenset({Status.RUNNING, Status.PAUSED_CORRECTION, Status.PAUSED_FEE})
"""The statuses of an application still being handled."""


@dataclass(frozen=True)
class ClockRules:
    """What the law leaves to the agency, or does not settle."""

    correction_period_days: int = 15
    """The applicant's correction period (working days) when staff set none on the request."""
    fee_restarts_clock: bool = True
    """True: the clock stops at the fee notice and restarts in full on payment. False: the
    working days from notice to payment are excluded, like a consultation."""


DEFAULT_RULES = ClockRules()


@dataclass(frozen=True)
class ClockEvent:
    kind: EventKind
    on: date
    days: int | None = None
    """An extension's length; a correction request's period (default: the rules')."""
    key: str = ""
    """Pairs a consultation's answer with its letter."""
    party: Party | None = None
    """Whom a consultation letter asks."""


class DayLine(NamedTuple):  # tuples: a state explains up to MAX_LINES days
    day: date
    counts: bool
    nth: int
    """Working days counted up to and including this day (第 N 个工作日); not ``count``,
    which a tuple has already."""
    reason: str


class ClockState(NamedTuple):  # a tuple is built in a fifth of a frozen dataclass's time
    status: Status
    due_on: date | None
    """The reply deadline; None while the applicant has to act."""
    applicant_due_on: date | None
    """The correction or payment deadline of a pause (the missed one, once closed)."""
    correction_request_by: date | None
    """The last day to request a correction; None once requested or no longer running."""
    working_days_used: int
    working_days_left: int
    overdue: bool
    provisional: bool
    """Some day looked at lies in a year whose holiday notice is not published."""
    late_correction_request: bool
    days: tuple[DayLine, ...]


class ClockErrorCode(StrEnum):
    RECEIPT_DATE_MISSING = "clock.receipt_date_missing"
    RECEIPT_BEFORE_SUBMISSION = "clock.receipt_before_submission"
    TODAY_BEFORE_RECEIPT = "clock.today_before_receipt"
    EVENT_BEFORE_RECEIPT = "clock.event_before_receipt"
    EVENT_AFTER_TODAY = "clock.event_after_today"
    EVENT_NOT_ALLOWED = "clock.event_not_allowed"
    EVENT_REPEATED = "clock.event_repeated"
    BAD_DAYS = "clock.bad_days"
    PARTY_MISSING = "clock.party_missing"
    CONSULTATION_OPEN = "clock.consultation_open"
    CONSULTATION_UNKNOWN = "clock.consultation_unknown"


class ClockError(CoreError, ValueError):
    conflicts = frozenset(
        {
            ClockErrorCode.EVENT_NOT_ALLOWED,
            ClockErrorCode.EVENT_REPEATED,
            ClockErrorCode.CONSULTATION_OPEN,
        }
    )
    messages = {
        ClockErrorCode.RECEIPT_DATE_MISSING: _(
            "通过“%(channel)s”提交的申请，须填写%(field)s，以确定收到申请之日。"
        ),
        ClockErrorCode.RECEIPT_BEFORE_SUBMISSION: _(
            "%(field)s（%(date)s）不能早于提交日期（%(submitted)s）。"
        ),
        ClockErrorCode.TODAY_BEFORE_RECEIPT: _(
            "计算日期 %(today)s 早于收到申请之日 %(received)s。"
        ),
        ClockErrorCode.EVENT_BEFORE_RECEIPT: _(
            "“%(event)s”的日期 %(date)s 早于收到申请之日 %(received)s。"
        ),
        ClockErrorCode.EVENT_AFTER_TODAY: _(
            "“%(event)s”的日期 %(date)s 晚于今天（%(today)s），不能记录尚未发生的事项。"
        ),
        ClockErrorCode.EVENT_NOT_ALLOWED: _(
            "%(date)s 申请处于“%(status)s”状态，不能记录“%(event)s”。"
        ),
        ClockErrorCode.EVENT_REPEATED: _("每件申请只能“%(event)s”一次。"),
        ClockErrorCode.BAD_DAYS: _(
            "“%(event)s”的工作日数应为 1 至 %(limit)d 之间的整数（收到 %(value)s）。"
        ),
        ClockErrorCode.PARTY_MISSING: _("发出征求意见时须注明征求对象：第三方或其他机关。"),
        ClockErrorCode.CONSULTATION_OPEN: _(
            "编号为“%(key)s”的征求意见尚未收到答复，不能再次发出。"
        ),
        ClockErrorCode.CONSULTATION_UNKNOWN: _("没有编号为“%(key)s”、尚待答复的征求意见。"),
    }


_CHANNEL_LABELS = {
    Channel.ONLINE: _("互联网"),
    Channel.IN_PERSON: _("当面提交"),
    Channel.REGISTERED_POST: _("邮寄（需签收）"),
    Channel.ORDINARY_POST: _("平常信函"),
    Channel.FAX: _("传真"),
}
_EVENT_LABELS = {
    EventKind.CORRECTION_REQUESTED: _("告知补正"),
    EventKind.CORRECTION_RECEIVED: _("收到补正"),
    EventKind.CONSULTATION_SENT: _("发出征求意见"),
    EventKind.CONSULTATION_ANSWERED: _("收到征求意见答复"),
    EventKind.EXTENSION_GRANTED: _("延期答复"),
    EventKind.FEE_NOTIFIED: _("发出收费通知"),
    EventKind.FEE_PAID: _("缴费"),
    EventKind.REPLIED: _("答复"),
    EventKind.WITHDRAWN: _("撤回申请"),
}
_STATUS_LABELS = {
    Status.RUNNING: _("办理中"),
    Status.PAUSED_CORRECTION: _("等待补正"),
    Status.PAUSED_FEE: _("等待缴费"),
    Status.REPLIED: _("已答复"),
    Status.CLOSED_NO_CORRECTION: _("逾期未补正，视为放弃申请"),
    Status.CLOSED_UNPAID: _("逾期未缴费，视为放弃申请"),
    Status.WITHDRAWN: _("已撤回"),
}

# The state machine: what may be recorded in each status (an ended request allows nothing).
_ALLOWED: dict[Status, frozenset[EventKind]] = {
    Status.RUNNING: frozenset(EventKind) - {EventKind.CORRECTION_RECEIVED, EventKind.FEE_PAID},
    Status.PAUSED_CORRECTION: frozenset(
        {EventKind.CORRECTION_RECEIVED, EventKind.CONSULTATION_ANSWERED, EventKind.WITHDRAWN}
    ),
    Status.PAUSED_FEE: frozenset(
        {EventKind.FEE_PAID, EventKind.CONSULTATION_ANSWERED, EventKind.WITHDRAWN}
    ),
}
_ONCE = frozenset(
    {EventKind.CORRECTION_REQUESTED, EventKind.EXTENSION_GRANTED, EventKind.FEE_NOTIFIED}
)
_ENDED_BY = {EventKind.REPLIED: Status.REPLIED, EventKind.WITHDRAWN: Status.WITHDRAWN}
_LAPSED = {
    Status.PAUSED_CORRECTION: Status.CLOSED_NO_CORRECTION,
    Status.PAUSED_FEE: Status.CLOSED_UNPAID,
}

# Why a day counts or not (DayLine.reason).
_RECEIVED = _("受理日，不计入")
_RESTARTED = {
    Status.PAUSED_CORRECTION: _("收到补正后的申请，重新起算，当日不计入"),
    Status.PAUSED_FEE: _("缴费完成，重新起算，当日不计入"),
}
_VOIDED = {
    Status.PAUSED_CORRECTION: _("补正前的期间，不计入（自收到补正之日起重新计算）"),
    Status.PAUSED_FEE: _("缴费前的期间，不计入（自缴费之日起重新计算）"),
}
_PAUSED = {
    Status.PAUSED_CORRECTION: _("补正期间，暂停计算"),
    Status.PAUSED_FEE: _("等待缴费，暂停计算"),
}
_CONSULTING = {
    Party.THIRD_PARTY: _("征求第三方意见期间，不计入"),
    Party.AGENCY: _("征求其他机关意见期间，不计入"),
}
_WEEKEND = {5: _("周六，不计入"), 6: _("周日，不计入")}
_HOLIDAY = _("法定节假日，不计入")
_MAKEUP_WORKDAY = _("调休上班日，计入")
_WORKDAY = _("工作日，计入")
_EXTENDED = _("延期第 %(n)d 个工作日")
_OVERDUE = _("已超过答复期限，超期第 %(n)d 个工作日")
_ENDED = {
    Status.REPLIED: _("答复日（%(reason)s）"),
    Status.WITHDRAWN: _("申请人撤回申请（%(reason)s）"),
    Status.CLOSED_NO_CORRECTION: _("补正期限届满未补正，视为放弃申请"),
    Status.CLOSED_UNPAID: _("缴费期限届满未缴费，视为放弃申请"),
}
_FIELD_LABELS = {"signed_on": _("签收日期"), "confirmed_on": _("双方确认日期")}


def received_on(
    channel: Channel,
    *,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The day a request counts as received (art. 31).

    In person: the day of submission. Registered post: the day the agency signs for it.
    Ordinary letter: the day the office confirms with the applicant (which it must do the day
    the letter arrives). Online or fax: the day both sides confirm.
    """
    if channel == Channel.IN_PERSON:
        return submitted_on
    field, value = (
        ("signed_on", signed_on)
        if channel == Channel.REGISTERED_POST
        else ("confirmed_on", confirmed_on)
    )
    label = _FIELD_LABELS[field]
    if value is None:
        raise ClockError(
            ClockErrorCode.RECEIPT_DATE_MISSING, channel=Channel(channel).label, field=label
        )
    if value < submitted_on:
        raise ClockError(
            ClockErrorCode.RECEIPT_BEFORE_SUBMISSION,
            field=label,
            date=value,
            submitted=submitted_on,
        )
    return value


def compute(
    *,
    received_on: date,
    events: Sequence[ClockEvent],
    today: date,
    calendar: Calendar,
    rules: ClockRules = DEFAULT_RULES,
    lines: bool = True,
) -> ClockState:
    """The state of a request received on ``received_on`` after ``events``, as of ``today``.

    ``events`` may come in any order of days; those of one day in the order they were recorded.
    ``lines=False`` skips explaining each day (``ClockState.days`` is then empty).
    Raises ``ClockError`` for an impossible sequence of events.
    """
    if today < received_on:
        raise ClockError(ClockErrorCode.TODAY_BEFORE_RECEIPT, today=today, received=received_on)
    replay = _Replay(received_on.toordinal(), _workdays_of(calendar), rules)
    for event in sorted(events, key=attrgetter("on")):  # stable: a day keeps its order
        if event.on < received_on:
            raise ClockError(
                ClockErrorCode.EVENT_BEFORE_RECEIPT,
                event=event.kind.label,
                date=event.on,
                received=received_on,
            )
        if event.on > today:
            raise ClockError(
                ClockErrorCode.EVENT_AFTER_TODAY, event=event.kind.label, date=event.on, today=today
            )
        replay.apply(event)
    replay.finish(today.toordinal())
    return replay.state(today.toordinal(), lines=lines)


class _Span(NamedTuple):
    """Days ``first..last`` (ordinals, inclusive) that do not count, and why."""

    first: int
    last: int
    reason: Promise


class _Pause(NamedTuple):
    status: Status
    since: int
    applicant_due: int
    restarts: bool


_FOREVER = date.max.toordinal()


class _Replay:
    """The request as its events leave it; days are ordinals."""

    def __init__(self, received: int, workdays: "_Workdays", rules: ClockRules) -> None:
        self.workdays = workdays
        self.rules = rules
        self.received = received
        self.start = received  # the current period starts the day after
        self.start_reason: Promise = _RECEIVED
        self.status = Status.RUNNING
        self.end: int | None = None  # the day the request ended
        self.pause: _Pause | None = None
        self.spans: list[_Span] = []
        self.consulting: dict[str, tuple[int, Party]] = {}
        self.seen: set[EventKind] = set()
        self.extension = 0
        self.late_correction_request = False

    def apply(self, event: ClockEvent) -> None:
        day = event.on.toordinal()
        self._lapse(day)
        if event.kind not in _ALLOWED.get(self.status, ()):
            raise ClockError(
                ClockErrorCode.EVENT_NOT_ALLOWED,
                date=event.on,
                status=self.status.label,
                event=event.kind.label,
            )
        if event.kind in _ONCE and event.kind in self.seen:
            raise ClockError(ClockErrorCode.EVENT_REPEATED, event=event.kind.label)
        self.seen.add(event.kind)
        match event.kind:
            case EventKind.CORRECTION_REQUESTED:
                period = _days(event, self.rules.correction_period_days, MAX_WORKDAYS)
                request_by = self.workdays.nth(self.received, CORRECTION_REQUEST_LIMIT)
                self.late_correction_request = day > request_by
                self._pause(Status.PAUSED_CORRECTION, day, period, restarts=True)
            case EventKind.FEE_NOTIFIED:
                restarts = self.rules.fee_restarts_clock
                self._pause(Status.PAUSED_FEE, day, FEE_PAYMENT_LIMIT, restarts=restarts)
            case EventKind.CORRECTION_RECEIVED | EventKind.FEE_PAID:
                self._resume(day)
            case EventKind.CONSULTATION_SENT:
                if event.party is None:
                    raise ClockError(ClockErrorCode.PARTY_MISSING)
                if event.key in self.consulting:
                    raise ClockError(ClockErrorCode.CONSULTATION_OPEN, key=event.key)
                self.consulting[event.key] = (day, event.party)
            case EventKind.CONSULTATION_ANSWERED:
                if event.key not in self.consulting:
                    raise ClockError(ClockErrorCode.CONSULTATION_UNKNOWN, key=event.key)
                self._consulted(event.key, day)
            case EventKind.EXTENSION_GRANTED:
                self.extension = _days(event, None, EXTENSION_MAX)
            case EventKind.REPLIED | EventKind.WITHDRAWN:
                self.status, self.end = _ENDED_BY[event.kind], day

    def finish(self, today: int) -> None:
        """Close what is still open as of ``today``."""
        self._lapse(today)
        if self.pause is not None:
            self._add_pause_spans(self.pause, until=_FOREVER)
        for key in list(self.consulting):
            self._consulted(key, _FOREVER if self.end is None else self.end)

    def state(self, today: int, *, lines: bool) -> ClockState:
        workdays, pause = self.workdays, self.pause
        blocked = _merged(self.spans)
        limit = REPLY_LIMIT + self.extension
        last = today if self.end is None else self.end  # the last day that may count
        due = None if pause else _nth_counted(workdays, self.start, limit, blocked)
        used = _counted(workdays, self.start, last, blocked)
        applicant_due = pause.applicant_due if pause else None
        horizon = max(last, due or last, applicant_due or last)
        request_by = (
            workdays.nth(self.received, CORRECTION_REQUEST_LIMIT)
            if self.status is Status.RUNNING and EventKind.CORRECTION_REQUESTED not in self.seen
            else None
        )
        return ClockState(
            status=self.status,
            due_on=_date(due),
            applicant_due_on=_date(applicant_due),
            correction_request_by=_date(request_by),
            working_days_used=used,
            working_days_left=limit - used,
            overdue=due is not None and last > due,
            provisional=workdays.provisional(self.received, horizon),
            late_correction_request=self.late_correction_request,
            days=self._lines(limit, horizon if self.end is None else self.end) if lines else (),
        )

    def _lapse(self, day: int) -> None:
        """The applicant's period of a pause has passed by ``day``: the request is abandoned."""
        pause = self.pause
        if pause is not None and self.status is pause.status and day > pause.applicant_due:
            self.status, self.end = _LAPSED[pause.status], pause.applicant_due + 1

    def _pause(self, status: Status, day: int, period: int, *, restarts: bool) -> None:
        self.status = status
        self.pause = _Pause(status, day, self.workdays.nth(day, period), restarts)

    def _resume(self, day: int) -> None:
        pause = self.pause
        assert pause is not None  # the status is a pause's
        self._add_pause_spans(pause, until=day - 1 if pause.restarts else day)
        if pause.restarts:
            self.start, self.start_reason = day, _RESTARTED[pause.status]
        self.status, self.pause = Status.RUNNING, None

    def _add_pause_spans(self, pause: _Pause, *, until: int) -> None:
        if pause.restarts and pause.since > self.start:
            self.spans.append(_Span(self.start, pause.since - 1, _VOIDED[pause.status]))
        if until >= pause.since:
            self.spans.append(_Span(pause.since, until, _PAUSED[pause.status]))

    def _consulted(self, key: str, answered: int) -> None:
        sent, party = self.consulting.pop(key)
        last = min(answered, self.workdays.nth(sent, CONSULTATION_LIMIT))
        self.spans.append(_Span(sent, last, _CONSULTING[party]))

    def _lines(self, limit: int, until: int) -> tuple[DayLine, ...]:
        # The earliest-starting span explains a day; equal spans in a fixed order.
        spans = sorted(self.spans, key=lambda span: (span.first, span.last, str(span.reason)))
        count, lines = 0, []
        for ordinal in range(self.received, min(until, self.received + MAX_LINES - 1) + 1):
            day = date.fromordinal(ordinal)
            span = next((s for s in spans if s.first <= ordinal <= s.last), None)
            counts = False
            if ordinal == self.received:
                reason = str(_RECEIVED)
            elif ordinal == self.start:
                reason = str(self.start_reason)
            elif span is not None:
                reason = str(span.reason)
            elif not self.workdays.is_workday(ordinal):
                reason = str(_WEEKEND.get(day.weekday(), _HOLIDAY))
            else:
                counts, count = True, count + 1
                reason = _counting_reason(day, count, limit)
            if ordinal == self.end:
                reason = str(_ENDED[self.status]) % {"reason": reason}
            lines.append(DayLine(day, counts, count, reason))
        return tuple(lines)


def _counting_reason(day: date, count: int, limit: int) -> str:
    if count > limit:
        return _OVERDUE % {"n": count - limit}
    if count > REPLY_LIMIT:
        return _EXTENDED % {"n": count - REPLY_LIMIT}
    return str(_MAKEUP_WORKDAY if day.weekday() >= 5 else _WORKDAY)


def _days(event: ClockEvent, default: int | None, limit: int) -> int:
    value = default if event.days is None else event.days
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        shown = _("未填写") if value is None else value
        raise ClockError(ClockErrorCode.BAD_DAYS, event=event.kind.label, limit=limit, value=shown)
    return value


def _date(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def _merged(spans: list[_Span]) -> list[tuple[int, int]]:
    """The days of the spans as disjoint, sorted (first, last) ranges."""
    merged: list[tuple[int, int]] = []
    if not spans:  # most requests
        return merged
    for first, last, _reason in sorted(spans, key=lambda span: (span.first, span.last)):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _nth_counted(workdays: "_Workdays", start: int, n: int, blocked: list[tuple[int, int]]) -> int:
    """The n-th working day after ``start`` outside the ``blocked`` ranges."""
    for first, last in blocked:
        if last <= start:
            continue
        free = workdays.count(start, first - 1)
        if free >= n:
            break
        n -= free
        start = last
    return workdays.nth(start, n)


def _counted(workdays: "_Workdays", start: int, until: int, blocked: list[tuple[int, int]]) -> int:
    """The working days in ``(start, until]`` outside the ``blocked`` ranges."""
    if not blocked:
        return workdays.count(start, until)
    return workdays.count(start, until) - sum(
        workdays.count(max(first - 1, start), min(last, until)) for first, last in blocked
    )


class _Known(NamedTuple):
    first: int  # the days first..end-1 (ordinals) are known
    end: int
    workdays: list[int]  # sorted ordinals of the working days
    provisional: list[int]  # sorted ordinals of the days answered provisionally


_GROWTH = 366
_END = _FOREVER + 1


class _Workdays:
    """One calendar's working days as sorted ordinals, so that counting them is arithmetic.

    The calendar is asked about each day once; the known range grows by a year or more at a
    time. Threads share it: a reader takes ``_known`` at once, a writer holds the lock.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._known = _Known(0, 0, [], [])
        self._lock = Lock()

    def is_workday(self, day: int) -> bool:
        workdays = self._cover(day, day + 1).workdays
        i = bisect_left(workdays, day)
        return i < len(workdays) and workdays[i] == day

    def count(self, after: int, until: int) -> int:
        """The working days in ``(after, until]`` (0 when it is empty)."""
        if until <= after:
            return 0
        workdays = self._cover(after + 1, until + 1).workdays
        return bisect_right(workdays, until) - bisect_right(workdays, after)

    def nth(self, after: int, n: int) -> int:
        """The n-th working day after ``after`` (n >= 1)."""
        end = after + n + 1
        while True:
            known = self._cover(after + 1, end)
            i = bisect_right(known.workdays, after) + n - 1
            if i < len(known.workdays):
                return known.workdays[i]
            end = known.end + _GROWTH

    def provisional(self, after: int, until: int) -> bool:
        """Whether a day in ``(after, until]`` is answered provisionally."""
        if until <= after:
            return False
        days = self._cover(after + 1, until + 1).provisional
        return bisect_right(days, until) > bisect_right(days, after)

    def _cover(self, first: int, end: int) -> _Known:
        known = self._known
        if known.first <= first and end <= known.end:
            return known
        if first < 1 or end > _END:
            raise CalendarError(CalendarErrorCode.DATE_OUT_OF_RANGE)
        with self._lock:
            known = self._known
            if known.first == known.end:
                known = _Known(first, first, [], [])
            low = max(first - _GROWTH, 1) if first < known.first else known.first
            high = min(end + _GROWTH, _END) if end > known.end else known.end
            before, after = self._ask(low, known.first), self._ask(known.end, high)
            known = _Known(
                low,
                high,
                before[0] + known.workdays + after[0],
                before[1] + known.provisional + after[1],
            )
            self._known = known
        return known

    def _ask(self, first: int, end: int) -> tuple[list[int], list[int]]:
        workdays, provisional = [], []
        for ordinal in range(first, end):
            answer = self.calendar.answer(date.fromordinal(ordinal))
            if answer.is_workday:
                workdays.append(ordinal)
            if answer.provisional:
                provisional.append(ordinal)
        return workdays, provisional


_latest: _Workdays | None = None


def _workdays_of(calendar: Calendar) -> _Workdays:
    """The index of ``calendar``; the last one is kept, since callers pass the same snapshot
    until the calendar changes."""
    global _latest
    index = _latest
    if index is None or index.calendar is not calendar:
        index = _latest = _Workdays(calendar)
    return index
