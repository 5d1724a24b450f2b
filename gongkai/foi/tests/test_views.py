"""The pages of disclosure on request: the public guide, form, receipt, query, one-time link
and applicant page; the staff queues, list, registration and application page with its
actions; letter downloads; the workbench to-dos (on SQLite and PostgreSQL)."""

from dataclasses import asdict
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.foi import clock, services
from gongkai.foi.models import (
    AppealResult,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ExtensionRequest,
    Letter,
    LetterKind,
    Outcome,
)
from gongkai.foi.permissions import SESSION_KEY
from gongkai.foi.todos import foi_todos
from gongkai.portal.navigation import nav_links
from gongkai.publishing.tests.workflow_support import make_staff

from .support import APPLICANT, ID_NUMBER, Staff, make_foi_staff, register

pytestmark = pytest.mark.django_db

INDEX = reverse("foi:index")
APPLY = reverse("foi:apply")
RECEIPT = reverse("foi:receipt")
QUERY = reverse("foi:query")
MINE = reverse("foi:mine")
QUEUES = reverse("foi:staff-queues")
LIST = reverse("foi:staff-list")
REGISTER = reverse("foi:staff-register")
MASKED_ID = "1101**********1233"


@pytest.fixture
def staff(settings, tmp_path) -> Staff:
    settings.MEDIA_ROOT = tmp_path
    return make_foi_staff()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """These pages are used on 16 September 2025 unless a test moves the day."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(services, "local_today", lambda: day)

    set_today(date(2025, 9, 16))
    return set_today


@pytest.fixture
def citizen() -> User:
    return User.objects.create_user(username="citizen", kind=AccountKind.PUBLIC)


@pytest.fixture
def stranger() -> User:
    return User.objects.create_user(username="stranger", kind=AccountKind.PUBLIC)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def apply_data(staff: Staff, **changes: str) -> dict:
    """What the public form posts for ``support.APPLICANT`` to 市发展改革委."""
    return {"organisation": staff.orgs["fgw"].pk, **asdict(APPLICANT), **changes}


def page_of(application: Application) -> str:
    return reverse("foi:application", args=[application.receipt_no])


def staff_page(application: Application) -> str:
    return reverse("foi:staff-application", args=[application.pk])


def act(client: Client, application: Application, action: str, files=None, **data):
    """Post ``action`` on the staff page; ``data`` are the form's fields without the prefix."""
    url = reverse("foi:staff-action", args=[application.pk, action])
    posted = {f"{action}-{name}": value for name, value in data.items()}
    if files:
        posted |= {f"{action}-{name}": value for name, value in files.items()}
    return client.post(url, posted)


def action_errors(response, action: str) -> dict[str, list[str]]:
    """The errors of the application page's form for ``action``."""
    forms = {name: form for name, _act, form in response.context["action_forms"]}
    return {name: list(messages) for name, messages in forms[action].errors.items()}


def follow(client: Client, application: Application) -> Client:
    """Let ``client``'s session follow ``application`` as its applicant."""
    session = client.session
    session[SESSION_KEY] = [application.pk]
    session.save()
    return client


def replied(staff: Staff, **changes: str) -> Application:
    application, _ = register(staff, **changes)
    return services.application_reply(
        actor=staff.handler,
        application=application,
        outcome=Outcome.PARTIAL,
        on=date(2025, 9, 5),
        note="部分涉及个人隐私",
    )


# ---- The public guide and the navigation -----------------------------------------------------


def test_the_guide_explains_how_to_apply(client: Client) -> None:
    text = html(client.get(INDEX))

    assert "20个工作日内予以答复" in text
    assert "第二十九条" in text
    assert "按量计收" in text
    assert APPLY in text
    assert QUERY in text


