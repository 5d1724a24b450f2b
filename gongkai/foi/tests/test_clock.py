"""The statutory clock against the law's cases, with due dates worked out by hand from the
official holiday notices (regulatory-facts.md §1.1, §1.8, §10)."""

from datetime import date

import pytest

from gongkai.core.calendar import workdays_between
from gongkai.foi.clock import (
    CORRECTION_REQUEST_LIMIT,
    EXTENSION_MAX,
    REPLY_LIMIT,
    Channel,
    ClockError,
    ClockErrorCode,
    ClockEvent,
    ClockRules,
    ClockState,
    EventKind,
    Party,
    Status,
    compute,
    received_on,
)
from gongkai.foi.tests import CALENDAR

# 2025-03-03 is a Monday; its 20th working day is 2025-03-31 (no holiday in March 2025).
RECEIVED = date(2025, 3, 3)
PLAIN_DUE = date(2025, 3, 31)


def clock(
    received: date = RECEIVED, *events: ClockEvent, today: date | None = None, **options: object
) -> ClockState:
    return compute(
        received_on=received,
        events=events,
        today=today or max([received, *(event.on for event in events)]),
        calendar=CALENDAR,
        **options,  # type: ignore[arg-type]
    )


def event(kind: EventKind, on: date, **fields: object) -> ClockEvent:
    return ClockEvent(kind, on, **fields)  # type: ignore[arg-type]


def line(state: ClockState, day: date) -> tuple[bool, int, str]:
    [found] = [ln for ln in state.days if ln.day == day]
    return found.counts, found.nth, found.reason


def refused(code: ClockErrorCode, *events: ClockEvent, **options: object) -> str:
    with pytest.raises(ClockError) as caught:
        clock(RECEIVED, *events, **options)
    assert caught.value.code == code
    return caught.value.message


# Receipt (art. 31)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (Channel.IN_PERSON, date(2025, 3, 3)),
        (Channel.REGISTERED_POST, date(2025, 3, 5)),
        (Channel.ORDINARY_POST, date(2025, 3, 6)),
        (Channel.ONLINE, date(2025, 3, 6)),
        (Channel.FAX, date(2025, 3, 6)),
    ],
)
def test_receipt_day_depends_on_the_channel(channel, expected):
    dates = {"signed_on": date(2025, 3, 5), "confirmed_on": date(2025, 3, 6)}
    assert received_on(channel, submitted_on=date(2025, 3, 3), **dates) == expected


@pytest.mark.parametrize(
    ("channel", "field"),
    [
        (Channel.REGISTERED_POST, "签收日期"),
        (Channel.ORDINARY_POST, "双方确认日期"),
        (Channel.ONLINE, "双方确认日期"),
        (Channel.FAX, "双方确认日期"),
    ],
)
def test_receipt_needs_the_date_its_channel_uses(channel, field):
    with pytest.raises(ClockError) as caught:
        received_on(channel, submitted_on=date(2025, 3, 3))
    assert caught.value.code == ClockErrorCode.RECEIPT_DATE_MISSING
    assert field in caught.value.message


def test_receipt_cannot_precede_submission():
    with pytest.raises(ClockError) as caught:
        received_on(Channel.ONLINE, submitted_on=date(2025, 3, 3), confirmed_on=date(2025, 3, 2))
    assert caught.value.code == ClockErrorCode.RECEIPT_BEFORE_SUBMISSION
    assert caught.value.message == "双方确认日期（2025-03-02）不能早于提交日期（2025-03-03）。"


# Counting (art. 33(2)) across holidays and make-up days


def test_due_date_across_national_day_and_its_makeup_days():
    # Received Fri 2025-09-26. Sun 09-28 (make-up) 1, 09-29 2, 09-30 3, 10-01..10-08 off,
    # 10-09 4, 10-10 5, Sat 10-11 (make-up) 6, 10-13..10-17 7-11, 10-20..10-24 12-16,
    # 10-27..10-30 17-20.
    state = clock(date(2025, 9, 26), today=date(2025, 9, 26))
    assert state.status == Status.RUNNING
    assert state.due_on == date(2025, 10, 30)
    assert (state.working_days_used, state.working_days_left) == (0, REPLY_LIMIT)
    assert not state.overdue
    assert not state.provisional
    assert state.days[0].day == date(2025, 9, 26)
    assert state.days[-1].day == date(2025, 10, 30)
    assert line(state, date(2025, 9, 26)) == (False, 0, "受理日，不计入")
    assert line(state, date(2025, 9, 27)) == (False, 0, "周六，不计入")
    assert line(state, date(2025, 9, 28)) == (True, 1, "调休上班日，计入")
    assert line(state, date(2025, 10, 1)) == (False, 3, "法定节假日，不计入")
    assert line(state, date(2025, 10, 5)) == (False, 3, "周日，不计入")
    assert line(state, date(2025, 10, 8)) == (False, 3, "法定节假日，不计入")
    assert line(state, date(2025, 10, 9)) == (True, 4, "工作日，计入")
    assert line(state, date(2025, 10, 11)) == (True, 6, "调休上班日，计入")
    assert line(state, date(2025, 10, 30)) == (True, 20, "工作日，计入")


