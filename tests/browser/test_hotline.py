"""12345 work orders in a real browser: an operator takes a call by keyboard, the local-matter
rule suggests the street office, its handler sends the order back, the dispatcher re-routes it
to a department, whose handler replies; the call-back records 满意 and the public rates page
shows the department's month."""

import pytest
from django.utils import timezone

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.accounts.services import role_grant
from gongkai.hotline.models import Category, LimitUnit, Status, TimeLimitRule, Urgency, WorkOrder
from gongkai.orgs.models import Kind, Level, Organisation

from .test_shell import PASSWORD, assert_no_tofu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = "东华门大街12号门前占道经营，晚上噪音扰民。"


@pytest.fixture
def hotline() -> dict[str, Organisation]:
    """The city, 东城区 with 东华门街道, 东城区城管委, the hotline staff and a local category
    (a transactional test starts from an emptied database)."""
    for urgency in Urgency:
        TimeLimitRule.objects.get_or_create(
            urgency=urgency,
            complex=False,
            request_type="",
            defaults={"amount": 7, "unit": LimitUnit.CALENDAR_DAYS},
        )
    city = Organisation.objects.create(
        code="110000", name="北京市人民政府", short_name="市政府", level=Level.CITY,
        kind=Kind.GOVERNMENT,
    )  # fmt: skip
    centre = Organisation.objects.create(
        code="110000-ZWFW", name="北京市政务服务管理局", short_name="市政务服务局",
        level=Level.CITY, kind=Kind.DEPARTMENT, parent=city,
    )  # fmt: skip
    district = Organisation.objects.create(
        code="110101", name="北京市东城区人民政府", short_name="东城区", level=Level.DISTRICT,
        kind=Kind.GOVERNMENT, parent=city,
    )  # fmt: skip
    street = Organisation.objects.create(
        code="110101001", name="北京市东城区东华门街道办事处", short_name="东华门街道",
        level=Level.STREET, kind=Kind.GOVERNMENT, parent=district,
    )  # fmt: skip
    department = Organisation.objects.create(
        code="110101-CGW", name="北京市东城区城市管理委员会", short_name="东城区城管委",
        level=Level.DISTRICT, kind=Kind.DEPARTMENT, parent=district,
    )  # fmt: skip
    for username, organisation, role in (
        ("hotline_hw", centre, Role.OPERATOR),
        ("paidan", centre, Role.DISPATCHER),
        ("dhm_jb", street, Role.HANDLER),
        ("cgw_jb", department, Role.HANDLER),
    ):
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            kind=AccountKind.STAFF,
            organisation=organisation,
        )
        role_grant(actor=None, user=user, role=role)
    parent = Category.objects.create(code="01", name="市容环境")
    Category.objects.create(code="0101", name="占道经营", parent=parent, local=True)
    return {"street": street, "department": department}


@pytest.fixture
def login(browser, live_server):
    """Log a user in, in a browser context of their own (closed after the test)."""
    contexts = []

    def logged_in(username: str):
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名 / 手机号码 / 电子邮箱").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="登录").click()
        page.wait_for_url("**/workbench/")
        return page

    yield logged_in
    for context in contexts:
        context.close()


def act(page, form: str, button: str) -> None:
    """Press the button of an action form; the action must succeed."""
    with page.expect_navigation():
        page.locator(form).get_by_role("button", name=button).click()
    assert page.locator(".message--success").count() == 1, page.locator("main").inner_text()


def test_call_send_back_reroute_reply_call_back_and_rates(login, hotline) -> None:
    # The operator takes the call from the keyboard: the caller's name field has the focus.
    operator = login("hotline_hw")
    operator.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="12345工单办理"
    ).click()
    operator.wait_for_url("**/12345/gl/new/")
    assert_no_tofu(operator, "main")
    operator.keyboard.type("王先生")
    operator.keyboard.press("Tab")
    operator.keyboard.type("13900139000")
    operator.keyboard.press("Tab")
    operator.keyboard.type(CONTENT)
    operator.get_by_label("诉求类型").select_option(label="投诉")
    operator.get_by_label("诉求类别").select_option(label="占道经营")
    operator.get_by_label("区：", exact=True).select_option(label="北京市东城区人民政府")
    operator.get_by_label("街道（乡镇）").select_option(label="东城区 · 东华门街道")
    operator.get_by_label("详细地址").fill("东华门大街12号")
    with operator.expect_navigation():
        operator.keyboard.press("Enter")
    order = WorkOrder.objects.get()
    assert (
        f"已受理，工单编号 {order.number}。" in operator.locator(".message--success").inner_text()
    )
    assert operator.get_by_role("link", name="交派单员处理，受理下一个来电").is_visible()

    # The dispatcher sees the local-matter suggestion and follows it.
    dispatcher = login("paidan")
    dispatcher.goto("/12345/gl/dispatch/")
    assert "北京市东城区东华门街道办事处（属地事项）" in dispatcher.locator("main").inner_text()
    dispatcher.get_by_role("link", name=order.number).click()
    assert (
        "建议派往：北京市东城区东华门街道办事处（属地事项）"
        in dispatcher.locator("#action-dispatch").inner_text()
    )
    act(dispatcher, "#action-dispatch", "派单")

    # The street office says it is not theirs.
    street = login("dhm_jb")
    street.goto("/12345/gl/mine/")
    street.get_by_role("link", name=order.number).click()
    street.locator("#action-send_back").get_by_label("理由").fill("门前经营属区城管执法事项")
    act(street, "#action-send_back", "退单")

    # The dispatcher sees the reason and re-routes the order to the department.
    dispatcher.goto("/12345/gl/dispatch/")
    assert "退单理由：门前经营属区城管执法事项" in dispatcher.locator("main").inner_text()
    dispatcher.get_by_role("link", name=order.number).click()
    dispatcher.locator("#action-dispatch").get_by_label("主办单位").select_option(
        label="北京市东城区城市管理委员会"
    )
    act(dispatcher, "#action-dispatch", "派单")

    # The department accepts and replies.
    department = login("cgw_jb")
    department.goto("/12345/gl/mine/")
    department.get_by_role("link", name=order.number).click()
    act(department, "#action-accept", "签收")
    department.locator("#action-reply").get_by_label("答复内容").fill("已责令摊主退回店内经营。")
    act(department, "#action-reply", "答复")

    # The operator calls back: resolved, 满意.
    operator.goto("/12345/gl/callbacks/")
    operator.get_by_role("link", name=order.number).click()
    form = operator.locator("#action-call_back")
    form.get_by_label("已解决").check()
    form.get_by_label("满意", exact=True).check()
    act(operator, "#action-call_back", "回访")
    order.refresh_from_db()
    assert order.status == Status.REPLIED
    assert order.lead == hotline["department"]

    # The public rates page: the department answered in time, resolved, satisfied.
    operator.goto(f"/12345/rates/?month={timezone.localtime(order.received_at):%Y-%m}")
    row = operator.locator("tr", has=operator.get_by_role("rowheader", name=order.lead.name))
    assert row.first.locator("td").all_inner_texts() == [
        "1",
        "1",
        "100.0%",
        "100.0%",
        "100.0%",
        "100.00",
    ]
    assert_no_tofu(operator, "main")