def test_the_navigation_shows_the_guide_to_all_and_the_staff_pages_to_handling_roles(
    staff: Staff, citizen: User
) -> None:
    reviewer = make_staff("reviewer", staff.orgs["fgw"], Role.REVIEWER)

    def labels(user) -> list[str]:
        return [str(link.label) for link in nav_links(user=user, path="/")]

    assert "依申请公开" in labels(citizen)
    assert "依申请公开办理" in labels(staff.handler)
    assert "依申请公开办理" in labels(staff.office)
    assert "依申请公开办理" not in labels(reviewer)


# ---- Applying ---------------------------------------------------------------------------------


def test_the_form_offers_the_annual_report_s_applicant_types(client: Client, staff) -> None:
    text = html(client.get(APPLY))

    assert '<optgroup label="法人或其他组织">' in text
    for label in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
        assert f">{label}</option>" in text
    assert "北京市发展和改革委员会" in text


def test_an_anonymous_application_gets_a_receipt_shown_once(client: Client, staff) -> None:
    upload = SimpleUploadedFile("身份证明.txt", "李明 身份证复印件".encode())

    response = client.post(APPLY, apply_data(staff, attachments=upload))

    assert response.status_code == 302
    assert response["Location"] == RECEIPT
    application = Application.objects.get()
    assert application.channel == clock.Channel.ONLINE
    assert application.account is None
    assert application.received_on == date(2025, 9, 16)
    assert ApplicationAttachment.objects.get().name == "身份证明.txt"
    receipt = html(client.get(RECEIPT))
    assert application.receipt_no in receipt
    assert "查询码只显示这一次" in receipt
    code = receipt.split("data-query-code>")[1].split("<")[0]
    assert services.application_by_code(receipt_no=application.receipt_no, code=code)
    assert "/ysqgk/link/" in receipt
    # The session that filed it follows it; the receipt is not shown again.
    assert client.get(page_of(application)).status_code == 200
    again = client.get(RECEIPT)
    assert again.status_code == 302
    assert again["Location"] == QUERY


def test_a_logged_in_applicant_finds_the_application_under_mine(
    client: Client, staff, citizen: User
) -> None:
    login(client, citizen).post(APPLY, apply_data(staff))

    application = Application.objects.get()
    assert application.account == citizen
    assert application.receipt_no in html(client.get(MINE))