def test_due_date_across_spring_festival_and_its_makeup_days():
    # Received Fri 2026-02-06. 02-09..02-13 1-5, Sat 02-14 (make-up) 6, 02-16..02-23 off,
    # 02-24..02-27 7-10, Sat 02-28 (make-up) 11, 03-02..03-06 12-16, 03-09..03-12 17-20.
    state = clock(date(2026, 2, 6))
    assert state.due_on == date(2026, 3, 12)
    assert line(state, date(2026, 2, 14)) == (True, 6, "调休上班日，计入")
    assert line(state, date(2026, 2, 23)) == (False, 6, "法定节假日，不计入")
    assert line(state, date(2026, 2, 28)) == (True, 11, "调休上班日，计入")


def test_days_used_and_left_as_of_today():
    received = date(2025, 9, 26)
    assert clock(received, today=date(2025, 10, 10)).working_days_used == 5
    on_due = clock(received, today=date(2025, 10, 30))
    assert (on_due.working_days_left, on_due.overdue) == (0, False)
    late = clock(received, today=date(2025, 10, 31))
    assert (late.working_days_used, late.working_days_left, late.overdue) == (21, -1, True)
    assert late.days[-1].day == date(2025, 10, 31)
    assert line(late, date(2025, 10, 31)) == (True, 21, "已超过答复期限，超期第 1 个工作日")


def test_plain_path_without_lines_gives_the_same_state():
    with_lines = clock(date(2025, 9, 26), today=date(2025, 10, 10))
    without = clock(date(2025, 9, 26), today=date(2025, 10, 10), lines=False)
    assert without.days == ()
    assert without == with_lines._replace(days=())


def test_on_the_spot_reply_is_on_time():
    state = clock(RECEIVED, event(EventKind.REPLIED, RECEIVED))
    assert state.status == Status.REPLIED
    assert (state.working_days_used, state.overdue) == (0, False)
    assert [ln.reason for ln in state.days] == ["答复日（受理日，不计入）"]


def test_reply_on_the_due_day_is_on_time_and_after_it_overdue():
    on_time = clock(RECEIVED, event(EventKind.REPLIED, PLAIN_DUE))
    assert (on_time.due_on, on_time.working_days_left, on_time.overdue) == (PLAIN_DUE, 0, False)
    assert on_time.correction_request_by is None
    assert on_time.days[-1].reason == "答复日（工作日，计入）"
    late = clock(RECEIVED, event(EventKind.REPLIED, date(2025, 4, 1)))
    assert (late.working_days_used, late.overdue) == (21, True)


def test_withdrawal_ends_the_request():
    state = clock(RECEIVED, event(EventKind.WITHDRAWN, date(2025, 3, 5)), today=date(2025, 4, 9))
    assert state.status == Status.WITHDRAWN
    assert (state.working_days_used, state.due_on) == (2, PLAIN_DUE)
    assert state.days[-1].reason == "申请人撤回申请（工作日，计入）"


def test_a_due_date_in_an_unpublished_year_is_provisional():
    # Received Tue 2026-12-15: 12-16..12-31 1-12, 2027-01-01 off (provisionally), 01-04..01-08
    # 13-17, 01-11..01-13 18-20.
    state = clock(date(2026, 12, 15))
    assert state.due_on == date(2027, 1, 13)
    assert state.provisional
    assert line(state, date(2027, 1, 1)) == (False, 12, "法定节假日，不计入")
    assert not clock(date(2026, 11, 2)).provisional  # due 2026-11-30


# Correction (art. 30)


def test_correction_request_by_is_the_seventh_working_day():
    state = clock(RECEIVED)
    assert state.correction_request_by == date(2025, 3, 12)  # 03-04..03-07, 03-10..03-12
    assert CORRECTION_REQUEST_LIMIT == 7


