"""Letters: every template fills in, DOCX and PDF files, numbers, masked enclosures, delivery,
who may issue them, and the templates in the admin (on SQLite and PostgreSQL)."""

import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEvent
from gongkai.foi import clock, letters, services
from gongkai.foi.errors import FoiError, FoiErrorCode
from gongkai.foi.models import (
    Delivery,
    Letter,
    LetterEnclosure,
    LetterKind,
    LetterTemplate,
    Outcome,
)
from gongkai.publishing.tests.workflow_support import make_staff

from .support import APPLICANT, make_foi_staff, register

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 9, 1)
REDRESS = "60日内依法申请行政复议"
NOT_ADVERSE = {Outcome.GRANTED, Outcome.WITHDRAWN}
REFERRAL = "北京市市场监督管理局（联系电话：010-12345678）"


@pytest.fixture
def staff(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_foi_staff()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    def set_today(day: date) -> None:
        monkeypatch.setattr(services, "local_today", lambda: day)

    set_today(date(2025, 11, 28))
    return set_today


def closed_with(staff, outcome: Outcome):
    """An application received on 1 September 2025 and ended with ``outcome``."""
    application, _ = register(staff, on=RECEIVED)
    if outcome == Outcome.O1:  # the correction period lapses
        services.application_record(
            actor=staff.handler,
            application=application,
            kind=clock.EventKind.CORRECTION_REQUESTED,
            on=date(2025, 9, 2),
            days=5,
        )
    elif outcome == Outcome.O2:  # the fee is never paid
        services.fee_notify(
            actor=staff.handler,
            application=application,
            method="per_page",
            pages=80,
            on=date(2025, 9, 2),
        )
    elif outcome == Outcome.WITHDRAWN:
        services.application_withdraw(
            actor=staff.handler, application=application, on=date(2025, 9, 4)
        )
    else:
        services.application_reply(
            actor=staff.handler,
            application=application,
            outcome=outcome,
            on=date(2025, 9, 5),
            referred_to=REFERRAL if outcome == Outcome.NOT_THIS_AGENCY else "",
        )
    application.refresh_from_db()
    assert application.outcome == outcome
    return application


def reply(staff, application, **kwargs):
    return services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.REPLY, **kwargs
    )


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


# ---- Every template -----------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_a_reply_that_fills_in_completely(staff, outcome):
    application = closed_with(staff, outcome)
    letter = reply(staff, application)
    template = LetterTemplate.objects.get(kind=LetterKind.REPLY, outcome=outcome)
    assert letter.text.startswith(template.title)
    assert "{" not in letter.text
    assert "}" not in letter.text
    assert application.receipt_no in letter.text
    assert "李明：" in letter.text
    assert (REDRESS in letter.text) == (outcome not in NOT_ADVERSE)
    assert letter.issued_on == application.closed_on
    assert letter.text.endswith(f"北京市发展和改革委员会\n{letters.chinese_date(letter.issued_on)}")
    if outcome == Outcome.NOT_THIS_AGENCY:
        assert REFERRAL in letter.text


def test_the_reply_letter_is_a_docx_and_a_pdf(staff):
    application = closed_with(staff, Outcome.D6)
    letter = reply(staff, application)
    with letter.docx.open("rb") as file:
        text = docx_text(file.read())
    assert application.receipt_no in text
    assert "第十六条第二款" in text
    with letter.pdf.open("rb") as file:
        assert file.read(4) == b"%PDF"
    assert letter.docx.name.endswith(".docx")
    assert letter.pdf.name.endswith(".pdf")
    event = AuditEvent.objects.get(action="foi.letter.issue")
    assert letter.number in event.summary


def test_the_reply_note_is_its_own_paragraph_and_absent_when_empty(staff):
    application, _ = register(staff)
    services.application_reply(
        actor=staff.handler,
        application=application,
        outcome=Outcome.D4,
        on=date(2025, 9, 5),
        note="所申请信息为第三方的投标报价明细。\n经书面征求意见，第三方不同意公开。",
    )
    with_note = reply(staff, application)
    docx_lines = docx_text(with_note.docx.open("rb").read()).splitlines()
    assert "所申请信息为第三方的投标报价明细。" in docx_lines
    assert "经书面征求意见，第三方不同意公开。" in docx_lines
    without = reply(staff, closed_with(staff, Outcome.D4))
    assert "\n\n" not in without.text


