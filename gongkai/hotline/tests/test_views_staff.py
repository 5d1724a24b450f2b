"""The staff pages of 12345 work orders: intake, the queues, the order page and its actions,
caller masking and the workbench to-dos (on SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import AccountKind, User
from gongkai.hotline import services
from gongkai.hotline.models import (
    Assignment,
    CallBack,
    Category,
    ExtensionRequest,
    OrderEvent,
    Satisfaction,
    Status,
    Supervision,
    Urgency,
    WorkOrder,
)
from gongkai.hotline.todos import hotline_todos
from gongkai.orgs.models import Organisation

from .conftest import take

pytestmark = pytest.mark.django_db

NEW = reverse("hotline_staff:new")
DISPATCH = reverse("hotline_staff:dispatch")
MINE = reverse("hotline_staff:mine")
CALL_BACKS = reverse("hotline_staff:call-backs")
SUPERVISIONS = reverse("hotline_staff:supervisions")
EXTENSIONS = reverse("hotline_staff:extensions")


@pytest.fixture
def local_category() -> Category:
    parent = Category.objects.create(code="T01", name="市容环境")
    return Category.objects.create(
        code="T0101", name="占道经营", parent=parent, local=True, default_urgency=Urgency.URGENT
    )


@pytest.fixture
def public_user() -> User:
    return User.objects.create_user(username="citizen", kind=AccountKind.PUBLIC)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def order_url(order: WorkOrder, action: str = "") -> str:
    if action:
        return reverse("hotline_staff:act", args=[order.number, action])
    return reverse("hotline_staff:order", args=[order.number])


def html(response) -> str:
    return response.content.decode()


def dispatched(world, **changes) -> WorkOrder:
    """An order led by the street office, co-handled by the district department."""
    order = take(world, **changes)
    return services.order_dispatch(
        actor=world.dispatcher, order=order, lead=world.street, co=(world.department,)
    )


def replied(world) -> WorkOrder:
    order = dispatched(world)
    services.order_accept(actor=world.street_handler, order=order)
    return services.order_reply(actor=world.street_handler, order=order, reply="已清理占道摊位。")


# ---- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NEW, DISPATCH, MINE, CALL_BACKS, SUPERVISIONS, EXTENSIONS])
def test_anonymous_visitors_are_sent_to_login(world, url) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [NEW, DISPATCH, MINE, CALL_BACKS, SUPERVISIONS, EXTENSIONS])
def test_public_users_are_refused(world, public_user, url) -> None:
    assert client_for(public_user).get(url).status_code == 403


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("operator", NEW, 200),
        ("dispatcher", NEW, 200),
        ("street_handler", NEW, 403),
        ("supervisor", NEW, 403),
        ("dispatcher", DISPATCH, 200),
        ("operator", DISPATCH, 403),
        ("street_handler", DISPATCH, 403),
        ("street_handler", MINE, 200),
        ("department_handler", MINE, 200),
        ("dispatcher", MINE, 403),
        ("operator", CALL_BACKS, 200),
        ("dispatcher", CALL_BACKS, 200),
        ("street_handler", CALL_BACKS, 403),
        ("supervisor", SUPERVISIONS, 200),
        ("dispatcher", SUPERVISIONS, 403),
        ("dispatcher", EXTENSIONS, 200),
        ("street_handler", EXTENSIONS, 403),
    ],
)
def test_each_queue_is_for_its_roles(world, who, url, status) -> None:
    assert client_for(getattr(world, who)).get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("operator", "hotline_staff:new"),
        ("dispatcher", "hotline_staff:new"),
        ("street_handler", "hotline_staff:mine"),
        ("supervisor", "hotline_staff:supervisions"),
    ],
)
def test_index_opens_the_first_queue_of_the_role(world, who, target) -> None:
    response = client_for(getattr(world, who)).get(reverse("hotline_staff:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("dispatcher", 200),
        ("supervisor", 200),
        ("street_handler", 200),
        ("department_handler", 200),
        ("outsider", 404),
    ],
)
def test_order_page_for_the_handling_chain_only(world, who, status) -> None:
    order = dispatched(world)
    assert client_for(getattr(world, who)).get(order_url(order)).status_code == status


def test_public_user_cannot_open_an_order(world, public_user) -> None:
    assert client_for(public_user).get(order_url(take(world))).status_code == 403


# ---- Caller masking --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["operator", "dispatcher", "street_handler", "department_handler"])
def test_handling_chain_sees_the_caller_in_full(world, who) -> None:
    page = html(client_for(getattr(world, who)).get(order_url(dispatched(world))))
    assert "王先生" in page
    assert "13900139000" in page


def test_supervisor_sees_the_caller_masked(world) -> None:
    page = html(client_for(world.supervisor).get(order_url(dispatched(world))))
    assert "王先生" not in page
    assert "13900139000" not in page
    assert "王**" in page
    assert "139****9000" in page


# ---- Intake ----------------------------------------------------------------------------------


def intake_data(world, category: Category | None = None, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "caller_name": "李女士",
        "caller_phone": "13800138000",
        "content": "东华门大街路灯不亮。",
        "request_type": "help",
        "category": category.pk if category else "",
        "urgency": "",
        "district": world.district.pk,
        "street": world.street.pk,
        "address": "东华门大街1号",
    }
    data.update(changes)
    return data


def test_intake_form_is_keyboard_first(world, local_category) -> None:
    page = html(client_for(world.operator).get(NEW))
    assert 'name="caller_name"' in page
    assert "autofocus" in page
    assert '<optgroup label="市容环境">' in page
    assert page.index('name="caller_name"') < page.index('name="content"')
    assert page.index('name="content"') < page.index("受理</button>")
    assert "<textarea" not in page  # Enter submits from every field


def test_operator_takes_a_call_and_sees_the_number_at_once(world, local_category) -> None:
    client = client_for(world.operator)
    response = client.post(NEW, intake_data(world, local_category), follow=True)
    order = WorkOrder.objects.get()
    assert response.redirect_chain[-1][0] == order_url(order)
    page = html(response)
    assert f"已受理，工单编号 {order.number}。" in page
    assert "直接答复办结" in page
    assert reverse("hotline_staff:new") in page
    assert order.urgency == Urgency.URGENT  # the category's default
    assert order.created_by == world.operator


def test_intake_without_content_keeps_what_was_typed(world) -> None:
    response = client_for(world.operator).post(NEW, intake_data(world, content=""))
    assert response.status_code == 400
    assert "这个字段是必填项。" in html(response)
    assert 'value="李女士"' in html(response)
    assert not WorkOrder.objects.exists()


def test_intake_without_contact_is_refused_with_the_service_message(world) -> None:
    response = client_for(world.operator).post(NEW, intake_data(world, caller_phone=""))
    assert response.status_code == 400
    assert "请留下联系电话或电子邮箱，以便回复和回访。" in html(response)
    assert "东华门大街路灯不亮。" in html(response)
    assert not WorkOrder.objects.exists()


def test_intake_street_outside_district_is_refused(world) -> None:
    chaoyang = Organisation.objects.create(
        code="110105", name="北京市朝阳区人民政府", level="district", kind="government"
    )
    response = client_for(world.operator).post(NEW, intake_data(world, district=chaoyang.pk))
    assert response.status_code == 400
    assert "“北京市东城区东华门街道办事处”不属于“北京市朝阳区人民政府”。" in html(response)
    assert not WorkOrder.objects.exists()


def test_handler_cannot_take_a_call(world) -> None:
    response = client_for(world.street_handler).post(NEW, intake_data(world))
    assert response.status_code == 403
    assert not WorkOrder.objects.exists()


def test_operator_answers_at_once(world) -> None:
    order = take(world)
    response = client_for(world.operator).post(
        order_url(order, "answer"), {"answer-answer": "请拨打物业电话。"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.CLOSED
    assert order.answered_directly


def test_empty_answer_is_refused(world) -> None:
    order = take(world)
    response = client_for(world.operator).post(order_url(order, "answer"), {"answer-answer": " "})
    assert response.status_code == 400
    assert "这个字段是必填项。" in html(response)
    order.refresh_from_db()
    assert order.status == Status.RECEIVED


# ---- Dispatch --------------------------------------------------------------------------------


def test_dispatch_queue_oldest_first_with_send_back_reason(world) -> None:
    first = dispatched(world)
    services.order_send_back(actor=world.street_handler, order=first, reason="不属于本街道")
    second = take(world)
    page = html(client_for(world.dispatcher).get(DISPATCH))
    assert page.index(first.number) < page.index(second.number)
    assert "退单理由：不属于本街道" in page


def test_local_category_suggests_the_street(world, local_category) -> None:
    order = take(world, category=local_category)
    client = client_for(world.dispatcher)
    assert f"{world.street.name}（属地事项）" in html(client.get(DISPATCH))
    page = html(client.get(order_url(order)))
    assert "建议派往：北京市东城区东华门街道办事处（属地事项）" in page
    assert f'<option value="{world.street.pk}" selected>' in page


def test_no_suggestion_without_a_local_category(world) -> None:
    order = take(world)
    assert "建议派往" not in html(client_for(world.dispatcher).get(order_url(order)))


def test_dispatcher_dispatches_with_co_handling(world) -> None:
    order = take(world)
    response = client_for(world.dispatcher).post(
        order_url(order, "dispatch"),
        {"dispatch-lead": world.street.pk, "dispatch-co": [world.department.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    assert order.lead == world.street
    assert Assignment.objects.filter(order=order, organisation=world.department).exists()


def test_lead_also_co_is_refused(world) -> None:
    order = take(world)
    response = client_for(world.dispatcher).post(
        order_url(order, "dispatch"),
        {"dispatch-lead": world.street.pk, "dispatch-co": [world.street.pk]},
    )
    assert response.status_code == 400
    assert "主办单位不能同时是协办单位。" in html(response)
    assert not Assignment.objects.exists()


def test_operator_cannot_dispatch(world) -> None:
    order = take(world)
    client = client_for(world.operator)
    assert 'id="action-dispatch"' not in html(client.get(order_url(order)))
    response = client.post(order_url(order, "dispatch"), {"dispatch-lead": world.street.pk})
    assert response.status_code == 403
    assert "您没有权限办理该工单。" in html(response)
    assert not Assignment.objects.exists()


def test_merge_into_another_open_order(world) -> None:
    order, target = take(world), take(world)
    client = client_for(world.dispatcher)
    response = client.post(
        order_url(order, "merge"), {"merge-into": target.number, "merge-reason": "同一诉求"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.MERGED
    assert order.merged_into == target


def test_merge_into_unknown_number_is_refused(world) -> None:
    order = take(world)
    response = client_for(world.dispatcher).post(
        order_url(order, "merge"), {"merge-into": "999", "merge-reason": "同一诉求"}
    )
    assert response.status_code == 400
    assert "没有编号为 999 的工单。" in html(response)
    order.refresh_from_db()
    assert order.status == Status.RECEIVED


# ---- Handling --------------------------------------------------------------------------------


def test_handler_queue_lists_lead_and_co_orders(world) -> None:
    order = dispatched(world)
    assert order.number in html(client_for(world.street_handler).get(MINE))
    co_page = html(client_for(world.department_handler).get(MINE))
    assert order.number in co_page
    assert "协办" in co_page
    assert order.number not in html(client_for(world.outsider).get(MINE))


def test_handler_queue_highlights_due_times(world) -> None:
    order = dispatched(world)
    client = client_for(world.street_handler)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert "<mark>已超期</mark>" in html(client.get(MINE))
    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() + timedelta(hours=5))
    assert "<mark>24小时内到期</mark>" in html(client.get(MINE))
    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() + timedelta(days=5))
    assert "<mark>" not in html(client.get(MINE))


def test_lead_handler_accepts(world) -> None:
    order = dispatched(world)
    client = client_for(world.street_handler)
    assert 'id="action-accept"' in html(client.get(order_url(order)))
    assert client.post(order_url(order, "accept")).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS


def test_co_handler_cannot_accept(world) -> None:
    order = dispatched(world)
    client = client_for(world.department_handler)
    page = html(client.get(order_url(order)))
    assert 'id="action-accept"' not in page
    assert 'id="action-note"' in page
    assert client.post(order_url(order, "accept")).status_code == 403
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED


def test_accepting_twice_is_a_conflict(world) -> None:
    order = dispatched(world)
    services.order_accept(actor=world.street_handler, order=order)
    response = client_for(world.street_handler).post(order_url(order, "accept"))
    assert response.status_code == 409
    assert "不能“签收”" in html(response)


def test_send_back_needs_a_reason(world) -> None:
    order = dispatched(world)
    client = client_for(world.street_handler)
    response = client.post(order_url(order, "send_back"), {"send_back-reason": ""})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    response = client.post(order_url(order, "send_back"), {"send_back-reason": "不属于本街道"})
    assert response.status_code == 302
    assert response["Location"] == reverse("hotline_staff:index")  # no longer theirs
    order.refresh_from_db()
    assert order.status == Status.RETURNED
    assert order.lead is None


def test_co_handler_records_notes_and_contacts(world) -> None:
    order = dispatched(world)
    client = client_for(world.department_handler)
    client.post(order_url(order, "note"), {"note-text": "已现场查看"})
    client.post(order_url(order, "contact"), {"contact-text": "已电话联系诉求人"})
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds[-2:] == ["note", "contact"]


def test_outsider_cannot_record_notes(world) -> None:
    order = dispatched(world)
    response = client_for(world.outsider).post(order_url(order, "note"), {"note-text": "x"})
    assert response.status_code == 404
    assert not OrderEvent.objects.filter(order=order, kind="note").exists()


def test_empty_reply_keeps_the_page_and_nothing_changes(world) -> None:
    order = dispatched(world)
    services.order_accept(actor=world.street_handler, order=order)
    response = client_for(world.street_handler).post(order_url(order, "reply"), {"reply-reply": ""})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS


def test_unknown_action_is_not_found(world) -> None:
    order = dispatched(world)
    assert client_for(world.street_handler).post(order_url(order, "fly")).status_code == 404


# ---- Extensions ------------------------------------------------------------------------------


def _until(order: WorkOrder, days: int) -> str:
    return f"{timezone.localtime(order.due_at + timedelta(days=days)):%Y-%m-%dT%H:%M}"


def test_extension_requested_and_approved(world) -> None:
    order = dispatched(world)
    response = client_for(world.street_handler).post(
        order_url(order, "extension_request"),
        {"extension_request-until": _until(order, 3), "extension_request-reason": "需协调"},
    )
    assert response.status_code == 302
    assert order.number in html(client_for(world.dispatcher).get(EXTENSIONS))
    response = client_for(world.dispatcher).post(
        order_url(order, "extension_decide"), {"extension_decide-decision": "yes"}
    )
    assert response.status_code == 302
    assert ExtensionRequest.objects.get().approved is True
    assert WorkOrder.objects.get(pk=order.pk).due_at > order.due_at


def test_extension_earlier_than_the_due_time_is_refused(world) -> None:
    order = dispatched(world)
    response = client_for(world.street_handler).post(
        order_url(order, "extension_request"),
        {"extension_request-until": _until(order, -1), "extension_request-reason": "需协调"},
    )
    assert response.status_code == 400
    assert "延期后的时间应晚于当前办结时限" in html(response)
    assert "需协调" in html(response)
    assert not ExtensionRequest.objects.exists()


def test_co_handler_cannot_request_an_extension(world) -> None:
    order = dispatched(world)
    response = client_for(world.department_handler).post(
        order_url(order, "extension_request"),
        {"extension_request-until": _until(order, 3), "extension_request-reason": "需协调"},
    )
    assert response.status_code == 403
    assert not ExtensionRequest.objects.exists()


def test_handler_cannot_decide_an_extension(world) -> None:
    order = dispatched(world)
    services.extension_request(
        actor=world.street_handler,
        order=order,
        until=order.due_at + timedelta(days=2),
        reason="需协调",
    )
    response = client_for(world.street_handler).post(
        order_url(order, "extension_decide"), {"extension_decide-decision": "yes"}
    )
    assert response.status_code == 403
    assert ExtensionRequest.objects.get().approved is None


# ---- Call-back, close, reopen ----------------------------------------------------------------


def test_call_back_then_close(world) -> None:
    order = replied(world)
    client = client_for(world.operator)
    assert order.number in html(client.get(CALL_BACKS))
    response = client.post(
        order_url(order, "call_back"),
        {"call_back-resolved": "yes", "call_back-satisfaction": Satisfaction.SATISFIED},
    )
    assert response.status_code == 302
    assert CallBack.objects.get().satisfaction == Satisfaction.SATISFIED
    dispatcher = client_for(world.dispatcher)
    assert 'id="action-close"' in html(dispatcher.get(order_url(order)))
    assert dispatcher.post(order_url(order, "close")).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.CLOSED


def test_close_before_call_back_is_refused(world) -> None:
    order = replied(world)
    client = client_for(world.dispatcher)
    assert 'id="action-close"' not in html(client.get(order_url(order)))
    response = client.post(order_url(order, "close"))
    assert response.status_code == 409
    assert "请先完成回访，再办结工单。" in html(response)


def test_call_back_without_satisfaction_is_refused(world) -> None:
    order = replied(world)
    response = client_for(world.operator).post(
        order_url(order, "call_back"), {"call_back-resolved": "no", "call_back-note": "仍有摊位"}
    )
    assert response.status_code == 400
    assert "仍有摊位" in html(response)
    assert not CallBack.objects.exists()


def test_handler_cannot_call_back(world) -> None:
    order = replied(world)
    response = client_for(world.street_handler).post(
        order_url(order, "call_back"),
        {"call_back-resolved": "yes", "call_back-satisfaction": Satisfaction.SATISFIED},
    )
    assert response.status_code == 403
    assert not CallBack.objects.exists()


def test_dispatcher_reopens_with_a_reason(world) -> None:
    order = replied(world)
    client = client_for(world.dispatcher)
    assert client.post(order_url(order, "reopen"), {"reopen-reason": ""}).status_code == 400
    assert client.post(order_url(order, "reopen"), {"reopen-reason": "仍有摊位"}).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS
    assert order.reopened == 1


def test_operator_cannot_reopen(world) -> None:
    order = replied(world)
    response = client_for(world.operator).post(order_url(order, "reopen"), {"reopen-reason": "x"})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Status.REPLIED


# ---- Supervision -----------------------------------------------------------------------------


def test_supervisor_supervises_by_hand(world) -> None:
    order = dispatched(world)
    client = client_for(world.supervisor)
    response = client.post(
        order_url(order, "supervise"), {"supervise-note": "请加快办理", "supervise-hours": "48"}
    )
    assert response.status_code == 302
    assert "请加快办理" in html(client.get(SUPERVISIONS))
    response = client.post(order_url(order, "supervise"), {"supervise-note": "再次督办"})
    assert response.status_code == 409
    assert Supervision.objects.count() == 1


def test_dispatcher_cannot_supervise(world) -> None:
    order = dispatched(world)
    response = client_for(world.dispatcher).post(
        order_url(order, "supervise"), {"supervise-note": "请加快办理"}
    )
    assert response.status_code == 403
    assert not Supervision.objects.exists()


# ---- Workbench to-dos and navigation ---------------------------------------------------------


def test_todos_of_each_role(world, public_user) -> None:
    overdue = dispatched(world)
    WorkOrder.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=1))
    returned = dispatched(world)
    services.order_send_back(actor=world.street_handler, order=returned, reason="不属于本街道")
    called = replied(world)
    services.order_supervise(actor=world.supervisor, order=overdue, note="请加快")

    street = [t.title for t in hotline_todos(world.street_handler) or []]
    assert street == [f"工单 {overdue.number} 已超期（北京市东城区东华门街道办事处）"]
    dispatcher = [t.title for t in hotline_todos(world.dispatcher) or []]
    assert f"重新派单：工单 {returned.number} 被退单" in dispatcher
    assert f"回访工单 {called.number}" in dispatcher
    supervisor = [t.title for t in hotline_todos(world.supervisor) or []]
    assert supervisor == [f"督办工单 {overdue.number}：督办员督办"]
    assert hotline_todos(public_user) is None


def test_staff_navigation_for_hotline_roles(world) -> None:
    from gongkai.portal.navigation import nav_links

    def labels(user: User) -> list[str]:
        return [str(link.label) for link in nav_links(user=user, path="/", audience="staff")]

    assert "12345工单办理" in labels(world.street_handler)
    world.outsider.role_assignments.all().delete()
    assert "12345工单办理" not in labels(User.objects.get(pk=world.outsider.pk))