def test_correction_stops_the_clock_and_restarts_it_in_full():
    requested = event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 10))  # 5th working day
    paused = clock(RECEIVED, requested, today=date(2025, 3, 19))
    assert paused.status == Status.PAUSED_CORRECTION
    assert paused.due_on is None
    assert paused.applicant_due_on == date(2025, 3, 31)  # 15 working days, the default
    assert (paused.working_days_used, paused.working_days_left) == (0, REPLY_LIMIT)
    assert paused.correction_request_by is None
    assert not paused.late_correction_request
    assert line(paused, date(2025, 3, 12))[2] == "补正期间，暂停计算"

    # Corrected on Thu 03-20: 03-21 1, 03-24..03-28 2-6, 03-31..04-03 7-10, Fri 04-04 清明,
    # 04-07..04-11 11-15, 04-14..04-18 16-20.
    resumed = clock(RECEIVED, requested, event(EventKind.CORRECTION_RECEIVED, date(2025, 3, 20)))
    assert resumed.status == Status.RUNNING
    assert resumed.due_on == date(2025, 4, 18)
    assert resumed.working_days_used == 0
    assert line(resumed, date(2025, 3, 4)) == (
        False,
        0,
        "补正前的期间，不计入（自收到补正之日起重新计算）",
    )
    assert line(resumed, date(2025, 3, 19))[2] == "补正期间，暂停计算"
    assert line(resumed, date(2025, 3, 20)) == (False, 0, "收到补正后的申请，重新起算，当日不计入")
    assert line(resumed, date(2025, 3, 21)) == (True, 1, "工作日，计入")


def test_correction_period_is_set_by_staff_or_defaults_to_the_rules():
    on = date(2025, 3, 10)
    assert clock(
        RECEIVED, event(EventKind.CORRECTION_REQUESTED, on, days=5)
    ).applicant_due_on == date(2025, 3, 17)
    rules = ClockRules(correction_period_days=10)
    assert clock(
        RECEIVED, event(EventKind.CORRECTION_REQUESTED, on), rules=rules
    ).applicant_due_on == date(2025, 3, 24)


def test_correction_period_lapses_and_the_request_is_abandoned():
    requested = event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 10))
    last_day = clock(RECEIVED, requested, today=date(2025, 3, 31))
    assert last_day.status == Status.PAUSED_CORRECTION
    closed = clock(RECEIVED, requested, today=date(2025, 4, 9))
    assert closed.status == Status.CLOSED_NO_CORRECTION
    assert (closed.due_on, closed.applicant_due_on) == (None, date(2025, 3, 31))
    assert closed.days[-1].day == date(2025, 4, 1)
    assert closed.days[-1].reason == "补正期限届满未补正，视为放弃申请"
    message = refused(
        ClockErrorCode.EVENT_NOT_ALLOWED,
        requested,
        event(EventKind.CORRECTION_RECEIVED, date(2025, 4, 1)),
    )
    assert message == "2025-04-01 申请处于“逾期未补正，视为放弃申请”状态，不能记录“收到补正”。"


def test_a_late_correction_request_is_recorded_and_flagged():
    on_time = clock(RECEIVED, event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 12)))
    assert not on_time.late_correction_request
    late = clock(RECEIVED, event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 13)))
    assert late.late_correction_request
    assert late.status == Status.PAUSED_CORRECTION


def test_impossible_corrections_are_refused():
    requested = event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 5))
    received = event(EventKind.CORRECTION_RECEIVED, date(2025, 3, 6))
    message = refused(ClockErrorCode.EVENT_NOT_ALLOWED, received)
    assert message == "2025-03-06 申请处于“办理中”状态，不能记录“收到补正”。"
    again = event(EventKind.CORRECTION_REQUESTED, date(2025, 3, 7))
    message = refused(ClockErrorCode.EVENT_REPEATED, requested, received, again)
    assert message == "每件申请只能“告知补正”一次。"
    refused(ClockErrorCode.BAD_DAYS, event(EventKind.CORRECTION_REQUESTED, RECEIVED, days=0))


# Consultation (arts. 32, 34, 33(3))


def consultation(key: str, party: Party, sent: date, answered: date | None) -> list[ClockEvent]:
    events = [event(EventKind.CONSULTATION_SENT, sent, key=key, party=party)]
    if answered:
        events.append(event(EventKind.CONSULTATION_ANSWERED, answered, key=key))
    return events