def test_mine_needs_a_login(client: Client) -> None:
    response = client.get(MINE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "110101199003071234"}, "id_number", "居民身份证号码无效"),
        ({"delivery": "post", "postcode": ""}, "address", "请填写通信地址和邮政编码"),
        ({"postcode": "1000"}, "postcode", "邮政编码应为 6 位数字"),
        ({"information": ""}, "information", ""),
        ({"applicant_type": "commercial", "contact_person": ""}, "id_type", "统一社会信用代码"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_what_was_typed_is_kept(
    client: Client, staff, changes: dict, field: str, message: str
) -> None:
    response = client.post(APPLY, apply_data(staff, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    text = html(response)
    assert 'value="13800138000"' in text
    assert "liming@example.cn" in text
    assert not Application.objects.exists()


# ---- Following an application -----------------------------------------------------------------


def test_the_query_code_opens_the_application_for_this_session(client: Client, staff) -> None:
    application, code = register(staff)

    response = client.post(QUERY, {"receipt_no": application.receipt_no, "code": code.lower()})

    assert response.status_code == 302
    assert response["Location"] == page_of(application)
    assert client.get(page_of(application)).status_code == 200
    assert Client().get(page_of(application)).status_code == 404


def test_a_wrong_query_code_is_refused_and_repeated_failures_are_throttled(
    client: Client, staff
) -> None:
    application, code = register(staff)
    wrong = {"receipt_no": application.receipt_no, "code": "AAAAAAAA"}
    right = {"receipt_no": application.receipt_no, "code": code}

    refused = client.post(QUERY, wrong)
    assert refused.status_code == 400
    assert "申请编号或查询码不正确" in html(refused)
    for _attempt in range(9):
        client.post(QUERY, wrong)

    throttled = client.post(QUERY, right)
    assert throttled.status_code == 429
    assert "错误次数过多" in html(throttled)
    assert Client().post(QUERY, right).status_code == 429  # same address, new session
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert other_address.post(QUERY, right).status_code == 302
    cache.clear()
    assert client.post(QUERY, right).status_code == 302


def test_the_one_time_link_opens_the_application_once(client: Client, staff) -> None:
    application, _ = register(staff)
    url = reverse("foi:link", args=[services.access_link_create(application=application)])

    assert "只能使用一次" in html(client.get(url))  # opening the page uses nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == page_of(application)
    assert client.get(page_of(application)).status_code == 200

    used = Client().post(url)
    assert used.status_code == 404
    assert "已经使用过" in html(used)
    unknown = Client().post(reverse("foi:link", args=["nonsense"]))
    assert unknown.status_code == 404


def test_only_the_applicant_sees_the_application(
    client: Client, staff, citizen: User, stranger: User
) -> None:
    client.force_login(citizen)
    client.post(APPLY, apply_data(staff))
    application = Application.objects.get()

    assert client.get(page_of(application)).status_code == 200
    assert login(Client(), stranger).get(page_of(application)).status_code == 404
    assert Client().get(page_of(application)).status_code == 404
    assert login(Client(), staff.handler).get(page_of(application)).status_code == 404
    missing = reverse("foi:application", args=["YSQ20250009999"])
    assert client.get(missing).status_code == 404


def test_the_applicant_page_explains_every_day_of_the_clock(client: Client, staff) -> None:
    application, _ = register(staff)  # 1 September 2025, in person

    text = html(follow(client, application).get(page_of(application)))

    assert "2025年9月28日" in text  # the 20th working day, a 调休 Sunday
    assert "受理日，不计入" in text
    assert "周六，不计入" in text
    assert "调休上班日，计入" in text
    assert "第 11 个工作日" in text
    assert "暂定" not in text


def test_a_deadline_in_a_year_without_a_holiday_notice_is_provisional(
    client: Client, staff, today
) -> None:
    today(date(2026, 12, 21))
    application, _ = register(staff, on=date(2026, 12, 21))

    assert "暂定" in html(follow(client, application).get(page_of(application)))


def test_the_applicant_corrects_online_and_the_clock_restarts(client: Client, staff, today) -> None:
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 3),
        note="请写明所需信息的年度。",
    )
    follow(client, application)
    today(date(2025, 9, 15))
    waiting = html(client.get(page_of(application)))
    assert 'id="correct"' in waiting
    assert "请写明所需信息的年度。" in waiting
    url = reverse("foi:correct", args=[application.receipt_no])

    empty = client.post(url, {"information": "", "doc_no": ""})
    assert empty.status_code == 400
    assert "information" in empty.context["correction_form"].errors
    response = client.post(url, {"information": "2024年东城区老旧小区整治项目清单", "doc_no": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.information == "2024年东城区老旧小区整治项目清单"
    assert application.status == clock.Status.RUNNING
    text = html(client.get(page_of(application)))
    assert "收到补正后的申请，重新起算，当日不计入" in text
    assert "补正前的期间，不计入" in text
    assert 'id="correct"' not in text
    late = client.post(url, {"information": "再次补正", "doc_no": ""})
    assert late.status_code == 409
    assert "该申请当前不需要补正" in html(late)
    application.refresh_from_db()
    assert application.information == "2024年东城区老旧小区整治项目清单"


def test_another_user_may_not_correct(client: Client, staff, stranger: User) -> None:
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 3),
    )
    url = reverse("foi:correct", args=[application.receipt_no])

    assert login(client, stranger).post(url, {"information": "改"}).status_code == 404
    application.refresh_from_db()
    assert application.status == clock.Status.PAUSED_CORRECTION


# ---- Letters and attachments ------------------------------------------------------------------


def test_the_applicant_and_the_handlers_download_letters_others_do_not(
    client: Client, staff, stranger: User
) -> None:
    application = replied(staff)
    letter = services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.REPLY
    )
    pdf = reverse("foi:letter-file", args=[letter.pk, "pdf"])
    docx = reverse("foi:letter-file", args=[letter.pk, "docx"])

    follow(client, application)
    applicant_page = html(client.get(page_of(application)))
    assert pdf in applicant_page
    response = client.get(pdf)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(docx).status_code == 200
    assert client.get(reverse("foi:letter-file", args=[letter.pk, "exe"])).status_code == 404
    for user, status in (
        (staff.handler, 200),
        (staff.office, 200),
        (staff.outsider, 404),
        (staff.district_office, 404),
        (stranger, 404),
    ):
        assert login(Client(), user).get(pdf).status_code == status
    assert Client().get(pdf).status_code == 404