def test_a_correction_letter_states_what_to_correct_and_until_when(staff):
    application, _ = register(staff)
    event = services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 3),
        days=10,
        note="请写明所需信息的文号或者形成的大致时间。",
    )
    letter = services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.CORRECTION
    )
    assert letter.event == event
    assert letter.issued_on == date(2025, 9, 3)
    assert "请写明所需信息的文号或者形成的大致时间。" in letter.text
    assert "请您于10个工作日内，即2025年9月17日前" in letter.text
    assert "第三十条" in letter.text


def test_an_extension_letter_states_the_days_and_the_new_due_date(staff, today):
    today(date(2025, 9, 22))
    application, _ = register(staff)
    request = services.extension_request(
        actor=staff.handler, application=application, days=20, reason="所申请信息涉及多个年度的档案"
    )
    services.extension_decide(
        actor=staff.office, request=request, approve=True, on=date(2025, 9, 22)
    )
    letter = services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.EXTENSION
    )
    assert "因所申请信息涉及多个年度的档案，" in letter.text
    assert "答复期限延长20个工作日。本机关将于2025年10月31日前" in letter.text
    assert "第三十三条第二款" in letter.text


def test_a_consultation_letter_goes_to_the_third_party_and_tells_nothing_of_the_applicant(staff):
    application, _ = register(staff, information="王强（手机13912345678）的房屋征收补偿协议")
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CONSULTATION_SENT,
        on=date(2025, 9, 2),
        party=clock.Party.THIRD_PARTY,
        note="北京安和建设工程有限公司\n涉及其投标报价",
    )
    letter = services.letter_issue(
        actor=staff.handler, application=application, kind=LetterKind.CONSULTATION
    )
    assert "北京安和建设工程有限公司：" in letter.text
    assert "即2025年9月23日前" in letter.text  # 15 working days after 9-2
    assert "第三十二条" in letter.text
    for personal in ("李明", "110101199003071233", "13912345678", "13800138000"):
        assert personal not in letter.text
    assert "139****5678" in letter.text


def test_a_letter_needs_its_act(staff):
    application, _ = register(staff)
    with pytest.raises(FoiError) as missing:
        services.letter_issue(
            actor=staff.handler, application=application, kind=LetterKind.CORRECTION
        )
    assert missing.value.code == FoiErrorCode.LETTER_EVENT_MISSING
    consultation = services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CONSULTATION_SENT,
        on=date(2025, 9, 2),
        party=clock.Party.AGENCY,
    )
    with pytest.raises(FoiError) as mismatch:
        services.letter_issue(
            actor=staff.handler,
            application=application,
            kind=LetterKind.FEE,
            event=consultation,
        )
    assert mismatch.value.code == FoiErrorCode.LETTER_EVENT_MISMATCH
    with pytest.raises(FoiError) as open_application:
        reply(staff, application)
    assert open_application.value.code == FoiErrorCode.NOT_CLOSED
    assert not Letter.objects.exists()


def test_a_missing_template_is_a_clear_error(staff):
    application = closed_with(staff, Outcome.U1)
    LetterTemplate.objects.filter(outcome=Outcome.U1).delete()
    with pytest.raises(FoiError) as missing:
        reply(staff, application)
    assert missing.value.code == FoiErrorCode.TEMPLATE_MISSING
    assert "本机关不掌握相关政府信息" in missing.value.message


# ---- Numbers ------------------------------------------------------------------------------------


def test_numbers_run_per_organisation_and_year(staff, today):
    first = reply(staff, closed_with(staff, Outcome.GRANTED))
    second = reply(staff, closed_with(staff, Outcome.U1))
    other, _ = services.application_register(
        actor=staff.outsider,
        organisation=staff.orgs["czj"],
        applicant=APPLICANT,
        channel=clock.Channel.IN_PERSON,
        submitted_on=RECEIVED,
    )
    services.application_reply(
        actor=staff.outsider, application=other, outcome=Outcome.GRANTED, on=date(2025, 9, 5)
    )
    elsewhere = services.letter_issue(
        actor=staff.outsider, application=other, kind=LetterKind.REPLY
    )
    today(date(2026, 1, 8))
    next_year, _ = register(staff, on=date(2026, 1, 5))
    services.application_reply(
        actor=staff.handler, application=next_year, outcome=Outcome.GRANTED, on=date(2026, 1, 7)
    )
    new_year = reply(staff, next_year)
    assert [(x.year, x.sequence) for x in (first, second, elsewhere, new_year)] == [
        (2025, 1),
        (2025, 2),
        (2025, 1),
        (2026, 1),
    ]
    assert first.number == "市发展改革委依申请公开〔2025〕第1号"
    assert elsewhere.number == "市财政局依申请公开〔2025〕第1号"
    assert new_year.number in new_year.text