def test_third_party_consultation_is_excluded():
    # Sent Mon 03-10, answered Fri 03-14: 5 working days excluded; 5 after 03-31 (04-04 清明)
    events = consultation("a", Party.THIRD_PARTY, date(2025, 3, 10), date(2025, 3, 14))
    state = clock(RECEIVED, *events)
    assert state.due_on == date(2025, 4, 8)
    assert workdays_between(PLAIN_DUE, state.due_on) == 5
    assert line(state, date(2025, 3, 10)) == (False, 4, "征求第三方意见期间，不计入")
    assert line(state, date(2025, 3, 14)) == (False, 4, "征求第三方意见期间，不计入")
    assert line(state, date(2025, 3, 17)) == (True, 5, "工作日，计入")
    agency = clock(RECEIVED, *consultation("a", Party.AGENCY, date(2025, 3, 10), None))
    assert line(agency, date(2025, 3, 10))[2] == "征求其他机关意见期间，不计入"


def test_an_unanswered_consultation_excludes_at_most_its_period():
    # Period of a letter sent 03-10: to 03-31 (15 working days), so 03-10..03-31 is excluded:
    # counted 03-04..03-07 (4), then from 04-01: the 20th is 2025-04-23.
    waiting = consultation("a", Party.THIRD_PARTY, date(2025, 3, 10), None)
    state = clock(RECEIVED, *waiting, today=date(2025, 3, 20))
    assert (state.status, state.due_on, state.working_days_used) == (
        Status.RUNNING,
        date(2025, 4, 23),
        4,
    )
    late_answer = consultation("a", Party.THIRD_PARTY, date(2025, 3, 10), date(2025, 4, 2))
    assert clock(RECEIVED, *late_answer).due_on == date(2025, 4, 23)


def test_overlapping_consultations_exclude_each_day_once():
    # 03-10..03-14 and 03-12..03-19 together exclude 03-10..03-19: 8 working days, not 11.
    events = [
        *consultation("third", Party.THIRD_PARTY, date(2025, 3, 10), date(2025, 3, 14)),
        *consultation("agency", Party.AGENCY, date(2025, 3, 12), date(2025, 3, 19)),
    ]
    state = clock(RECEIVED, *events)
    assert state.due_on == date(2025, 4, 11)
    assert workdays_between(PLAIN_DUE, state.due_on) == 8
    assert line(state, date(2025, 3, 12))[2] == "征求第三方意见期间，不计入"  # the earlier one
    assert line(state, date(2025, 3, 17))[2] == "征求其他机关意见期间，不计入"


def test_impossible_consultations_are_refused():
    sent = event(EventKind.CONSULTATION_SENT, date(2025, 3, 5), key="a", party=Party.AGENCY)
    refused(ClockErrorCode.PARTY_MISSING, event(EventKind.CONSULTATION_SENT, RECEIVED, key="a"))
    refused(ClockErrorCode.CONSULTATION_OPEN, sent, sent)
    message = refused(
        ClockErrorCode.CONSULTATION_UNKNOWN,
        sent,
        event(EventKind.CONSULTATION_ANSWERED, date(2025, 3, 6), key="b"),
    )
    assert message == "没有编号为“b”、尚待答复的征求意见。"


# Extension (art. 33(2))


def test_an_extension_of_twenty_working_days_is_added():
    # From 03-31: 04-01..04-03 1-3, 04-07..04-25 4-18, Sun 04-27 (make-up) 19, Mon 04-28 20.
    state = clock(
        RECEIVED, event(EventKind.EXTENSION_GRANTED, date(2025, 3, 25), days=EXTENSION_MAX)
    )
    assert state.due_on == date(2025, 4, 28)
    assert state.working_days_left == REPLY_LIMIT + EXTENSION_MAX - state.working_days_used
    assert line(state, date(2025, 4, 1)) == (True, 21, "延期第 1 个工作日")
    assert line(state, date(2025, 4, 27)) == (True, 39, "延期第 19 个工作日")


@pytest.mark.parametrize("days", [EXTENSION_MAX + 1, 0, None, True])
def test_an_extension_outside_one_to_twenty_days_is_refused(days):
    message = refused(
        ClockErrorCode.BAD_DAYS, event(EventKind.EXTENSION_GRANTED, date(2025, 3, 25), days=days)
    )
    shown = "未填写" if days is None else days
    assert message == f"“延期答复”的工作日数应为 1 至 20 之间的整数（收到 {shown}）。"


def test_a_second_extension_is_refused():
    first = event(EventKind.EXTENSION_GRANTED, date(2025, 3, 25), days=5)
    second = event(EventKind.EXTENSION_GRANTED, date(2025, 3, 26), days=5)
    refused(ClockErrorCode.EVENT_REPEATED, first, second)


# Fee (art. 42, §1.8)

