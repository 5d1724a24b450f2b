"""The public pages of 12345: the web form and its receipt, a public user's own orders and the
rating of the reply, the message board and the rates page with its XLSX export (on SQLite and
PostgreSQL)."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.accounts.models import AccountKind, User
from gongkai.hotline import selectors, services, views
from gongkai.hotline.models import Category, Channel, RequestType, Satisfaction, Status, WorkOrder
from gongkai.orgs.models import Organisation
from gongkai.portal.navigation import nav_links

from .conftest import intake

pytestmark = pytest.mark.django_db

NEW = "/12345/new/"
RECEIPT = "/12345/receipt/"
MINE = "/12345/mine/"
BOARD = "/12345/messages/"
RATES = "/12345/rates/"
RATES_XLSX = "/12345/rates/xlsx/"
BEIJING = ZoneInfo("Asia/Shanghai")
OCTOBER = datetime(2026, 10, 15, 10, 0, tzinfo=BEIJING)
CONTENT = "东华门大街12号门前占道经营，晚上噪音扰民，联系我13900139000。"


@pytest.fixture
def citizen() -> User:
    return User.objects.create_user(username="citizen", kind=AccountKind.PUBLIC)


@pytest.fixture
def stranger() -> User:
    return User.objects.create_user(username="stranger", kind=AccountKind.PUBLIC)


@pytest.fixture
def category() -> Category:
    parent = Category.objects.create(code="01", name="城市管理")
    return Category.objects.create(code="0101", name="占道经营", parent=parent)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def web_order(world, *, account=None, received_at=None, **changes) -> WorkOrder:
    values = {"content": CONTENT, "publish_consent": True, **changes}
    return services.order_create(
        actor=account,
        channel=Channel.WEB,
        intake=intake(world, **values),
        account=account,
        received_at=received_at,
    )


def replied(world, order: WorkOrder, *, street: bool = False, reply: str = "") -> WorkOrder:
    """Dispatch to the department (or the street), accept and reply."""
    lead, handler = (
        (world.street, world.street_handler)
        if street
        else (world.department, world.department_handler)
    )
    services.order_dispatch(actor=world.dispatcher, order=order, lead=lead)
    services.order_accept(actor=handler, order=order)
    text = reply or "已联系城管部门清理占道摊位，请拨打13800138000了解进展。"
    return services.order_reply(actor=handler, order=order, reply=text)


def form_data(**changes) -> dict[str, str]:
    return {
        "title": "占道经营扰民",
        "content": CONTENT,
        "request_type": RequestType.COMPLAINT,
        "caller_name": "王先生",
        "caller_phone": "13900139000",
        "publish_consent": "on",
        **changes,
    }


# ---- The web form ---------------------------------------------------------------------------


def test_an_anonymous_visitor_files_an_order_and_sees_its_number_at_once(client, world, category):
    assert client.get(NEW).status_code == 200
    data = form_data(
        category=str(category.pk), district=str(world.district.pk), street=str(world.street.pk)
    )
    response = client.post(NEW, data)
    assert response.status_code == 302
    assert response["Location"] == RECEIPT
    order = WorkOrder.objects.get()
    assert (order.channel, order.account, order.publish_consent) == (Channel.WEB, None, True)
    assert (order.category, order.street, order.caller_phone) == (
        category,
        world.street,
        "13900139000",
    )
    page = html(client.get(RECEIPT))
    assert order.number in page


def test_a_logged_in_citizen_needs_no_other_contact(client, world, citizen):
    login(client, citizen)
    response = client.post(NEW, form_data(caller_phone="", publish_consent=""))
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert (order.account, order.publish_consent) == (citizen, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"caller_phone": ""}, "请留下联系电话或电子邮箱"),
        ({"content": ""}, "请填写诉求内容"),
        ({"caller_email": "not-an-address"}, "请填写有效的电子邮箱地址"),
        ({"request_type": "whatever"}, "whatever"),
    ],
)
def test_bad_input_is_refused_with_a_message_keeping_what_was_typed(
    client, world, changes, message
):
    response = client.post(NEW, form_data(**changes))
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert "占道经营扰民" in page  # the title as typed
    assert not WorkOrder.objects.exists()


def test_a_street_outside_the_district_is_refused(client, world):
    other = Organisation.objects.create(
        code="110102", name="北京市西城区人民政府", level="district", kind="government"
    )
    data = form_data(district=str(other.pk), street=str(world.street.pk))
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "不属于" in html(response)
    assert not WorkOrder.objects.exists()


def test_the_receipt_without_an_order_leads_to_the_form(client):
    response = client.get(RECEIPT)
    assert response.status_code == 302
    assert response["Location"] == NEW


# ---- Own orders and the rating ----------------------------------------------------------------


def test_mine_needs_a_login(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_citizen_sees_only_their_own_orders_with_the_reply(client, world, citizen, stranger):
    own = replied(world, web_order(world, account=citizen, title="我的占道投诉"))
    web_order(world, account=stranger, title="别人的噪音投诉")
    page = html(login(client, citizen).get(MINE))
    assert "我的占道投诉" in page
    assert "别人的噪音投诉" not in page
    assert own.number in page
    assert own.reply in page
    assert reverse("hotline:rate", args=[own.number]) in page


def test_the_rating_form_shows_only_once_replied(client, world, citizen):
    order = web_order(world, account=citizen)
    page = html(login(client, citizen).get(MINE))
    assert reverse("hotline:rate", args=[order.number]) not in page


def test_a_citizen_rates_the_reply_to_their_order(client, world, citizen):
    order = replied(world, web_order(world, account=citizen))
    url = reverse("hotline:rate", args=[order.number])
    response = login(client, citizen).post(url, {"rating": Satisfaction.BASIC})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.citizen_rating == Satisfaction.BASIC
    assert order.citizen_rated_at is not None
    assert not order.callbacks.exists()  # the centre's call-back is separate
    assert "基本满意" in html(client.get(MINE))


def test_a_rating_of_an_earlier_reply_is_not_shown_after_a_new_one(client, world, citizen):
    order = replied(world, web_order(world, account=citizen, title="重办后再答复"))
    services.order_rate(actor=citizen, order=order, rating=Satisfaction.DISSATISFIED)
    services.order_call_back(
        actor=world.operator, order=order, resolved=False, satisfaction=Satisfaction.DISSATISFIED
    )
    services.order_reopen(actor=world.dispatcher, order=order, reason="未解决")
    services.order_reply(actor=world.department_handler, order=order, reply="已彻底清理。")
    order.refresh_from_db()
    assert order.citizen_rating_label == ""
    assert "不满意" not in html(client.get(reverse("hotline:message", args=[order.number])))
    assert "您对答复的评价" in html(login(client, citizen).get(MINE))


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_nobody_else_rates_a_citizens_order(client, world, citizen, stranger, who):
    order = replied(world, web_order(world, account=citizen))
    if who == "stranger":
        login(client, stranger)
    response = client.post(reverse("hotline:rate", args=[order.number]), {"rating": "satisfied"})
    assert response.status_code == (404 if who == "stranger" else 302)
    order.refresh_from_db()
    assert order.citizen_rating == ""


def test_a_rating_before_the_reply_is_refused(client, world, citizen):
    order = web_order(world, account=citizen)
    url = reverse("hotline:rate", args=[order.number])
    response = login(client, citizen).post(url, {"rating": "satisfied"})
    assert response.status_code == 409
    assert "不能“评价”" in html(response)
    order.refresh_from_db()
    assert order.citizen_rating == ""


def test_a_bad_rating_is_refused(client, world, citizen):
    order = replied(world, web_order(world, account=citizen))
    url = reverse("hotline:rate", args=[order.number])
    response = login(client, citizen).post(url, {"rating": "great"})
    assert response.status_code == 400
    assert "请选择满意、基本满意或不满意" in html(response)
    order.refresh_from_db()
    assert order.citizen_rating == ""


# ---- The message board ------------------------------------------------------------------------


def test_the_board_shows_consented_replied_messages_masked(client, world, citizen, category):
    order = replied(world, web_order(world, account=citizen, category=category, title=""))
    services.order_rate(actor=citizen, order=order, rating=Satisfaction.BASIC)
    page = html(client.get(BOARD))
    url = reverse("hotline:message", args=[order.number])
    assert url in page
    assert world.department.name in page
    assert "基本满意" in page
    detail = html(client.get(url))
    assert "139****9000" in detail
    assert "138****8000" in detail
    for personal in ("13900139000", "13800138000", "王先生", "citizen"):
        assert personal not in page
        assert personal not in detail


@pytest.mark.parametrize("kind", ["no consent", "not replied"])
def test_the_board_leaves_out_what_is_not_published(client, world, kind):
    order = web_order(world, publish_consent=kind != "no consent", title="不应公开的留言")
    if kind == "no consent":
        replied(world, order)
    assert "不应公开的留言" not in html(client.get(BOARD))
    assert client.get(reverse("hotline:message", args=[order.number])).status_code == 404


def test_a_reopened_message_leaves_the_board(client, world):
    order = replied(world, web_order(world, title="重办的留言"))
    services.order_call_back(
        actor=world.operator, order=order, resolved=False, satisfaction=Satisfaction.DISSATISFIED
    )
    services.order_reopen(actor=world.dispatcher, order=order, reason="未解决")
    assert "重办的留言" not in html(client.get(BOARD))


def test_the_board_filters_by_category_organisation_and_month(client, world, category):
    first = replied(world, web_order(world, title="类别留言", category=category))
    second = replied(world, web_order(world, title="街道留言"), street=True)
    this_month = f"{timezone.localdate():%Y-%m}"

    def titles(**params) -> list[str]:
        page = html(client.get(BOARD, params))
        return [o.title for o in (first, second) if o.title in page]

    assert titles() == ["类别留言", "街道留言"]
    assert titles(category=category.parent_id) == ["类别留言"]
    assert titles(organisation=world.street.pk) == ["街道留言"]
    assert titles(month=this_month) == ["类别留言", "街道留言"]
    assert titles(month="2001-01") == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "月份格式应为"),
        ({"organisation": "999999"}, "没有这个承办单位"),
        ({"category": "abc"}, "没有这个诉求类别"),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, world, params, message):
    replied(world, web_order(world))
    response = client.get(BOARD, params)
    assert response.status_code == 400
    assert message in html(response)


def test_the_board_is_paginated(client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    replied(world, web_order(world, title="较早的留言"))
    replied(world, web_order(world, title="较晚的留言"))
    first, second = html(client.get(BOARD)), html(client.get(BOARD, {"page": 2}))
    assert "较晚的留言" in first
    assert "较早的留言" not in first
    assert "较早的留言" in second


def test_the_board_is_in_the_navigation():
    links = nav_links(user=AnonymousUser(), path="/")
    assert BOARD in [link.url for link in links]


# ---- The rates page ---------------------------------------------------------------------------


@pytest.fixture
def october(world):
    """In October 2026: the department resolves one order to satisfaction and one not; the
    street one order, basically satisfied."""
    verdicts = [
        (False, True, Satisfaction.SATISFIED),
        (False, False, Satisfaction.DISSATISFIED),
        (True, True, Satisfaction.BASIC),
    ]
    for street, resolved, satisfaction in verdicts:
        order = replied(world, web_order(world, received_at=OCTOBER), street=street)
        services.order_call_back(
            actor=world.operator, order=order, resolved=resolved, satisfaction=satisfaction
        )
    return selectors.monthly_rates(date(2026, 10, 1))


def test_the_rates_page_ranks_departments_and_streets_apart(client, world, october):
    response = client.get(RATES, {"month": "2026-10"})
    assert response.status_code == 200
    page = html(response)
    assert "2026年10月部门排名" in page
    assert "2026年10月街道（乡镇）排名" in page
    assert world.department.name in page
    assert world.street.name in page
    assert "50.0%" in page  # the department's resolution rate
    assert "近六个月综合得分" in page
    assert "2026-05" in page
    assert "响应率占 33.3%" in page
    for personal in ("13900139000", "王先生"):
        assert personal not in page


def test_a_bad_month_is_refused_with_a_message(client):
    for url in (RATES, RATES_XLSX):
        response = client.get(url, {"month": "october"})
        assert response.status_code == 400
        assert "月份格式应为" in html(response)


def test_the_xlsx_has_the_same_numbers(client, world, october):
    response = client.get(RATES_XLSX, {"month": "2026-10"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    got = {row[2]: row[1:] for row in rows}
    assert len(got) == len(october) == 2
    for rates in october:
        rank, _name, orders, response_rate, resolution, satisfaction, score = got[
            rates.organisation.name
        ]
        assert rank == 1
        assert (orders, response_rate, resolution, satisfaction) == (
            rates.orders,
            rates.response_rate,
            rates.resolution_rate,
            rates.satisfaction_rate,
        )
        assert score == pytest.approx(rates.score)


def test_a_month_without_orders_says_so(client):
    response = client.get(RATES, {"month": "2001-01"})
    assert response.status_code == 200
    assert "该月没有可统计的工单" in html(response)


def test_status_labels_are_shown_to_the_citizen(client, world, citizen):
    web_order(world, account=citizen)
    assert str(Status.RECEIVED.label) in html(login(client, citizen).get(MINE))