# ---- Enclosures ---------------------------------------------------------------------------------

PERSONAL = "被征收人：王小明，身份证号110101199003071233，联系电话13912345678。"


def docx_upload(name: str = "补偿汇总表.docx") -> SimpleUploadedFile:
    document = docx.Document()
    document.add_paragraph("东城区某胡同院落修缮项目补偿汇总")
    document.add_paragraph(PERSONAL)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "王小明"
    table.rows[0].cells[1].text = "身份证号：11010519491231002X"
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_partial_disclosure_stores_its_enclosures_masked(staff):
    application = closed_with(staff, Outcome.PARTIAL)
    text = SimpleUploadedFile("名单.txt", f"补偿名单\n{PERSONAL}\n".encode("gb18030"))
    letter = reply(staff, application, enclosures=[text, docx_upload()])
    plain, word = letter.enclosures.all()
    assert (plain.name, word.name) == ("名单.txt", "补偿汇总表.docx")
    masked_text = plain.file.open("rb").read().decode("utf-8")
    assert "110101199003071233" not in masked_text
    assert "13912345678" not in masked_text
    assert "1101**********1233" in masked_text
    assert "139****5678" in masked_text
    assert masked_text.startswith("补偿名单\n")
    masked_word = docx_text(word.file.open("rb").read())
    for personal in ("110101199003071233", "13912345678", "11010519491231002X"):
        assert personal not in masked_word
    assert "东城区某胡同院落修缮项目补偿汇总" in masked_word
    assert plain.masked >= 2
    assert word.masked >= 3


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("清单.pdf", b"%PDF-1.7"), FoiErrorCode.ENCLOSURE_TYPE),
        (SimpleUploadedFile("清单.docx", b"not a zip"), FoiErrorCode.ENCLOSURE_UNREADABLE),
        (SimpleUploadedFile("清单.txt", b"\xff\xfe\x00\xd8"), FoiErrorCode.ENCLOSURE_UNREADABLE),
    ],
)
def test_enclosures_that_cannot_be_masked_are_refused(staff, upload, code):
    application = closed_with(staff, Outcome.PARTIAL)
    with pytest.raises(FoiError) as refused:
        reply(staff, application, enclosures=[upload])
    assert refused.value.code == code
    assert upload.name in refused.value.message
    assert not Letter.objects.exists()
    assert not LetterEnclosure.objects.exists()


def test_only_a_reply_carries_enclosures(staff):
    application, _ = register(staff)
    services.application_record(
        actor=staff.handler,
        application=application,
        kind=clock.EventKind.CORRECTION_REQUESTED,
        on=date(2025, 9, 2),
    )
    with pytest.raises(FoiError) as refused:
        services.letter_issue(
            actor=staff.handler,
            application=application,
            kind=LetterKind.CORRECTION,
            enclosures=[docx_upload()],
        )
    assert refused.value.code == FoiErrorCode.ENCLOSURES_REPLY_ONLY


# ---- Who may issue and deliver ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["handler", "office"])
def test_the_handling_staff_issue_and_deliver_letters(staff, who):
    application = closed_with(staff, Outcome.GRANTED)
    actor = getattr(staff, who)
    letter = services.letter_issue(actor=actor, application=application, kind=LetterKind.REPLY)
    services.letter_deliver(actor=actor, letter=letter, way=Delivery.EMAIL, on=date(2025, 9, 8))
    letter.refresh_from_db()
    assert (letter.delivered_by, letter.delivered_on) == (Delivery.EMAIL, date(2025, 9, 8))
    assert AuditEvent.objects.filter(action="foi.letter.deliver").count() == 1


@pytest.mark.parametrize("who", ["outsider", "district_office", "public"])
def test_others_may_neither_issue_nor_deliver_letters(staff, who):
    application = closed_with(staff, Outcome.GRANTED)
    letter = reply(staff, application)
    actor = User.objects.create_user("13700137000") if who == "public" else getattr(staff, who)
    with pytest.raises(FoiError) as issue:
        services.letter_issue(actor=actor, application=application, kind=LetterKind.REPLY)
    assert issue.value.code == FoiErrorCode.PERMISSION_DENIED
    with pytest.raises(FoiError) as deliver:
        services.letter_deliver(actor=actor, letter=letter, way=Delivery.POST, on=date(2025, 9, 8))
    assert deliver.value.code == FoiErrorCode.PERMISSION_DENIED
    letter.refresh_from_db()
    assert Letter.objects.count() == 1
    assert letter.delivered_on is None