FEE_NOTICE = event(EventKind.FEE_NOTIFIED, date(2025, 3, 10))
FEE_PAID = event(EventKind.FEE_PAID, date(2025, 3, 17))


def test_events_of_one_day_apply_in_the_order_they_are_listed():
    extension = event(EventKind.EXTENSION_GRANTED, FEE_PAID.on, days=1)
    assert clock(RECEIVED, FEE_NOTICE, FEE_PAID, extension).due_on == date(2025, 4, 16)
    refused(ClockErrorCode.EVENT_NOT_ALLOWED, FEE_NOTICE, extension, FEE_PAID)


def test_waiting_for_a_fee_pauses_the_clock():
    state = clock(RECEIVED, FEE_NOTICE, today=date(2025, 3, 12))
    assert state.status == Status.PAUSED_FEE
    assert state.due_on is None
    assert state.applicant_due_on == date(2025, 4, 8)  # 20 working days after the notice
    assert line(state, date(2025, 3, 11))[2] == "等待缴费，暂停计算"


def test_payment_restarts_the_clock_in_full():
    # Paid Mon 03-17: 03-18..03-21 1-4, 03-24..03-28 5-9, 03-31..04-03 10-13, 04-07..04-11
    # 14-18, 04-14 19, 04-15 20.
    state = clock(RECEIVED, FEE_NOTICE, FEE_PAID)
    assert (state.status, state.due_on) == (Status.RUNNING, date(2025, 4, 15))
    assert line(state, date(2025, 3, 5))[2] == "缴费前的期间，不计入（自缴费之日起重新计算）"
    assert line(state, date(2025, 3, 17))[2] == "缴费完成，重新起算，当日不计入"


def test_waiting_for_a_fee_is_excluded_when_payment_does_not_restart_the_clock():
    # 03-10..03-17 excluded: 6 working days after 03-31 (04-04 清明) is 04-09.
    rules = ClockRules(fee_restarts_clock=False)
    paused = clock(RECEIVED, FEE_NOTICE, today=date(2025, 3, 12), rules=rules)
    assert (paused.status, paused.due_on, paused.working_days_used) == (Status.PAUSED_FEE, None, 4)
    state = clock(RECEIVED, FEE_NOTICE, FEE_PAID, rules=rules)
    assert state.due_on == date(2025, 4, 9)
    assert line(state, date(2025, 3, 6)) == (True, 3, "工作日，计入")
    assert line(state, date(2025, 3, 17)) == (False, 4, "等待缴费，暂停计算")


@pytest.mark.parametrize("restarts", [True, False])
def test_an_unpaid_fee_abandons_the_request(restarts):
    rules = ClockRules(fee_restarts_clock=restarts)
    last_day = clock(RECEIVED, FEE_NOTICE, today=date(2025, 4, 8), rules=rules)
    assert last_day.status == Status.PAUSED_FEE
    closed = clock(RECEIVED, FEE_NOTICE, today=date(2025, 4, 9), rules=rules)
    assert (closed.status, closed.due_on) == (Status.CLOSED_UNPAID, None)
    assert closed.days[-1].reason == "缴费期限届满未缴费，视为放弃申请"


# Events that cannot have happened


def test_events_outside_receipt_and_today_are_refused():
    message = refused(
        ClockErrorCode.EVENT_BEFORE_RECEIPT, event(EventKind.REPLIED, date(2025, 3, 2))
    )
    assert message == "“答复”的日期 2025-03-02 早于收到申请之日 2025-03-03。"
    refused(
        ClockErrorCode.EVENT_AFTER_TODAY,
        event(EventKind.REPLIED, date(2025, 3, 5)),
        today=date(2025, 3, 4),
    )
    refused(ClockErrorCode.TODAY_BEFORE_RECEIPT, today=date(2025, 3, 2))


def test_nothing_is_recorded_after_a_reply_or_during_a_pause_but_its_end():
    replied = event(EventKind.REPLIED, date(2025, 3, 5))
    refused(ClockErrorCode.EVENT_NOT_ALLOWED, replied, event(EventKind.WITHDRAWN, date(2025, 3, 6)))
    extension = event(EventKind.EXTENSION_GRANTED, date(2025, 3, 11), days=5)
    message = refused(ClockErrorCode.EVENT_NOT_ALLOWED, FEE_NOTICE, extension)
    assert message == "2025-03-11 申请处于“等待缴费”状态，不能记录“延期答复”。"
    refused(
        ClockErrorCode.EVENT_NOT_ALLOWED, FEE_NOTICE, event(EventKind.REPLIED, date(2025, 3, 11))
    )
