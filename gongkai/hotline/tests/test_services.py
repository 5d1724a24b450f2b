"""Work orders from intake to close: the transitions, time limits and who may do what
(on SQLite and PostgreSQL)."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from gongkai.core import calendar as core_calendar
from gongkai.core.models import AuditEvent
from gongkai.foi.tests import CALENDAR
from gongkai.hotline import services
from gongkai.hotline.errors import HotlineError, HotlineErrorCode
from gongkai.hotline.models import (
    Category,
    Channel,
    EventKind,
    LimitUnit,
    RequestType,
    Satisfaction,
    Status,
    SupervisionReason,
    TimeLimitRule,
    Urgency,
)
from gongkai.hotline.permissions import can_see_caller, visible_orders
from gongkai.hotline.workflow import TRANSITIONS, Action

from .conftest import intake, take

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def test_an_operator_takes_a_call_and_the_order_has_a_number_and_a_due_time(world):
    order = take(world)
    local = order.received_at.astimezone(BEIJING)
    assert order.number == f"{local:%Y%m%d}{order.pk:08d}"
    assert order.status == Status.RECEIVED
    assert order.due_at == order.received_at + timedelta(days=7)  # general: 7 calendar days
    assert order.events.get().kind == EventKind.RECEIVED
    assert AuditEvent.objects.filter(action="hotline.order.create").exists()


def test_time_limits_follow_urgency_complexity_and_request_type(world):
    emergency = take(world, urgency=Urgency.EMERGENCY)
    assert emergency.due_at == emergency.received_at + timedelta(hours=2)
    complex_order = take(world, complex=True)
    assert complex_order.due_at == complex_order.received_at + timedelta(days=15)
    TimeLimitRule.objects.create(
        urgency=Urgency.NORMAL, request_type=RequestType.CONSULT, amount=3, unit=LimitUnit.HOURS
    )
    consult = take(world, request_type=RequestType.CONSULT)
    assert consult.due_at == consult.received_at + timedelta(hours=3)


def test_working_day_limits_skip_holidays_and_count_make_up_days(world):
    TimeLimitRule.objects.filter(urgency=Urgency.NORMAL, complex=False).update(
        amount=5, unit=LimitUnit.WORKING_DAYS
    )
    received = datetime(2025, 9, 26, 10, 30, tzinfo=BEIJING)  # a Friday before 国庆
    with mock.patch.object(core_calendar, "_snapshot", return_value=CALENDAR):
        order = services.order_create(
            actor=world.operator, channel=Channel.PHONE, intake=intake(world), received_at=received
        )
    # 9-28 (Sunday, make-up day), 9-29, 9-30, then the holiday to 10-8, 10-9, 10-10.
    assert order.due_at == datetime(2025, 10, 10, 10, 30, tzinfo=BEIJING)


def test_a_public_message_needs_content_and_a_way_to_answer(world):
    with pytest.raises(HotlineError) as empty:
        services.order_create(actor=None, channel=Channel.WEB, intake=intake(world, content="  "))
    assert empty.value.code == HotlineErrorCode.CONTENT_REQUIRED
    with pytest.raises(HotlineError) as anonymous:
        services.order_create(
            actor=None, channel=Channel.WEB, intake=intake(world, caller_phone="")
        )
    assert anonymous.value.code == HotlineErrorCode.CONTACT_REQUIRED
    order = services.order_create(actor=None, channel=Channel.WEB, intake=intake(world))
    assert order.created_by is None


def test_phone_orders_are_taken_by_the_centre_only(world):
    with pytest.raises(HotlineError) as denied:
        services.order_create(
            actor=world.street_handler, channel=Channel.PHONE, intake=intake(world)
        )
    assert denied.value.code == HotlineErrorCode.PERMISSION_DENIED


def test_a_street_outside_the_district_is_refused(world):
    with pytest.raises(HotlineError) as refused:
        take(world, district=world.city)
    assert refused.value.code == HotlineErrorCode.STREET_OUTSIDE_DISTRICT


def test_the_whole_life_of_an_order(world):
    order = take(world)
    order = services.order_dispatch(
        actor=world.dispatcher, order=order, lead=world.department, co=(world.street,)
    )
    assert (order.status, order.lead) == (Status.DISPATCHED, world.department)
    # The lead sends it back: not its matter.
    order = services.order_send_back(
        actor=world.department_handler, order=order, reason="占道经营属街道城管职责"
    )
    assert (order.status, order.lead, order.send_backs) == (Status.RETURNED, None, 1)
    assert not order.assignments.filter(active=True).exists()
    # Re-routed to the street, which accepts, contacts the caller and replies.
    order = services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    order = services.order_accept(actor=world.street_handler, order=order)
    services.order_note(
        actor=world.street_handler, order=order, text="已电话联系王先生，约定上门", contact=True
    )
    order = services.order_reply(
        actor=world.street_handler, order=order, reply="已联合城管清理占道摊位，并加强夜间巡查。"
    )
    assert order.status == Status.REPLIED
    with pytest.raises(HotlineError) as first:
        services.order_close(actor=world.dispatcher, order=order)
    assert first.value.code == HotlineErrorCode.CALL_BACK_FIRST
    services.order_call_back(
        actor=world.operator,
        order=order,
        resolved=False,
        satisfaction=Satisfaction.DISSATISFIED,
        note="夜间仍有摊位",
    )
    order = services.order_reopen(actor=world.dispatcher, order=order, reason="回访不满意，重办")
    assert (order.status, order.reopened, order.lead) == (Status.IN_PROGRESS, 1, world.street)
    order = services.order_reply(actor=world.street_handler, order=order, reply="已落实长效管理。")
    services.order_call_back(
        actor=world.operator, order=order, resolved=True, satisfaction=Satisfaction.SATISFIED
    )
    order = services.order_close(actor=world.dispatcher, order=order)
    assert order.status == Status.CLOSED
    assert order.closed_at is not None
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.DISPATCHED,
        EventKind.SENT_BACK,
        EventKind.DISPATCHED,
        EventKind.ACCEPTED,
        EventKind.CONTACT,
        EventKind.REPLIED,
        EventKind.CALLED_BACK,
        EventKind.REOPENED,
        EventKind.REPLIED,
        EventKind.CALLED_BACK,
        EventKind.CLOSED,
    ]


def test_an_order_answered_at_once_is_closed(world):
    order = take(world, request_type=RequestType.CONSULT)
    order = services.order_answer(
        actor=world.operator, order=order, answer="占道经营可向属地街道城管反映，已为您转达。"
    )
    assert (order.status, order.answered_directly) == (Status.CLOSED, True)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, action)
        for status in Status
        for action in Action
        if (status, action) not in TRANSITIONS
    ],
)
def test_moves_outside_the_table_are_refused(world, status, action):
    from gongkai.hotline.workflow import next_status

    with pytest.raises(HotlineError) as refused:
        next_status(status, action)
    assert refused.value.code == HotlineErrorCode.BAD_TRANSITION


def test_a_reply_before_acceptance_is_refused(world):
    order = services.order_dispatch(actor=world.dispatcher, order=take(world), lead=world.street)
    with pytest.raises(HotlineError) as refused:
        services.order_reply(actor=world.street_handler, order=order, reply="已处理")
    assert refused.value.code == HotlineErrorCode.BAD_TRANSITION
    assert "已派单" in refused.value.message


def test_who_may_do_what(world):
    order = take(world)
    for actor in (world.operator, world.street_handler, world.supervisor):
        with pytest.raises(HotlineError):
            services.order_dispatch(actor=actor, order=order, lead=world.street)
    order = services.order_dispatch(
        actor=world.dispatcher, order=order, lead=world.street, co=(world.department,)
    )
    for actor in (world.department_handler, world.outsider, world.dispatcher):
        with pytest.raises(HotlineError) as denied:
            services.order_accept(actor=actor, order=order)
        assert denied.value.code == HotlineErrorCode.PERMISSION_DENIED
    services.order_note(actor=world.department_handler, order=order, text="协办：已核实现场")
    with pytest.raises(HotlineError):
        services.order_note(actor=world.outsider, order=order, text="无关单位")


def test_staff_see_only_orders_in_their_chain(world):
    order = take(world)
    assert order in visible_orders(world.supervisor)
    assert order in visible_orders(world.operator)
    assert order not in visible_orders(world.street_handler)
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
    assert order in visible_orders(world.street_handler)
    assert order not in visible_orders(world.outsider)
    assert can_see_caller(world.street_handler, order)
    assert not can_see_caller(world.outsider, order)


def test_duplicates_are_merged_into_an_open_order(world):
    first, second = take(world), take(world)
    with pytest.raises(HotlineError) as itself:
        services.order_merge(actor=world.dispatcher, order=first, into=first, reason="重复")
    assert itself.value.code == HotlineErrorCode.MERGE_INTO_SELF
    merged = services.order_merge(
        actor=world.dispatcher, order=second, into=first, reason="同一诉求"
    )
    assert (merged.status, merged.merged_into) == (Status.MERGED, first)
    assert first.events.filter(kind=EventKind.MERGED).exists()


def dispatched(world):
    order = services.order_dispatch(actor=world.dispatcher, order=take(world), lead=world.street)
    return services.order_accept(actor=world.street_handler, order=order)


def test_an_extension_is_asked_by_the_lead_and_decided_by_a_dispatcher(world):
    order = dispatched(world)
    later = order.due_at + timedelta(days=5)
    with pytest.raises(HotlineError) as not_later:
        services.extension_request(
            actor=world.street_handler, order=order, until=order.due_at, reason="需协调产权单位"
        )
    assert not_later.value.code == HotlineErrorCode.EXTENSION_NOT_LATER
    with pytest.raises(HotlineError) as outsider:
        services.extension_request(actor=world.outsider, order=order, until=later, reason="x")
    assert outsider.value.code == HotlineErrorCode.PERMISSION_DENIED
    request = services.extension_request(
        actor=world.street_handler, order=order, until=later, reason="需协调产权单位"
    )
    with pytest.raises(HotlineError) as pending:
        services.extension_request(
            actor=world.street_handler, order=order, until=later, reason="再次"
        )
    assert pending.value.code == HotlineErrorCode.EXTENSION_PENDING
    with pytest.raises(HotlineError) as handler:
        services.extension_decide(actor=world.street_handler, request=request, approve=True)
    assert handler.value.code == HotlineErrorCode.PERMISSION_DENIED
    services.extension_decide(actor=world.dispatcher, request=request, approve=True)
    order.refresh_from_db()
    assert order.due_at == later
    assert order.events.filter(kind=EventKind.EXTENDED).exists()


def test_repeated_send_backs_start_a_supervision(world):
    order = take(world)
    for _ in range(2):
        order = services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)
        order = services.order_send_back(
            actor=world.street_handler, order=order, reason="不属于本街道"
        )
    supervision = order.supervisions.get()
    assert supervision.reason == SupervisionReason.SENT_BACK
    assert supervision.resolved_at is None


def test_overdue_and_repeated_orders_are_supervised_automatically(world):
    overdue = dispatched(world)
    later = overdue.due_at + timedelta(minutes=1)
    assert services.supervise_automatically(now=later) == 1
    assert services.supervise_automatically(now=later) == 0  # once per reason
    category = Category.objects.create(code="0101", name="占道经营", local=True)
    orders = [take(world, category=category) for _ in range(3)]
    assert services.supervise_automatically() == 3  # none of them overdue yet
    assert all(o.supervisions.filter(reason=SupervisionReason.REPEATED).exists() for o in orders)


def test_a_supervisor_supervises_and_closing_resolves_it(world):
    order = dispatched(world)
    with pytest.raises(HotlineError) as denied:
        services.order_supervise(actor=world.operator, order=order, note="请加快")
    assert denied.value.code == HotlineErrorCode.PERMISSION_DENIED
    supervision = services.order_supervise(
        actor=world.supervisor, order=order, note="群众反映强烈，请两日内反馈", hours=48
    )
    assert supervision.deadline == supervision.created_at + timedelta(hours=48)
    with pytest.raises(HotlineError) as twice:
        services.order_supervise(actor=world.supervisor, order=order, note="再次督办")
    assert twice.value.code == HotlineErrorCode.ALREADY_SUPERVISED
    order = services.order_reply(actor=world.street_handler, order=order, reply="已办理。")
    services.order_call_back(
        actor=world.operator, order=order, resolved=True, satisfaction=Satisfaction.BASIC
    )
    services.order_close(actor=world.dispatcher, order=order)
    supervision.refresh_from_db()
    assert supervision.resolved_at is not None


def test_the_category_tree_loads_once_and_keeps_edits():
    created = services.category_load_reference_data()
    assert created == Category.objects.count() > 100
    occupation = Category.objects.get(code="0103")
    assert (occupation.name, occupation.local, occupation.parent.code) == ("占道经营", True, "01")
    occupation.name = "占道经营（含流动摊贩）"
    occupation.save()
    assert services.category_load_reference_data() == 0
    assert Category.objects.get(code="0103").name == "占道经营（含流动摊贩）"
