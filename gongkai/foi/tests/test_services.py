"""Intake, the acts on the clock, replies and appeals (on SQLite and PostgreSQL)."""

from dataclasses import replace
from datetime import date

import pytest

from gongkai.core.models import AuditEvent
from gongkai.foi import clock, services
from gongkai.foi.errors import FoiError, FoiErrorCode
from gongkai.foi.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    IdType,
    Outcome,
)

from .support import APPLICANT, CREDIT_CODE, make_foi_staff, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_foi_staff()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The acts of these tests happen in September 2025 unless a test moves the day."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(services, "local_today", lambda: day)

    set_today(date(2025, 9, 16))
    return set_today


def test_an_online_application_is_received_today_with_a_receipt_number_and_code(staff):
    application, code = services.application_submit(
        account=None, organisation=staff.orgs["fgw"], applicant=APPLICANT
    )
    assert application.receipt_no == f"YSQ{application.received_on.year}{application.pk:07d}"
    assert application.channel == clock.Channel.ONLINE
    assert application.received_on == application.submitted_on
    assert len(code) == services.QUERY_CODE_LENGTH
    assert code not in application.query_code_hash
    assert (
        services.application_by_code(receipt_no=application.receipt_no, code=code.lower())
        == application
    )
    with pytest.raises(FoiError) as wrong:
        services.application_by_code(receipt_no=application.receipt_no, code="AAAAAAAA")
    assert wrong.value.code == FoiErrorCode.BAD_QUERY_CODE
    with pytest.raises(FoiError):
        services.application_by_code(receipt_no="YSQ20990000001", code=code)
    assert AuditEvent.objects.filter(action="foi.application.create").count() == 1


def test_receipt_dates_follow_art_31_by_channel(staff):
    by_post, _ = register(staff, channel=clock.Channel.REGISTERED_POST)
    assert by_post.received_on == date(2025, 9, 1)
    assert by_post.due_on == date(2025, 9, 28)  # the 20th working day: a 调休 Sunday
    with pytest.raises(clock.ClockError) as missing:
        services.application_register(
            actor=staff.handler,
            organisation=staff.orgs["fgw"],
            applicant=APPLICANT,
            channel=clock.Channel.REGISTERED_POST,
            submitted_on=date(2025, 9, 1),
        )
    assert "签收日期" in missing.value.message


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"id_number": "110101199003071234"}, FoiErrorCode.BAD_ID_NUMBER),
        ({"id_type": IdType.CREDIT_CODE, "id_number": CREDIT_CODE}, FoiErrorCode.ID_TYPE_MISMATCH),
        (
            {"applicant_type": ApplicantType.COMMERCIAL, "contact_person": "王芳"},
            FoiErrorCode.ID_TYPE_MISMATCH,
        ),
        (
            {
                "applicant_type": ApplicantType.COMMERCIAL,
                "id_type": IdType.CREDIT_CODE,
                "id_number": "91110000802100433C",
                "contact_person": "王芳",
            },
            FoiErrorCode.BAD_CREDIT_CODE,
        ),
        (
            {
                "applicant_type": ApplicantType.RESEARCH,
                "id_type": IdType.CREDIT_CODE,
                "id_number": CREDIT_CODE,
            },
            FoiErrorCode.CONTACT_REQUIRED,
        ),
        ({"delivery": "post", "postcode": ""}, FoiErrorCode.ADDRESS_REQUIRED),
        ({"email": ""}, FoiErrorCode.EMAIL_REQUIRED),
    ],
)
def test_bad_applicant_details_are_refused_in_chinese_and_nothing_is_saved(staff, changes, code):
    with pytest.raises(FoiError) as refused:
        register(staff, **changes)
    assert refused.value.code == code
    assert not Application.objects.exists()


def test_an_organisation_applies_with_its_credit_code(staff):
    application, _ = register(
        staff,
        applicant_type=ApplicantType.LEGAL_SERVICES,
        id_type=IdType.CREDIT_CODE,
        id_number=CREDIT_CODE,
        contact_person="王芳",
        name="北京某律师事务所",
    )
    assert application.applicant_type == ApplicantType.LEGAL_SERVICES


def test_correction_stops_the_clock_and_restarts_it_in_full(staff):
    application, _ = register(staff)
    assert application.correction_request_by == date(2025, 9, 10)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 3),
        days=10,
    )
    application.refresh_from_db()
    assert application.status == clock.Status.PAUSED_CORRECTION
    assert application.applicant_due_on == date(2025, 9, 17)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_RECEIVED,
        on=date(2025, 9, 15),
    )
    application.refresh_from_db()
    assert application.status == clock.Status.RUNNING
    assert application.due_on == date(2025, 10, 17)  # 20 working days from 9-15, over 国庆
    with pytest.raises(clock.ClockError):  # 补正 is asked for once only
        services.application_record(
            actor=staff.handler,
            application=application,
            kind=clock.EventKind.CORRECTION_REQUESTED,
            on=date(2025, 9, 16),
        )
    assert application.events.count() == 2