def test_a_consultation_letter_is_not_the_applicant_s(client: Client, staff) -> None:
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CONSULTATION_SENT,
        on=date(2025, 9, 3),
        party=clock.Party.THIRD_PARTY,
        note="北京某科技有限公司",
    )
    letter = services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.CONSULTATION
    )
    pdf = reverse("foi:letter-file", args=[letter.pk, "pdf"])

    assert follow(client, application).get(pdf).status_code == 404
    assert pdf not in html(client.get(page_of(application)))
    assert login(Client(), staff.handler).get(pdf).status_code == 200


def test_attachments_are_for_the_applicant_and_the_handlers(
    client: Client, staff, stranger: User
) -> None:
    client.post(APPLY, apply_data(staff, attachments=SimpleUploadedFile("证明.txt", b"proof")))
    attachment = ApplicationAttachment.objects.get()
    url = reverse("foi:attachment-file", args=[attachment.pk])

    assert b"".join(client.get(url).streaming_content) == b"proof"
    assert login(Client(), staff.handler).get(url).status_code == 200
    assert login(Client(), staff.outsider).get(url).status_code == 404
    assert login(Client(), stranger).get(url).status_code == 404


# ---- Who may open the staff pages -------------------------------------------------------------


@pytest.mark.parametrize("url", [QUEUES, LIST, REGISTER])
def test_staff_pages_need_a_handling_role(client: Client, staff, citizen: User, url: str) -> None:
    reviewer = make_staff("reviewer", staff.orgs["fgw"], Role.REVIEWER)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert login(Client(), citizen).get(url).status_code == 403
    assert login(Client(), reviewer).get(url).status_code == 403
    for user in (staff.handler, staff.office, staff.outsider):
        assert login(Client(), user).get(url).status_code == 200


def test_the_application_page_is_for_its_organisation_and_the_office_over_it(
    client: Client, staff
) -> None:
    application, _ = register(staff)
    url = staff_page(application)

    for user in (staff.handler, staff.office):
        assert login(Client(), user).get(url).status_code == 200
    for user in (staff.outsider, staff.district_office):
        assert login(Client(), user).get(url).status_code == 404
    reviewer = make_staff("reviewer", staff.orgs["fgw"], Role.REVIEWER)
    assert login(client, reviewer).get(url).status_code == 403


def test_identity_numbers_are_shown_in_full_to_the_handler_only(client: Client, staff) -> None:
    application, _ = register(staff)

    handler = html(login(Client(), staff.handler).get(staff_page(application)))
    office = html(login(Client(), staff.office).get(staff_page(application)))

    assert ID_NUMBER in handler
    assert "13800138000" in handler
    assert ID_NUMBER not in office
    assert MASKED_ID in office
    assert "13800138000" not in office
    assert "138****8000" in office


# ---- Queues, list, to-dos ---------------------------------------------------------------------


