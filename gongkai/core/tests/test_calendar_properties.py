"""Properties of add_workdays / workdays_between over published and provisional years."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import (
    add_workdays,
    add_workdays_explained,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.usefixtures("builtin_calendar")

PUBLISHED_YEARS = range(2004, 2027)
# From an unpublished year (2003) through published ones into provisional ones (2027–2029).
days = st.dates(min_value=date(2003, 6, 1), max_value=date(2029, 6, 30))
counts = st.integers(min_value=0, max_value=300)
check = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@check
@given(day=days, a=counts, b=counts)
def test_adding_is_additive(day, a, b):
    assert add_workdays(day, a + b) == add_workdays(add_workdays(day, a), b)


@check
@given(day=days, n=st.integers(min_value=1, max_value=300))
def test_result_is_a_later_working_day(day, n):
    result = add_workdays(day, n)
    assert result > day
    assert is_workday(result)
    assert workdays_between(day, result - timedelta(days=1)) == n - 1


@check
@given(day=days, n=counts)
def test_workdays_between_inverts_add_workdays(day, n):
    assert workdays_between(day, add_workdays(day, n)) == n


@check
@given(a=days, b=days)
def test_add_workdays_of_workdays_between_is_the_last_working_day_up_to_b(a, b):
    start, end = min(a, b), max(a, b)
    k = workdays_between(start, end)
    assert workdays_between(end, start) == -k
    result = add_workdays(start, k)
    assert start <= result <= end
    assert workdays_between(result, end) == 0
    assert k == 0 or is_workday(result)


@check
@given(a=days, b=days, n=counts, m=counts)
def test_monotonic_in_date_and_count(a, b, n, m):
    assert add_workdays(min(a, b), n) <= add_workdays(max(a, b), n)
    assert add_workdays(a, min(n, m)) <= add_workdays(a, max(n, m))


@check
@given(day=days, n=counts)
def test_provisional_exactly_when_a_counted_day_is_in_an_unpublished_year(day, n):
    result = add_workdays_explained(day, n)
    counted_years = range((day + timedelta(days=1)).year, result.date.year + 1) if n else ()
    assert result.provisional == any(y not in PUBLISHED_YEARS for y in counted_years)