def test_a_missed_correction_period_closes_the_application_as_o1(staff, today):
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 2),
        days=5,
    )
    today(date(2025, 9, 20))
    services.refresh_clock(application)
    application.refresh_from_db()
    assert application.status == clock.Status.CLOSED_NO_CORRECTION
    assert application.outcome == Outcome.O1
    assert application.closed_on == date(2025, 9, 10)
    with pytest.raises(FoiError) as closed:
        services.application_reply(
            actor=staff.handler,
            application=application,
            outcome=Outcome.GRANTED,
            on=date(2025, 9, 22),
        )
    assert closed.value.code == FoiErrorCode.CLOSED


def test_an_extension_needs_the_openness_office_and_adds_its_days(staff, today):
    today(date(2025, 9, 22))
    application, _ = register(staff)
    request = services.extension_request(
        actor=staff.handler, application=application, days=20, reason="需要调取多个年度的档案"
    )
    with pytest.raises(FoiError) as pending:
        services.extension_request(
            actor=staff.handler, application=application, days=5, reason="再延"
        )
    assert pending.value.code == FoiErrorCode.EXTENSION_PENDING
    with pytest.raises(FoiError) as handler:
        services.extension_decide(
            actor=staff.handler, request=request, approve=True, on=date(2025, 9, 20)
        )
    assert handler.value.code == FoiErrorCode.PERMISSION_DENIED
    with pytest.raises(FoiError) as district:
        services.extension_decide(
            actor=staff.district_office, request=request, approve=True, on=date(2025, 9, 20)
        )
    assert district.value.code == FoiErrorCode.PERMISSION_DENIED
    services.extension_decide(
        actor=staff.office, request=request, approve=True, on=date(2025, 9, 22)
    )
    application.refresh_from_db()
    assert application.due_on == date(2025, 10, 31)  # 9-28 plus 20 working days
    with pytest.raises(FoiError) as again:
        services.extension_decide(
            actor=staff.office, request=request, approve=False, on=date(2025, 9, 22)
        )
    assert again.value.code == FoiErrorCode.EXTENSION_DECIDED


def test_a_refused_extension_changes_nothing(staff, today):
    today(date(2025, 9, 22))
    application, _ = register(staff)
    request = services.extension_request(
        actor=staff.handler, application=application, days=10, reason="档案多"
    )
    services.extension_decide(
        actor=staff.office, request=request, approve=False, on=date(2025, 9, 22), note="可按期办结"
    )
    application.refresh_from_db()
    assert application.due_on == date(2025, 9, 28)
    assert not application.events.exists()


def test_the_reply_closes_the_application_with_its_outcome(staff):
    application, _ = register(staff)
    with pytest.raises(FoiError) as referral:
        services.application_reply(
            actor=staff.handler,
            application=application,
            outcome=Outcome.NOT_THIS_AGENCY,
            on=date(2025, 9, 5),
        )
    assert referral.value.code == FoiErrorCode.REFERRAL_REQUIRED
    services.application_reply(
        actor=staff.handler,
        application=application,
        outcome=Outcome.PARTIAL,
        on=date(2025, 9, 5),
        note="部分涉及个人隐私",
    )
    application.refresh_from_db()
    assert (application.status, application.outcome, application.closed_on) == (
        clock.Status.REPLIED,
        Outcome.PARTIAL,
        date(2025, 9, 5),
    )
    with pytest.raises(FoiError):
        services.application_withdraw(
            actor=staff.handler, application=application, on=date(2025, 9, 6)
        )


def test_a_withdrawn_application_is_closed(staff):
    application, _ = register(staff)
    services.application_withdraw(actor=staff.handler, application=application, on=date(2025, 9, 4))
    application.refresh_from_db()
    assert (application.status, application.outcome) == (clock.Status.WITHDRAWN, Outcome.WITHDRAWN)


@pytest.mark.parametrize("who", ["handler", "office"])
def test_the_organisation_s_handler_and_the_office_may_act(staff, who):
    application, _ = register(staff)
    services.application_record(
        actor=getattr(staff, who),
        application=application,
        kind=clock.EventKind.CONSULTATION_SENT,
        on=date(2025, 9, 2),
        party=clock.Party.THIRD_PARTY,
    )
    assert application.events.get().key == "C1"


