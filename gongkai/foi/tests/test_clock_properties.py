"""Properties of the statutory clock over random receipt dates and valid event histories."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import add_workdays, is_workday, workdays_between
from gongkai.foi.clock import (
    CONSULTATION_LIMIT,
    FEE_PAYMENT_LIMIT,
    MAX_LINES,
    REPLY_LIMIT,
    ClockError,
    ClockEvent,
    ClockRules,
    ClockState,
    EventKind,
    Party,
    Status,
    compute,
)
from gongkai.foi.tests import CALENDAR

check = settings(max_examples=200, deadline=None)
receipts = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
FOREVER = date.max


@dataclass(frozen=True)
class History:
    received: date
    events: tuple[ClockEvent, ...]
    today: date
    rules: ClockRules
    quiet: tuple[tuple[date, date], ...]
    """Spans of days that must not count (consultations, pauses)."""

    def state(self, *extra: ClockEvent) -> ClockState:
        return compute(
            received_on=self.received,
            events=(*self.events, *extra),
            today=self.today,
            calendar=CALENDAR,
            rules=self.rules,
        )


@st.composite
def histories(draw: st.DrawFn, *, extension: bool = True) -> History:
    """A receipt and a valid history: an optional correction, consultations, an optional
    extension and fee, then an optional reply or withdrawal."""
    received = draw(receipts)
    rules = ClockRules(
        correction_period_days=draw(st.integers(1, 30)), fee_restarts_clock=draw(st.booleans())
    )
    events: list[ClockEvent] = []
    quiet: list[tuple[date, date]] = []

    def later(day: date, most: int) -> date:
        return day + timedelta(days=draw(st.integers(0, most)))

    def finish(pending_until: date | None = None) -> History:
        last = max([received, *(e.on for e in events)])
        if pending_until is None and draw(st.booleans()):
            kind = draw(st.sampled_from([EventKind.REPLIED, EventKind.WITHDRAWN]))
            events.append(ClockEvent(kind, later(last, 10)))
            last = events[-1].on
        today = later(last, 60)
        return History(received, tuple(events), today, rules, tuple(quiet))

    start = received
    if draw(st.booleans()):
        requested = later(received, 6)
        events.append(ClockEvent(EventKind.CORRECTION_REQUESTED, requested))
        period_end = add_workdays(requested, rules.correction_period_days)
        if draw(st.booleans()):
            quiet.append((requested, FOREVER))
            return finish(pending_until=period_end)
        start = requested + timedelta(days=draw(st.integers(0, (period_end - requested).days)))
        events.append(ClockEvent(EventKind.CORRECTION_RECEIVED, start))
        quiet.append((received, start))  # the clock restarts in full

    running = [start]
    for number in range(draw(st.integers(0, 3))):
        key, sent = f"c{number}", later(start, 10)
        party = draw(st.sampled_from(Party))
        events.append(ClockEvent(EventKind.CONSULTATION_SENT, sent, key=key, party=party))
        running.append(sent)
        period_end = add_workdays(sent, CONSULTATION_LIMIT)
        answered = later(sent, 25) if draw(st.booleans()) else None
        if answered:
            events.append(ClockEvent(EventKind.CONSULTATION_ANSWERED, answered, key=key))
        quiet.append((sent, min(answered or FOREVER, period_end)))
    if extension and draw(st.booleans()):
        granted = later(start, 10)
        events.append(
            ClockEvent(EventKind.EXTENSION_GRANTED, granted, days=draw(st.integers(1, 20)))
        )
        running.append(granted)

    if draw(st.booleans()):
        notified = later(max(running), 5)
        events.append(ClockEvent(EventKind.FEE_NOTIFIED, notified))
        period_end = add_workdays(notified, FEE_PAYMENT_LIMIT)
        # Consultation answers may arrive while waiting, but not after the request lapsed.
        events = [e for e in events if e.on <= period_end]
        if draw(st.booleans()):
            quiet.append((notified, FOREVER))
            return finish(pending_until=period_end)
        paid = notified + timedelta(days=draw(st.integers(0, (period_end - notified).days)))
        events.append(ClockEvent(EventKind.FEE_PAID, paid))
        quiet.append((received if rules.fee_restarts_clock else notified, paid))
    return finish()


def counted_until(state: ClockState, day: date) -> int:
    return sum(line.counts for line in state.days if line.day <= day)


@check
@given(history=histories())
def test_due_dates_are_working_days(history):
    state = history.state()
    assert state.due_on is None or is_workday(state.due_on)
    assert state.applicant_due_on is None or is_workday(state.applicant_due_on)
    assert (state.due_on is None) == (state.status in PAUSED_OR_CLOSED)


PAUSED_OR_CLOSED = {
    Status.PAUSED_CORRECTION,
    Status.PAUSED_FEE,
    Status.CLOSED_NO_CORRECTION,
    Status.CLOSED_UNPAID,
}


@check
@given(history=histories())
def test_day_lines_count_the_working_days_used(history):
    state = history.state()
    assert len(state.days) < MAX_LINES
    assert counted_until(state, history.today) == state.working_days_used
    running = 0
    for line in state.days:
        running += line.counts
        assert line.nth == running
    if state.due_on is not None and state.due_on <= state.days[-1].day:
        due_line = next(line for line in state.days if line.day == state.due_on)
        assert due_line.counts
        assert due_line.nth == state.working_days_used + state.working_days_left


@check
@given(received=receipts, later=st.integers(0, 120))
def test_without_events_the_due_date_is_twenty_working_days_after_receipt(received, later):
    today = received + timedelta(days=later)
    state = compute(received_on=received, events=(), today=today, calendar=CALENDAR)
    assert state.due_on == add_workdays(received, REPLY_LIMIT)
    assert state.working_days_used == workdays_between(received, today)
    assert state.overdue == (today > state.due_on)


@check
@given(history=histories())
def test_excluded_days_never_count(history):
    state = history.state()
    for line in state.days:
        if any(first <= line.day <= last for first, last in history.quiet):
            assert not line.counts, line


@check
@given(history=histories(extension=False), days=st.integers(1, 20))
def test_an_extension_moves_the_due_date_by_its_working_days(history, days):
    before = history.state()
    if before.status != Status.RUNNING:
        return
    after = history.state(ClockEvent(EventKind.EXTENSION_GRANTED, history.today, days=days))
    assert after.due_on is not None
    assert before.due_on is not None
    assert workdays_between(before.due_on, after.due_on) == days
    assert after.working_days_left == before.working_days_left + days


# Events of one day that may happen in either order have the same step; a later step depends
# on an earlier one of the same day (a letter is sent before it is answered, a fee notified
# before it is paid, a correction requested before it arrives, anything before the reply).
STEP = {
    EventKind.CORRECTION_REQUESTED: 0,
    EventKind.CORRECTION_RECEIVED: 1,
    EventKind.CONSULTATION_SENT: 2,
    EventKind.EXTENSION_GRANTED: 2,
    EventKind.CONSULTATION_ANSWERED: 3,
    EventKind.FEE_NOTIFIED: 4,
    EventKind.FEE_PAID: 5,
    EventKind.REPLIED: 6,
    EventKind.WITHDRAWN: 6,
}


@check
@given(data=st.data(), history=histories())
def test_the_listing_order_of_simultaneous_independent_events_does_not_matter(data, history):
    expected = history.state()
    shuffled = data.draw(st.permutations(history.events))
    independent_reordered = sorted(shuffled, key=lambda event: (event.on, STEP[event.kind]))
    assert replace(history, events=tuple(independent_reordered)).state() == expected
    try:
        anyhow = replace(history, events=tuple(shuffled)).state()
    except ClockError:
        return  # a dependent pair of one day listed the wrong way round
    assert anyhow == expected
