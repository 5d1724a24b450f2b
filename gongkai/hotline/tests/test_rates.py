"""The three rates on hand-built orders, and the command that prints them."""

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from gongkai.hotline import services
from gongkai.hotline.models import Assignment, Channel, MonthlyTally, Satisfaction
from gongkai.hotline.selectors import monthly_rates

from .conftest import intake

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
OCTOBER = datetime(2026, 10, 12, 9, 0, tzinfo=BEIJING)


def order_for(world, lead, *, received=OCTOBER, accept_after=None, call_back=None):
    """An order received at ``received`` and led by ``lead``; accepted ``accept_after`` its
    dispatch, replied and called back with (resolved, satisfaction) when given."""
    order = services.order_create(
        actor=world.operator, channel=Channel.PHONE, intake=intake(world), received_at=received
    )
    order = services.order_dispatch(actor=world.dispatcher, order=order, lead=lead)
    if accept_after is None:
        return order
    handler = world.street_handler if lead == world.street else world.department_handler
    order = services.order_accept(actor=handler, order=order)
    assignment = Assignment.objects.get(order=order, active=True)
    assignment.accepted_at = assignment.dispatched_at + accept_after
    assignment.save()
    if call_back is not None:
        order = services.order_reply(actor=handler, order=order, reply="已办理")
        resolved, satisfaction = call_back
        services.order_call_back(
            actor=world.operator, order=order, resolved=resolved, satisfaction=satisfaction
        )
    return order


def test_rates_per_organisation(world):
    hours = timedelta(hours=1)
    # The street: 4 orders, 3 accepted in time, 3 called back (2 resolved; 满意, 基本满意, 不满意).
    order_for(world, world.street, accept_after=hours, call_back=(True, Satisfaction.SATISFIED))
    order_for(world, world.street, accept_after=hours, call_back=(True, Satisfaction.BASIC))
    order_for(
        world, world.street, accept_after=30 * hours, call_back=(False, Satisfaction.DISSATISFIED)
    )
    order_for(world, world.street, accept_after=hours)
    # The department: 1 order, not accepted; another month's order does not count.
    order_for(world, world.department)
    order_for(world, world.department, received=OCTOBER - timedelta(days=30), accept_after=hours)
    rates = {r.organisation: r for r in monthly_rates(OCTOBER.date())}
    street = rates[world.street]
    assert (street.orders, street.responded, street.called_back, street.resolved) == (4, 3, 3, 2)
    assert street.response_rate == 0.75
    assert street.resolution_rate == pytest.approx(2 / 3)
    assert street.satisfaction_rate == pytest.approx(2 / 3)  # 基本满意 counts in full by default
    assert street.score == pytest.approx(100 * (0.75 + 2 / 3 + 2 / 3) / 3)
    department = rates[world.department]
    assert (department.orders, department.response_rate, department.score) == (1, 0.0, None)
    assert next(iter(rates)) == world.street  # measured first


def test_weights_and_the_basic_satisfied_weight_are_settings(world, settings):
    settings.GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT = 0.5
    settings.GONGKAI_HOTLINE_RATE_WEIGHTS = {
        "response": 0.2,
        "resolution": 0.4,
        "satisfaction": 0.4,
    }
    order_for(
        world, world.street, accept_after=timedelta(hours=1), call_back=(True, Satisfaction.BASIC)
    )
    (street,) = monthly_rates(OCTOBER.date())
    assert street.satisfaction_rate == 0.5
    assert street.score == pytest.approx(100 * (0.2 * 1 + 0.4 * 1 + 0.4 * 0.5))


def test_the_command_prints_the_rates_as_json(world):
    order_for(
        world,
        world.street,
        accept_after=timedelta(hours=1),
        call_back=(True, Satisfaction.SATISFIED),
    )
    out = StringIO()
    call_command("hotline", "rates", "--month", "2026-10", "--json", stdout=out)
    (row,) = json.loads(out.getvalue())
    assert row == {
        "org": world.street.code,
        "orders": 1,
        "response_rate": 1.0,
        "resolution_rate": 1.0,
        "satisfaction_rate": 1.0,
        "score": 100.0,
    }
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("hotline", "rates", "--month", "2026/10")


def test_the_rollup_command_rebuilds_a_month_or_all(world):
    order_for(world, world.street, accept_after=timedelta(hours=1))
    order_for(world, world.street, received=OCTOBER - timedelta(days=30))
    MonthlyTally.objects.all().delete()
    out = StringIO()
    call_command("hotline", "rollup", "--month", "2026-10", stdout=out)
    assert "共 1 行" in out.getvalue()
    (street,) = monthly_rates(OCTOBER.date())
    assert (street.orders, street.responded) == (1, 1)
    call_command("hotline", "rollup", stdout=out)
    assert "共 2 行" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("hotline", "rollup", "--month", "10/2026")
