"""The rates rollup (``MonthlyTally``) kept by the services equals its rebuild from the orders,
after every step of random sequences of real operations; the month boundary; re-dispatch."""

import contextlib
import random
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.hotline import services
from gongkai.hotline.errors import HotlineError
from gongkai.hotline.models import (
    Assignment,
    Channel,
    EventKind,
    MonthlyTally,
    OrderEvent,
    Satisfaction,
    Status,
    WorkOrder,
)
from gongkai.hotline.selectors import monthly_rates

from .conftest import intake

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 30, 20, 0, tzinfo=BEIJING)
COUNTS = ("orders", "responded", "called_back", "resolved", "satisfied", "basic")
OPERATIONS = {
    "create": 3,
    "dispatch": 3,
    "accept": 3,
    "send_back": 2,
    "reply": 3,
    "call_back": 3,
    "reopen": 2,
    "close": 2,
    "answer": 1,
    "merge": 2,
}
"""The operations and their weights: those that move an order on are likelier, so that
orders get as far as a call-back and closing."""


def tally() -> list[tuple[object, ...]]:
    return sorted(MonthlyTally.objects.values_list("month", "organisation_id", *COUNTS))


def assert_tally_is_rebuilt_the_same() -> None:
    kept = tally()
    assert services.rates_rebuild() == len(kept)
    assert tally() == kept


@pytest.fixture
def clock(monkeypatch):
    """The services' ``timezone.now``, moved by the test."""
    now = [START]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    return now


def create(world, received_at: datetime) -> WorkOrder:
    return services.order_create(
        actor=world.operator, channel=Channel.PHONE, intake=intake(world), received_at=received_at
    )


class Operations:
    """Each operation picks an order it applies to (by status) and drives the real service."""

    def __init__(self, world, rng: random.Random, clock: list[datetime]) -> None:
        self.world, self.rng, self.clock = world, rng, clock
        self.handlers = {
            world.street: world.street_handler,
            world.department: world.department_handler,
        }

    def pick(self, *statuses: Status, **conditions: object) -> WorkOrder | None:
        orders = WorkOrder.objects.filter(status__in=statuses, **conditions).distinct()
        found = list(orders.order_by("pk"))
        return self.rng.choice(found) if found else None

    def handler(self, order: WorkOrder):
        assert order.lead is not None
        return self.handlers[order.lead]

    def create(self) -> None:
        # Around the turn of the month in Beijing, at the first or the last minute sometimes.
        minutes = self.rng.choice([-1, 0, self.rng.randrange(-3000, 3000)])
        create(self.world, datetime(2026, 10, 1, tzinfo=BEIJING) + timedelta(minutes=minutes))

    def dispatch(self) -> None:
        if order := self.pick(Status.RECEIVED, Status.RETURNED):
            lead = self.rng.choice(list(self.handlers))
            services.order_dispatch(actor=self.world.dispatcher, order=order, lead=lead)

    def accept(self) -> None:
        if order := self.pick(Status.DISPATCHED):
            services.order_accept(actor=self.handler(order), order=order)

    def send_back(self) -> None:
        if order := self.pick(Status.DISPATCHED):
            services.order_send_back(actor=self.handler(order), order=order, reason="非本单位职责")

    def reply(self) -> None:
        if order := self.pick(Status.IN_PROGRESS):
            services.order_reply(actor=self.handler(order), order=order, reply="已办理")

    def call_back(self) -> None:
        if order := self.pick(Status.REPLIED):
            services.order_call_back(
                actor=self.world.operator,
                order=order,
                resolved=self.rng.random() < 0.6,
                satisfaction=self.rng.choice(list(Satisfaction)),
            )

    def reopen(self) -> None:
        if order := self.pick(Status.REPLIED):
            services.order_reopen(actor=self.world.dispatcher, order=order, reason="未解决")

    def close(self) -> None:
        if order := self.pick(Status.REPLIED, callbacks__at__gte=F("replied_at")):
            services.order_close(actor=self.world.dispatcher, order=order)

    def answer(self) -> None:
        if order := self.pick(Status.RECEIVED, Status.RETURNED):
            services.order_answer(actor=self.world.operator, order=order, answer="已解答")

    def merge(self) -> None:
        order = self.pick(Status.RECEIVED, Status.RETURNED)
        into = self.pick(Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED)
        if order and into:
            services.order_merge(actor=self.world.dispatcher, order=order, into=into, reason="重复")

    def step(self) -> None:
        """Advance the clock (sometimes past the response hours) and do one operation."""
        self.clock[0] += timedelta(hours=self.rng.choice([1, 2, 5, 20, 30]))
        (name,) = self.rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))
        with contextlib.suppress(HotlineError):  # e.g. closing before the call-back: refused
            getattr(self, name)()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tally_equals_its_rebuild_after_every_operation(world, clock, seed):
    operations = Operations(world, random.Random(seed), clock)
    for _ in range(150):
        operations.step()
        assert_tally_is_rebuilt_the_same()
    assert set(OrderEvent.objects.values_list("kind", flat=True)) >= {
        EventKind.DISPATCHED,
        EventKind.ACCEPTED,
        EventKind.SENT_BACK,
        EventKind.REPLIED,
        EventKind.CALLED_BACK,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.ANSWERED,
        EventKind.MERGED,
    }
    assert MonthlyTally.objects.filter(orders__gt=0).exists()


