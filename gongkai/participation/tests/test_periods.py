"""The period rule: the opening day not counted, whole days only, holidays and 调休 days of the
official calendar (2025 and 2026 National Day), and its properties over random periods."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import calendar
from gongkai.foi.tests import CALENDAR
from gongkai.participation.periods import (
    PeriodCheck,
    Unit,
    check_period,
    counted_days,
    earliest_close,
    last_open_day,
)
from gongkai.participation.tests.support import BEIJING, at


def workday(day: date) -> bool:
    return CALENDAR.answer(day).is_workday


def check(opens_at: datetime, closes_at: datetime, minimum: int, unit: Unit) -> PeriodCheck:
    return check_period(
        opens_at, closes_at, minimum=minimum, unit=unit, is_workday=workday, zone=BEIJING
    )


def test_calendar_knows_the_national_day_days_used_here() -> None:
    assert workday(date(2025, 9, 28))  # Sunday, 调休上班
    assert workday(date(2025, 10, 11))  # Saturday, 调休上班
    assert not any(workday(date(2025, 10, d)) for d in range(1, 9))
    assert workday(date(2026, 10, 10))  # Saturday, 调休上班
    assert not workday(date(2026, 10, 5))


def test_five_working_days_across_national_day_2025_count_the_makeup_sunday() -> None:
    # Opens Friday 26 Sep (not counted). Sat 27 no; Sun 28 (调休) 1; 29 2; 30 3;
    # 1–8 Oct holiday and weekend; Thu 9 Oct 4; Fri 10 Oct 5.
    opens = at(2025, 9, 26, 10)
    assert earliest_close(
        opens, minimum=5, unit=Unit.WORKING_DAYS, is_workday=workday, zone=BEIJING
    ) == at(2025, 10, 11)
    enough = check(opens, at(2025, 10, 11), 5, Unit.WORKING_DAYS)
    assert (enough.days, enough.long_enough) == (5, True)
    short = check(opens, at(2025, 10, 10, 18), 5, Unit.WORKING_DAYS)
    assert (short.days, short.long_enough) == (4, False)
    assert short.earliest_close == at(2025, 10, 11)


def test_makeup_saturday_after_national_day_2025_counts() -> None:
    # Opens Thu 9 Oct: Fri 10 is 1, Sat 11 (调休上班) is 2.
    opens = at(2025, 10, 9, 9)
    assert check(opens, at(2025, 10, 12), 2, Unit.WORKING_DAYS).long_enough
    assert check(opens, at(2025, 10, 12), 2, Unit.WORKING_DAYS).days == 2


def test_five_working_days_across_national_day_2026() -> None:
    # Opens Wed 30 Sep. 1–7 Oct off; Thu 8 is 1, Fri 9 2, Sat 10 (调休) 3, Sun 11 no,
    # Mon 12 4, Tue 13 5.
    opens = at(2026, 9, 30, 9)
    assert earliest_close(
        opens, minimum=5, unit=Unit.WORKING_DAYS, is_workday=workday, zone=BEIJING
    ) == at(2026, 10, 14)
    assert check(opens, at(2026, 10, 13, 17, 30), 5, Unit.WORKING_DAYS).days == 4


def test_calendar_days_ignore_holidays_and_skip_the_opening_day() -> None:
    # 30 days from 1 Sep 2025: 2 Sep … 1 Oct, so it may close at the end of 1 October.
    opens = at(2025, 9, 1, 15)
    result = check(opens, at(2025, 10, 2), 30, Unit.CALENDAR_DAYS)
    assert (result.days, result.long_enough, result.earliest_close) == (
        30,
        True,
        at(2025, 10, 2),
    )
    # Closing at 17:00 on 1 October leaves 1 October short of a whole day.
    assert check(opens, at(2025, 10, 1, 17), 30, Unit.CALENDAR_DAYS).days == 29


def test_opening_at_midnight_still_does_not_count_the_opening_day() -> None:
    assert check(at(2025, 9, 1), at(2025, 9, 3), 2, Unit.CALENDAR_DAYS).days == 1


def test_times_are_read_in_the_given_zone() -> None:
    # 20:00 UTC on 25 Sep is 04:00 on 26 Sep in Beijing: the opening day is 26 Sep.
    opens = datetime(2025, 9, 25, 20, tzinfo=UTC)
    assert earliest_close(
        opens, minimum=5, unit=Unit.WORKING_DAYS, is_workday=workday, zone=BEIJING
    ) == at(2025, 10, 11)


def test_last_open_day_of_a_close_at_midnight_is_the_day_before() -> None:
    assert last_open_day(at(2025, 10, 11), zone=BEIJING) == date(2025, 10, 10)
    assert last_open_day(at(2025, 10, 11, 9), zone=BEIJING) == date(2025, 10, 11)


def test_naive_times_and_bad_minimums_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        counted_days(
            datetime(2025, 9, 1),
            at(2025, 9, 5),
            unit=Unit.CALENDAR_DAYS,
            is_workday=workday,
            zone=BEIJING,
        )
    for minimum in (0, -3):
        with pytest.raises(ValueError, match="minimum must be between 1"):
            earliest_close(
                at(2025, 9, 1),
                minimum=minimum,
                unit=Unit.CALENDAR_DAYS,
                is_workday=workday,
                zone=BEIJING,
            )
    with pytest.raises(ValueError, match="no working day"):
        earliest_close(
            at(2025, 9, 1),
            minimum=1,
            unit=Unit.WORKING_DAYS,
            is_workday=lambda day: False,
            zone=BEIJING,
        )


@pytest.mark.django_db
def test_working_days_agree_with_the_core_calendar() -> None:
    """The database calendar (seeded from the same notices) gives the same days as
    ``core.calendar.add_workdays``: the opening day excluded, the n-th working day after it."""
    for opens_on in (date(2025, 9, 26), date(2025, 9, 30), date(2026, 9, 18), date(2026, 9, 30)):
        for minimum in (1, 5, 10, 20):
            close = earliest_close(
                datetime.combine(opens_on, time(9), tzinfo=BEIJING),
                minimum=minimum,
                unit=Unit.WORKING_DAYS,
                is_workday=calendar.is_workday,
                zone=BEIJING,
            )
            assert close.date() - timedelta(days=1) == calendar.add_workdays(opens_on, minimum)


# ---- Properties ---------------------------------------------------------------------------------

openings = st.builds(
    lambda day, minutes: datetime.combine(day, time(), tzinfo=BEIJING) + timedelta(minutes=minutes),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)),
    st.integers(0, 24 * 60 - 1),
)
minimums = st.integers(1, 40)
units = st.sampled_from(Unit)
examples = settings(max_examples=300, deadline=None)


@examples
@given(opens=openings, minimum=minimums, unit=units)
def test_earliest_close_is_long_enough_and_a_moment_earlier_is_not(
    opens: datetime, minimum: int, unit: Unit
) -> None:
    close = earliest_close(opens, minimum=minimum, unit=unit, is_workday=workday, zone=BEIJING)
    assert check(opens, close, minimum, unit).long_enough
    assert check(opens, close, minimum, unit).days == minimum
    assert not check(opens, close - timedelta(microseconds=1), minimum, unit).long_enough
    assert not check(opens, close - timedelta(days=1), minimum, unit).long_enough


@examples
@given(opens=openings, minimum=minimums, unit=units)
def test_the_last_day_of_the_earliest_close_is_a_counted_day(
    opens: datetime, minimum: int, unit: Unit
) -> None:
    close = earliest_close(opens, minimum=minimum, unit=unit, is_workday=workday, zone=BEIJING)
    last = last_open_day(close, zone=BEIJING)
    assert close == datetime.combine(last + timedelta(days=1), time(), tzinfo=BEIJING)
    if unit == Unit.WORKING_DAYS:
        assert workday(last)
    else:
        assert last == opens.date() + timedelta(days=minimum)


@examples
@given(
    opens=openings,
    length=st.integers(1, 60 * 24 * 60),
    longer=st.integers(0, 10 * 24 * 60),
    unit=units,
)
def test_a_later_close_never_counts_fewer_days(
    opens: datetime, length: int, longer: int, unit: Unit
) -> None:
    closes = opens + timedelta(minutes=length)
    days = counted_days(opens, closes, unit=unit, is_workday=workday, zone=BEIJING)
    later = counted_days(
        opens, closes + timedelta(minutes=longer), unit=unit, is_workday=workday, zone=BEIJING
    )
    assert 0 <= days <= later
    assert days <= (closes - opens).days