@pytest.mark.parametrize(
    ("way", "on", "code"),
    [
        ("pigeon", date(2025, 9, 8), FoiErrorCode.INVALID),
        (Delivery.POST, date(2025, 9, 4), FoiErrorCode.DELIVERED_BEFORE_ISSUED),
        (Delivery.POST, date(2025, 11, 29), FoiErrorCode.FUTURE_DATE),
    ],
)
def test_impossible_deliveries_are_refused(staff, way, on, code):
    letter = reply(staff, closed_with(staff, Outcome.GRANTED))
    with pytest.raises(FoiError) as refused:
        services.letter_deliver(actor=staff.handler, letter=letter, way=way, on=on)
    assert refused.value.code == code


# ---- The templates ------------------------------------------------------------------------------


def test_every_kind_and_outcome_has_a_seeded_template():
    seeded = set(LetterTemplate.objects.values_list("kind", "outcome"))
    expected = {(LetterKind.REPLY.value, outcome) for outcome in Outcome.values}
    expected |= {(kind, "") for kind in LetterKind.values if kind != LetterKind.REPLY}
    assert seeded == expected


def test_the_seed_keeps_edited_templates_and_restores_the_others():
    granted = LetterTemplate.objects.get(kind=LetterKind.REPLY, outcome=Outcome.GRANTED)
    granted.body = "旧版正文"
    granted.save()  # a row of an older seed, nobody edited it
    fee = LetterTemplate.objects.get(kind=LetterKind.FEE)
    fee.body = "本机关的收费通知"
    services.letter_template_save(actor=None, template=fee)
    assert letters.load_letter_templates(LetterTemplate) == 1
    assert LetterTemplate.objects.get(pk=granted.pk).body != "旧版正文"
    assert LetterTemplate.objects.get(pk=fee.pk).body == "本机关的收费通知"
    assert letters.load_letter_templates(LetterTemplate) == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{applicant}：您的申请{unknown}", FoiErrorCode.TEMPLATE_PLACEHOLDER),
        ("您的申请{applicant", FoiErrorCode.TEMPLATE_SYNTAX),
        ("{applicant.name}", FoiErrorCode.TEMPLATE_PLACEHOLDER),
        ("{}", FoiErrorCode.TEMPLATE_PLACEHOLDER),
        ("{amount:,}", FoiErrorCode.TEMPLATE_PLACEHOLDER),
        ("{applicant!r}", FoiErrorCode.TEMPLATE_PLACEHOLDER),
        ("}", FoiErrorCode.TEMPLATE_SYNTAX),
    ],
)
def test_a_template_may_use_the_listed_placeholders_only(body, code):
    with pytest.raises(FoiError) as refused:
        letters.check_template(body)
    assert refused.value.code == code


@pytest.fixture
def sysadmin(staff):
    return make_staff("sysadmin", staff.orgs["city"], Role.SYSTEM_ADMIN)


def test_the_system_admin_edits_a_template_in_the_admin(client, sysadmin):
    template = LetterTemplate.objects.get(kind=LetterKind.CORRECTION)
    client.force_login(sysadmin)
    url = f"/admin/foi/lettertemplate/{template.pk}/change/"
    assert client.get("/admin/foi/lettertemplate/").status_code == 200
    form = {"title": template.title, "addressee": "{applicant}", "body": "请补正：{what}"}
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "{what}" in refused.content.decode()
    assert not LetterTemplate.objects.get(pk=template.pk).edited
    form["body"] = template.body + "\n联系电话：010-12345678。"
    assert client.post(url, form).status_code == 302
    template.refresh_from_db()
    assert template.edited
    assert template.body.endswith("联系电话：010-12345678。")
    assert AuditEvent.objects.get(action="foi.lettertemplate.save").actor_label == "sysadmin"
    assert client.get("/admin/foi/lettertemplate/add/").status_code == 403
    assert client.get(f"/admin/foi/lettertemplate/{template.pk}/delete/").status_code == 403


def test_other_roles_do_not_reach_the_templates(client, staff):
    client.force_login(staff.office)
    assert client.get("/admin/foi/lettertemplate/").status_code == 302