@pytest.mark.parametrize("who", ["outsider", "district_office"])
def test_others_may_not_act(staff, who):
    application, _ = register(staff)
    for act in (
        lambda: services.application_record(
            actor=getattr(staff, who),
            application=application,
            kind=clock.EventKind.CORRECTION_REQUESTED,
            on=date(2025, 9, 2),
        ),
        lambda: services.application_reply(
            actor=getattr(staff, who),
            application=application,
            outcome=Outcome.GRANTED,
            on=date(2025, 9, 2),
        ),
        lambda: services.appeal_record(
            actor=getattr(staff, who),
            application=application,
            kind=AppealKind.RECONSIDERATION,
            filed_on=date(2025, 10, 1),
        ),
    ):
        with pytest.raises(FoiError) as denied:
            act()
        assert denied.value.code == FoiErrorCode.PERMISSION_DENIED
    with pytest.raises(FoiError):
        services.application_register(
            actor=getattr(staff, who),
            organisation=staff.orgs["fgw"],
            applicant=APPLICANT,
            channel=clock.Channel.IN_PERSON,
            submitted_on=date(2025, 9, 1),
        )


def test_appeals_are_recorded_and_decided(staff, today):
    today(date(2025, 11, 21))
    application, _ = register(staff)
    services.application_reply(
        actor=staff.handler, application=application, outcome=Outcome.D6, on=date(2025, 9, 5)
    )
    appeal = services.appeal_record(
        actor=staff.handler,
        application=application,
        kind=AppealKind.RECONSIDERATION,
        filed_on=date(2025, 10, 9),
        case_no="京政复〔2025〕101号",
    )
    with pytest.raises(FoiError) as early:
        services.appeal_decide(
            actor=staff.handler,
            appeal=appeal,
            result=AppealResult.UPHELD,
            decided_on=date(2025, 10, 1),
        )
    assert early.value.code == FoiErrorCode.DECIDED_BEFORE_FILED
    services.appeal_decide(
        actor=staff.handler,
        appeal=appeal,
        result=AppealResult.CORRECTED,
        decided_on=date(2025, 11, 20),
    )
    assert appeal.result == AppealResult.CORRECTED
    with pytest.raises(FoiError) as twice:
        services.appeal_decide(
            actor=staff.handler,
            appeal=appeal,
            result=AppealResult.UPHELD,
            decided_on=date(2025, 11, 21),
        )
    assert twice.value.code == FoiErrorCode.APPEAL_DECIDED


def test_open_clocks_follow_a_calendar_change(staff, monkeypatch):
    application, _ = register(staff)
    assert application.due_on == date(2025, 9, 28)
    import datetime as dt

    from gongkai.core import calendar as core_calendar
    from gongkai.foi.tests import CALENDAR

    class WithHoliday:
        def answer(self, day):
            answer = CALENDAR.answer(day)
            return replace(answer, is_workday=False) if day == dt.date(2025, 9, 15) else answer

    monkeypatch.setattr(core_calendar, "_snapshot", lambda: WithHoliday())
    assert services.refresh_open_clocks() == 1
    application.refresh_from_db()
    assert application.due_on == date(2025, 9, 29)


def test_the_applicant_corrects_online_and_the_clock_restarts(staff, today):
    application, _ = register(staff)
    with pytest.raises(FoiError) as not_asked:
        services.application_correct(application=application, information="更具体的描述")
    assert not_asked.value.code == FoiErrorCode.NOT_AWAITING_CORRECTION
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 3),
    )
    today(date(2025, 9, 15))
    event = services.application_correct(
        application=application,
        information="2024年东城区老旧小区综合整治项目清单",
        doc_no="京建发〔2024〕1号",
    )
    application.refresh_from_db()
    assert application.information == "2024年东城区老旧小区综合整治项目清单"
    assert "老旧小区综合整治项目清单" in event.note  # the earlier text is kept
    assert (application.status, application.due_on) == (clock.Status.RUNNING, date(2025, 10, 17))


def test_the_refresh_command_reports_changes(staff, today):
    from io import StringIO

    from django.core.management import call_command

    today(date(2025, 9, 3))
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 2),
        days=5,
    )
    today(date(2025, 10, 9))
    out = StringIO()
    call_command("foi", "refresh", stdout=out)
    assert "1 件有变化" in out.getvalue()
    application.refresh_from_db()
    assert application.outcome == Outcome.O1


def test_a_field_the_model_refuses_is_a_chinese_error_naming_it(staff):
    with pytest.raises(FoiError) as refused:
        register(staff, name="李" * 101)
    assert refused.value.code == FoiErrorCode.INVALID
    assert refused.value.message.startswith("姓名或名称：")
    assert not Application.objects.exists()