def test_a_refused_operation_leaves_the_tally_alone(world, clock):
    order = create(world, START)
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    kept = tally()
    with pytest.raises(HotlineError):
        services.order_accept(actor=world.department_handler, order=order)  # not its order
    assert tally() == kept == [(date(2026, 9, 1), world.street.pk, 1, 0, 0, 0, 0, 0)]


def test_an_order_received_at_the_last_minute_of_the_month_counts_in_that_month(world, clock):
    last_minute = datetime(2026, 10, 31, 23, 59, tzinfo=BEIJING)  # 15:59 UTC
    for received in (last_minute, last_minute + timedelta(minutes=1)):
        services.order_dispatch(
            actor=world.dispatcher, order=create(world, received), lead=world.street
        )
    assert tally() == [
        (date(2026, 10, 1), world.street.pk, 1, 0, 0, 0, 0, 0),
        (date(2026, 11, 1), world.street.pk, 1, 0, 0, 0, 0, 0),
    ]
    assert [r.orders for r in monthly_rates(date(2026, 10, 1))] == [1]
    assert_tally_is_rebuilt_the_same()


def test_a_re_dispatch_moves_the_order_to_the_other_organisations_row(world, clock):
    order = create(world, START)
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    assert tally() == [(date(2026, 9, 1), world.street.pk, 1, 0, 0, 0, 0, 0)]
    services.order_send_back(actor=world.street_handler, order=order, reason="非本街道职责")
    assert tally() == []
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.department)
    order = services.order_accept(actor=world.department_handler, order=order)
    assert order.responded_in_time
    assert tally() == [(date(2026, 9, 1), world.department.pk, 1, 1, 0, 0, 0, 0)]
    assert [r.organisation for r in monthly_rates(date(2026, 9, 1))] == [world.department]
    assert_tally_is_rebuilt_the_same()


def test_the_last_call_back_counts(world, clock):
    order = create(world, START)
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    services.order_accept(actor=world.street_handler, order=order)
    for resolved, satisfaction in [(False, Satisfaction.DISSATISFIED), (True, Satisfaction.BASIC)]:
        services.order_reply(actor=world.street_handler, order=order, reply="已办理")
        services.order_call_back(
            actor=world.operator, order=order, resolved=resolved, satisfaction=satisfaction
        )
        if not resolved:
            services.order_reopen(actor=world.dispatcher, order=order, reason="未解决")
    assert tally() == [(date(2026, 9, 1), world.street.pk, 1, 1, 1, 1, 0, 1)]


def test_rebuild_repairs_the_facts_and_the_rows_of_the_months_asked(world, clock):
    orders = [create(world, START + timedelta(days=days)) for days in (0, 0, 40)]
    for order in orders:
        services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
        services.order_accept(actor=world.street_handler, order=order)
    kept = tally()
    assert kept == [
        (date(2026, 9, 1), world.street.pk, 2, 2, 0, 0, 0, 0),
        (date(2026, 11, 1), world.street.pk, 1, 1, 0, 0, 0, 0),
    ]
    # Lost facts and rows, as after a bulk load that wrote only the orders.
    WorkOrder.objects.update(responded_in_time=False)
    MonthlyTally.objects.all().delete()
    assert services.rates_rebuild(months=[date(2026, 9, 17)]) == 1
    assert tally() == kept[:1]
    assert list(WorkOrder.objects.values_list("responded_in_time", flat=True)).count(True) == 2
    assert services.rates_rebuild(months=[]) == 0
    assert services.rates_rebuild() == 2
    assert tally() == kept


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_changes_to_one_row_lose_nothing(world):
    """Two transactions apply their orders' changes to the same row: the second waits for the
    first's row lock and adds to the committed count (PostgreSQL; SQLite has one writer)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    orders = [create(world, START) for _ in range(2)]
    for order in orders:
        services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    before = {order.pk: services._contribution(order.pk) for order in orders}
    # Both accepted in time, written without the services: only the tally follows below.
    for assignment in Assignment.objects.filter(order__in=orders):
        assignment.accepted_at = assignment.dispatched_at
        assignment.save()
    first, second = orders

    def follow_second() -> None:
        try:
            with transaction.atomic():
                services._tally_follow(second.pk, before[second.pk])
        finally:
            connection.close()

    thread = threading.Thread(target=follow_second)
    with transaction.atomic():
        services._tally_follow(first.pk, before[first.pk])  # holds the row lock until commit
        thread.start()
        with connection.cursor() as cursor:
            for _ in range(1000):
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # else read once per transaction
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                thread.join(0.01)
            else:
                pytest.fail("the second transaction never waited for the row")
    thread.join()
    assert tally() == [(date(2026, 9, 1), world.street.pk, 2, 2, 0, 0, 0, 0)]