@pytest.fixture
def queued(staff, today) -> dict[str, Application]:
    """On 25 September 2025: one overdue, one due soon, one whose 补正 must be requested soon,
    one awaiting a correction."""
    today(date(2025, 9, 25))
    found = {
        "overdue": register(staff, on=date(2025, 8, 1), name="超期申请人")[0],
        "due_soon": register(staff, on=date(2025, 9, 1), name="到期申请人")[0],
        "correction": register(staff, on=date(2025, 9, 16), name="补正申请人")[0],
        "awaiting": register(staff, on=date(2025, 9, 22), name="等待申请人")[0],
    }
    services.application_record(
        actor=staff.handler,
        application=found["awaiting"],
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 23),
        days=20,
    )
    return found


def section(text: str, heading: str) -> str:
    return text.split(f">{heading}</h2>")[1].split("</section>")[0]


def test_the_queues_show_what_needs_doing(client: Client, staff, queued) -> None:
    text = html(login(client, staff.handler).get(QUEUES))

    assert queued["overdue"].receipt_no in section(text, "已超期")
    assert queued["due_soon"].receipt_no in section(text, "即将到期")
    assert queued["overdue"].receipt_no not in section(text, "即将到期")
    assert queued["correction"].receipt_no in section(text, "补正告知即将到期")
    assert "2025年9月25日" in section(text, "补正告知即将到期")
    assert queued["awaiting"].receipt_no in section(text, "等待申请人")
    assert "共 4 件" in section(text, "全部办理中")
    assert queued["overdue"].receipt_no not in html(login(Client(), staff.outsider).get(QUEUES))


def test_the_workbench_lists_the_deadlines(client: Client, staff, queued, citizen) -> None:
    todos = foi_todos(staff.handler)

    assert todos is not None
    titles = [todo.title for todo in todos]
    assert any(queued["overdue"].receipt_no in title for title in titles)
    assert any(queued["due_soon"].receipt_no in title for title in titles)
    assert any("一次性告知" in title for title in titles)
    assert [todo.overdue for todo in todos][:2] == [True, False]
    assert foi_todos(citizen) is None
    assert foi_todos(staff.outsider) == []
    workbench = html(login(client, staff.office).get(reverse("portal:workbench")))
    assert "依申请公开办理期限" in workbench
    assert queued["overdue"].receipt_no in workbench


def test_the_list_finds_applications_by_applicant_and_status(client: Client, staff) -> None:
    register(staff, name="王芳")
    register(staff, name="赵强")

    text = html(login(client, staff.handler).get(LIST, {"q": "王芳"}))
    assert "王芳" in text
    assert "赵强" not in text
    assert "共 2 件" in html(client.get(LIST, {"status": "running", "page": "x"}))
    assert "共 0 件" in html(client.get(LIST, {"status": "replied"}))


def test_information_given_to_several_applicants_is_proposed_for_proactive_disclosure(
    client: Client, staff
) -> None:
    replied(staff, doc_no="京发改〔2025〕1号")
    replied(staff, doc_no="京发改〔2025〕1号", name="王芳", id_number="11010519491231002X")

    handler = html(login(client, staff.handler).get(QUEUES))
    office = html(login(Client(), staff.office).get(QUEUES))

    assert "京发改〔2025〕1号" in section(handler, "可转为主动公开的信息")
    assert reverse("publishing:staff-create") in handler
    assert "京发改〔2025〕1号" in section(office, "可转为主动公开的信息")
    assert reverse("publishing:staff-create") not in office


# ---- Registering ------------------------------------------------------------------------------


def register_data(staff: Staff, **changes: str) -> dict:
    dates = {"submitted_on": "2025-09-10", "signed_on": "2025-09-12", "confirmed_on": ""}
    return apply_data(staff, channel=clock.Channel.REGISTERED_POST, **(dates | changes))


def test_staff_register_a_posted_application_received_when_signed_for(
    client: Client, staff
) -> None:
    response = login(client, staff.handler).post(REGISTER, register_data(staff), follow=True)

    application = Application.objects.get()
    assert application.received_on == date(2025, 9, 12)
    assert application.registered_by == staff.handler
    assert "查询码只显示这一次" in html(response)
    assert response.redirect_chain[-1][0] == staff_page(application)


def test_a_missing_receipt_date_is_refused_and_the_form_kept(client: Client, staff) -> None:
    response = login(client, staff.handler).post(REGISTER, register_data(staff, signed_on=""))

    assert response.status_code == 400
    assert "签收日期" in " ".join(response.context["form"].non_field_errors())
    assert 'value="2025-09-10"' in html(response)
    assert not Application.objects.exists()


def test_staff_register_only_for_their_own_organisations(client: Client, staff) -> None:
    response = login(client, staff.outsider).post(REGISTER, register_data(staff))

    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Application.objects.exists()


# ---- The actions of the application page ------------------------------------------------------


def test_the_handler_requests_a_correction_and_issues_its_letter(client: Client, staff) -> None:
    application, _ = register(staff)
    login(client, staff.handler)
    assert 'id="action-correction_request"' in html(client.get(staff_page(application)))

    response = act(
        client, application, "correction_request", on="2025-09-03", days="10", note="写明年度"
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == clock.Status.PAUSED_CORRECTION
    text = html(client.get(staff_page(application)))
    assert 'id="action-correction_request"' not in text  # asked for once only
    assert 'id="action-correction_received"' in text
    event = ApplicationEvent.objects.get()

    assert act(client, application, "letter", event=f"correction-{event.pk}").status_code == 302
    letter = Letter.objects.get()
    assert (letter.kind, letter.event) == (LetterKind.CORRECTION, event)
    delivered = act(client, application, "deliver", letter=letter.pk, way="email", on="2025-09-03")
    assert delivered.status_code == 302
    letter.refresh_from_db()
    assert letter.delivered_on == date(2025, 9, 3)


def test_a_repeated_or_impossible_act_is_refused_and_nothing_changes(client: Client, staff) -> None:
    application, _ = register(staff)
    login(client, staff.handler)
    act(client, application, "correction_request", on="2025-09-03", days="10", note="写明年度")

    again = act(client, application, "correction_request", on="2025-09-04", days="5", note="再")
    assert again.status_code == 409
    assert "不能记录“告知补正”" in html(again)
    future = act(client, application, "correction_received", on="2025-09-30", note="")
    assert future.status_code == 400
    assert "晚于今天" in html(future)
    bad = act(client, application, "withdraw", on="not a date")
    assert bad.status_code == 400
    assert ApplicationEvent.objects.count() == 1


def test_others_may_not_act(client: Client, staff) -> None:
    application, _ = register(staff)

    for user in (staff.outsider, staff.district_office):
        response = act(login(Client(), user), application, "withdraw", on="2025-09-03", note="")
        assert response.status_code == 404
    assert (
        act(login(client, staff.office), application, "withdraw", on="2025-09-03").status_code
        == 302
    )
    application.refresh_from_db()
    assert application.outcome == Outcome.WITHDRAWN


def test_an_extension_is_asked_by_the_handler_and_decided_by_the_office(
    client: Client, staff
) -> None:
    application, _ = register(staff)
    handler = login(client, staff.handler)
    too_long = act(handler, application, "extension_request", days="25", reason="档案多")
    assert too_long.status_code == 400
    assert not ExtensionRequest.objects.exists()
    assert (
        act(handler, application, "extension_request", days="10", reason="档案多").status_code
        == 302
    )
    assert 'id="action-extension_decide"' not in html(handler.get(staff_page(application)))

    denied = act(handler, application, "extension_decide", decision="approve", on="2025-09-16")
    assert denied.status_code == 403
    assert not ApplicationEvent.objects.exists()

    office = login(Client(), staff.office)
    assert 'id="action-extension_decide"' in html(office.get(staff_page(application)))
    approved = act(office, application, "extension_decide", decision="approve", on="2025-09-16")
    assert approved.status_code == 302
    application.refresh_from_db()
    assert application.due_on == date(2025, 10, 17)  # 9-28 plus 10 working days over 国庆
    assert ApplicationEvent.objects.get().kind == clock.EventKind.EXTENSION_GRANTED


def test_consultations_are_sent_and_answered(client: Client, staff) -> None:
    application, _ = register(staff)
    login(client, staff.handler)

    sent = act(
        client,
        application,
        "consultation_send",
        on="2025-09-02",
        party="third_party",
        note="某公司",
    )
    assert sent.status_code == 302
    assert 'id="action-consultation_answer"' in html(client.get(staff_page(application)))
    answered = act(client, application, "consultation_answer", key="C1", on="2025-09-09", note="")
    assert answered.status_code == 302
    application.refresh_from_db()
    assert application.due_on == date(2025, 10, 13)  # six working days later, over 国庆


def test_a_fee_is_notified_with_its_letter_and_paid(client: Client, staff) -> None:
    application, _ = register(staff)
    login(client, staff.handler)

    no_pages = act(client, application, "fee_notify", method="per_page", pages="", on="2025-09-03")
    assert no_pages.status_code == 400
    assert "页数" in " ".join(action_errors(no_pages, "fee_notify")["pages"])
    notified = act(
        client, application, "fee_notify", method="per_page", pages="150", on="2025-09-03"
    )
    assert notified.status_code == 302
    assert Letter.objects.get().kind == LetterKind.FEE
    assert act(client, application, "fee_paid", on="2025-09-10").status_code == 302
    application.refresh_from_db()
    assert application.status == clock.Status.RUNNING


def test_a_partial_reply_with_masked_enclosures_reaches_the_applicant(
    client: Client, staff
) -> None:
    application, _ = register(staff)
    handler = login(client, staff.handler)
    referral = act(handler, application, "reply", outcome="not_this_agency", on="2025-09-05")
    assert referral.status_code == 400
    assert "referred_to" in action_errors(referral, "reply")

    reply = act(
        handler, application, "reply", outcome="partial", on="2025-09-05", note="部分涉及隐私"
    )
    assert reply.status_code == 302
    event = ApplicationEvent.objects.get(kind=clock.EventKind.REPLIED)
    names = SimpleUploadedFile("名单.txt", "张三 110101199003071233".encode())
    issued = act(
        handler, application, "letter", files={"enclosures": names}, event=f"reply-{event.pk}"
    )
    assert issued.status_code == 302
    enclosure = Letter.objects.get().enclosures.get()

    applicant = follow(Client(), application)
    text = html(applicant.get(page_of(application)))
    assert "部分公开" in text
    url = reverse("foi:enclosure-file", args=[enclosure.pk])
    assert url in text
    content = b"".join(applicant.get(url).streaming_content).decode()
    assert "110101199003071233" not in content
    assert login(Client(), staff.outsider).get(url).status_code == 404


def test_appeals_are_recorded_and_decided(client: Client, staff, today) -> None:
    application = replied(staff)
    today(date(2025, 11, 21))
    login(client, staff.handler)

    filed = act(
        client,
        application,
        "appeal",
        kind="reconsideration",
        filed_on="2025-10-09",
        case_no="京政复〔2025〕101号",
    )
    assert filed.status_code == 302
    appeal = application.appeals.get()
    early = act(
        client,
        application,
        "appeal_decide",
        appeal=appeal.pk,
        result="upheld",
        decided_on="2025-10-01",
    )
    assert early.status_code == 400
    assert "审结日期不能早于提起日期" in html(early)
    decided = act(
        client,
        application,
        "appeal_decide",
        appeal=appeal.pk,
        result="upheld",
        decided_on="2025-11-20",
    )
    assert decided.status_code == 302
    appeal.refresh_from_db()
    assert appeal.result == AppealResult.UPHELD


def test_an_unknown_action_is_not_found(client: Client, staff) -> None:
    application, _ = register(staff)

    assert act(login(client, staff.handler), application, "nonsense").status_code == 404
