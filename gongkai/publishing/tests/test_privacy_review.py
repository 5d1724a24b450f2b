"""Personal information in the review: the ``personal_data`` check, masking it
(``services.document_mask_personal_data``), approval with or without an override, and the
staff document page."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.core.privacy import Kind
from gongkai.publishing import services
from gongkai.publishing.checks import (
    PERSONAL_DATA_CHECK,
    CheckOutcome,
    check_label,
    personal_data_check,
    personal_data_findings,
    registered_checks,
)
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import CheckResult, Document, ReviewEvent, Status

from .staff_support import act, document_url, login
from .workflow_support import People, advance, draft, make_orgs, make_people

pytestmark = pytest.mark.django_db

MOBILE = "13800138000"
MOBILE_MASKED = "138****8000"
EMAIL = "zhangwei@example.cn"
EMAIL_MASKED = "z***@example.cn"
BODY = (
    "<p>各区人民政府，市政府各委、办、局：</p>"
    f"<p>如有疑问，请与<strong>市发展改革委</strong>联系，联系电话{MOBILE}，"
    f'邮箱 <a href="https://www.beijing.gov.cn/">{EMAIL}</a>。</p>'
    "<ul><li>第一项 &amp; 第二项</li></ul>"
)
BODY_MASKED = (
    "<p>各区人民政府，市政府各委、办、局：</p>"
    f"<p>如有疑问，请与<strong>市发展改革委</strong>联系，联系电话{MOBILE_MASKED}，"
    f'邮箱 <a href="https://www.beijing.gov.cn/" rel="noopener noreferrer">{EMAIL_MASKED}</a>。</p>'
    "<ul><li>第一项 &amp; 第二项</li></ul>"
)


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


@pytest.fixture
def document(people: People) -> Document:
    """A draft of the handler's whose body holds a mobile number and an e-mail address."""
    return draft(people.handler, body=BODY)


def in_review(document: Document, people: People) -> Document:
    return advance(document, Status.IN_REVIEW, people)


def result_of(document: Document, code: str = PERSONAL_DATA_CHECK) -> CheckResult:
    return CheckResult.objects.get(document=document, version=document.version, code=code)


# The check.


def test_the_check_is_registered_after_the_built_in_ones() -> None:
    codes = [check.code for check in registered_checks()]
    assert codes.index(PERSONAL_DATA_CHECK) > codes.index("links")
    assert check_label(PERSONAL_DATA_CHECK) == "个人信息"


def test_a_document_without_personal_information_passes(people: People) -> None:
    assert personal_data_check(draft(people.handler)) == CheckOutcome(True)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("title", f"关于公布举报电话{MOBILE}的通知", "标题"),
        ("summary", f"公布举报电话{MOBILE}，接受社会监督。", "内容概述"),
        ("body", f"<p>举报电话：<em>{MOBILE}</em></p>", "正文"),
    ],
)
def test_the_check_scans_the_title_summary_and_body(
    people: People, field: str, value: str, where: str
) -> None:
    document = draft(people.handler, **{field: value})
    outcome = personal_data_check(document)

    assert not outcome.passed
    assert outcome.message.startswith(f"发现 1 处个人信息：手机号码 {MOBILE_MASKED}（“")
    assert MOBILE not in outcome.message
    [finding] = personal_data_findings(document)
    assert (finding.kind, finding.where, finding.masked) == (Kind.MOBILE, where, MOBILE_MASKED)


def test_the_message_lists_masked_values_with_masked_context(document: Document) -> None:
    message = personal_data_check(document).message

    assert message == (
        "发现 2 处个人信息："
        f"手机号码 {MOBILE_MASKED}（“联系，联系电话{MOBILE_MASKED}，邮箱”）；"
        f"电子邮箱 {EMAIL_MASKED}（“{EMAIL_MASKED}”）"
        "。请遮盖，或确属应当公开的信息时填写放行理由。"
    )
    assert MOBILE not in message
    assert EMAIL not in message


def test_the_context_never_shows_a_neighbouring_value(people: People) -> None:
    document = draft(people.handler, summary=f"电话{MOBILE}或13911112222，邮箱{EMAIL}。")
    findings = personal_data_findings(document)

    assert [finding.masked for finding in findings] == [MOBILE_MASKED, "139****2222", EMAIL_MASKED]
    for finding in findings:
        assert MOBILE not in finding.context
        assert "13911112222" not in finding.context
        assert EMAIL not in finding.context
    assert findings[0].context == f"电话{MOBILE_MASKED}或139****22…"
    assert findings[2].context == f"…***2222，邮箱{EMAIL_MASKED}。"


def test_submitting_stores_the_failing_result(document: Document, people: People) -> None:
    services.document_submit(actor=people.handler, document=document)
    result = result_of(document)
    assert not result.passed
    assert MOBILE_MASKED in result.message
    assert MOBILE not in result.message
    assert document.events.get().note == "未通过的检查：个人信息"


# Approval.


def test_approval_needs_an_override_reason(document: Document, people: People) -> None:
    in_review(document, people)
    with pytest.raises(PublishingError) as error:
        services.document_approve(actor=people.reviewer, document=document)
    assert error.value.code == PublishingErrorCode.OVERRIDE_REQUIRED
    assert error.value.message.endswith("：个人信息。")
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW


def test_an_override_reason_lets_it_through_and_is_recorded(
    document: Document, people: People
) -> None:
    in_review(document, people)
    reason = "系本委公开的咨询电话和邮箱，依法应当公开"
    services.document_approve(
        actor=people.reviewer, document=document, overrides={PERSONAL_DATA_CHECK: reason}
    )
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    assert result_of(document).override_reason == reason
    event = AuditEvent.objects.get(action="publishing.document.approve")
    assert event.changes[f"override_reason[{PERSONAL_DATA_CHECK}]"] == [None, reason]


def test_after_masking_no_override_is_needed(document: Document, people: People) -> None:
    in_review(document, people)
    services.document_mask_personal_data(actor=people.reviewer, document=document)
    services.document_approve(actor=people.reviewer, document=document)
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    assert result_of(document).override_reason == ""


# Masking.


def test_the_reviewer_masks_everything_under_review(document: Document, people: People) -> None:
    services.document_update(
        actor=people.handler,
        document=document,
        title=f"关于公布举报电话{MOBILE}的通知",
        summary=f"联系人：张伟，电话{MOBILE}。",
    )
    in_review(document, people)
    others = {
        r.code: (r.passed, r.message)
        for r in CheckResult.objects.filter(document=document).exclude(code=PERSONAL_DATA_CHECK)
    }

    count = services.document_mask_personal_data(actor=people.reviewer, document=document)

    document.refresh_from_db()
    assert count == 5
    assert document.status == Status.IN_REVIEW
    assert document.title == f"关于公布举报电话{MOBILE_MASKED}的通知"
    assert document.summary == f"联系人：张*，电话{MOBILE_MASKED}。"
    assert document.body == BODY_MASKED
    result = result_of(document)
    assert (result.passed, result.message) == (True, "")
    assert {
        r.code: (r.passed, r.message)
        for r in CheckResult.objects.filter(document=document).exclude(code=PERSONAL_DATA_CHECK)
    } == others
    event = ReviewEvent.objects.filter(document=document).latest("at", "id")
    assert (event.from_status, event.to_status, event.actor) == (
        Status.IN_REVIEW,
        Status.IN_REVIEW,
        people.reviewer,
    )
    assert event.note == "遮盖个人信息：手机号码 3 处、电子邮箱 1 处、姓名 1 处"


def test_the_audit_records_counts_not_values(document: Document, people: People) -> None:
    in_review(document, people)
    services.document_mask_personal_data(actor=people.reviewer, document=document)

    event = AuditEvent.objects.get(action="publishing.document.mask_personal_data")
    assert event.actor == people.reviewer
    assert event.summary == "遮盖个人信息：手机号码 1 处、电子邮箱 1 处"
    assert event.changes == {
        "masked[mobile]": [None, 1],
        "masked[email]": [None, 1],
        "masked_fields": [None, ["body"]],
    }
    recorded = json.dumps([event.summary, event.changes, event.object_repr], ensure_ascii=False)
    assert MOBILE not in recorded
    assert EMAIL not in recorded


def test_only_the_chosen_kinds_are_masked(document: Document, people: People) -> None:
    in_review(document, people)
    count = services.document_mask_personal_data(
        actor=people.reviewer, document=document, kinds=[Kind.MOBILE]
    )

    document.refresh_from_db()
    assert count == 1
    assert MOBILE not in document.body
    assert EMAIL in document.body
    result = result_of(document)
    assert not result.passed
    assert result.message.startswith(f"发现 1 处个人信息：电子邮箱 {EMAIL_MASKED}")


def test_nothing_of_the_chosen_kinds_changes_nothing(document: Document, people: People) -> None:
    in_review(document, people)
    events = ReviewEvent.objects.filter(document=document).count()
    count = services.document_mask_personal_data(
        actor=people.reviewer, document=document, kinds=[Kind.ID_CARD]
    )
    document.refresh_from_db()
    assert count == 0
    assert document.body == services.sanitise_body(BODY)
    assert ReviewEvent.objects.filter(document=document).count() == events
    assert not AuditEvent.objects.filter(action="publishing.document.mask_personal_data").exists()


def test_the_openness_office_over_it_may_mask(document: Document, people: People) -> None:
    in_review(document, people)
    assert services.document_mask_personal_data(actor=people.office, document=document) == 2


def test_the_handler_masks_a_draft(document: Document, people: People) -> None:
    count = services.document_mask_personal_data(actor=people.handler, document=document)
    document.refresh_from_db()
    assert count == 2
    assert document.status == Status.DRAFT
    assert document.body == BODY_MASKED
    # The checks have not run for this version: masking does not store a result alone.
    assert not CheckResult.objects.filter(document=document).exists()


def test_a_returned_draft_masked_by_the_handler_gets_its_result_updated(
    document: Document, people: People
) -> None:
    in_review(document, people)
    services.document_return(actor=people.reviewer, document=document, note="请遮盖联系电话")
    services.document_mask_personal_data(actor=people.handler, document=document)
    assert result_of(document).passed


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("outsider", Status.IN_REVIEW, PublishingErrorCode.PERMISSION_DENIED),  # 市财政局 reviewer
        ("district_office", Status.IN_REVIEW, PublishingErrorCode.PERMISSION_DENIED),
        ("dispatcher", Status.IN_REVIEW, PublishingErrorCode.PERMISSION_DENIED),
        ("handler", Status.SUBMITTED, PublishingErrorCode.PERMISSION_DENIED),
        ("handler", Status.IN_REVIEW, PublishingErrorCode.PERMISSION_DENIED),
        ("colleague", Status.IN_REVIEW, PublishingErrorCode.PERMISSION_DENIED),
        ("reviewer", Status.DRAFT, PublishingErrorCode.PERMISSION_DENIED),
        ("outsider", Status.DRAFT, PublishingErrorCode.PERMISSION_DENIED),
        ("reviewer", Status.SUBMITTED, PublishingErrorCode.BAD_TRANSITION),
        ("reviewer", Status.APPROVED, PublishingErrorCode.BAD_TRANSITION),
        ("reviewer", Status.PUBLISHED, PublishingErrorCode.BAD_TRANSITION),
    ],
)
def test_who_may_mask_when(
    people: People, who: str, status: Status, code: PublishingErrorCode
) -> None:
    document = draft(people.handler, body=BODY)
    if status in (Status.APPROVED, Status.PUBLISHED):
        services.document_submit(actor=people.handler, document=document)
        services.document_start_review(actor=people.reviewer, document=document)
        services.document_approve(
            actor=people.reviewer, document=document, overrides={PERSONAL_DATA_CHECK: "已核实"}
        )
        if status == Status.PUBLISHED:
            services.document_publish(actor=people.reviewer, document=document)
        document.refresh_from_db()
    else:
        advance(document, status, people)
    body = document.body

    with pytest.raises(PublishingError) as error:
        services.document_mask_personal_data(actor=getattr(people, who), document=document)

    assert error.value.code == code
    document.refresh_from_db()
    assert (document.status, document.body) == (status, body)
    assert not AuditEvent.objects.filter(action="publishing.document.mask_personal_data").exists()


# The staff document page.


def mask_url(document: Document) -> str:
    return reverse("publishing:staff-mask-personal-data", args=[document.pk])


def test_the_reviewer_sees_the_findings_and_the_masking_form(
    client: Client, document: Document, people: People
) -> None:
    in_review(document, people)
    response = login(client, people.reviewer).get(document_url(document))

    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('class="personal-findings"')
    findings = page[start : page.index("</ul>", start)]
    assert MOBILE_MASKED in findings
    assert EMAIL_MASKED in findings
    assert "手机号码" in findings
    assert MOBILE not in findings
    form = response.context["mask_form"]
    assert form["kinds"].value() == ["mobile", "email"]
    assert [label for _value, label in form.fields["kinds"].choices] == [
        "手机号码（1 处）",
        "电子邮箱（1 处）",
    ]
    assert f'action="{mask_url(document)}"' in page
    assert "遮盖个人信息" in page
    approve = dict(response.context["action_forms"])
    field = next(form for action, form in approve.items() if action == "approve").fields[
        f"override_{PERSONAL_DATA_CHECK}"
    ]
    assert field.label == "“个人信息”未通过，放行理由"
    assert "误报" in str(field.help_text)
    assert "办公电话" in str(field.help_text)


def test_the_masking_form_masks_and_says_how_many(
    client: Client, document: Document, people: People
) -> None:
    in_review(document, people)
    login(client, people.reviewer)
    response = client.post(mask_url(document), {"mask-kinds": ["mobile", "email"]}, follow=True)

    assert response.redirect_chain == [(document_url(document), 302)]
    assert [str(m) for m in response.context["messages"]] == ["已遮盖 2 处个人信息。"]
    document.refresh_from_db()
    assert document.body == BODY_MASKED
    assert response.context["mask_form"] is None
    assert result_of(document).passed
    # The approval needs no override now.
    assert act(client, document, "approve").status_code == 302
    document.refresh_from_db()
    assert document.status == Status.APPROVED


def test_the_masking_form_needs_a_kind(client: Client, document: Document, people: People) -> None:
    in_review(document, people)
    response = login(client, people.reviewer).post(mask_url(document), {})
    assert response.status_code == 400
    assert response.context["mask_form"].errors["kinds"] == ["请至少选择一类要遮盖的个人信息。"]
    document.refresh_from_db()
    assert document.body == services.sanitise_body(BODY)


def test_the_handler_sees_the_findings_but_may_not_mask_under_review(
    client: Client, document: Document, people: People
) -> None:
    in_review(document, people)
    login(client, people.handler)
    response = client.get(document_url(document))
    assert response.context["personal_findings"]
    assert response.context["mask_form"] is None

    response = client.post(mask_url(document), {"mask-kinds": ["mobile"]})
    assert response.status_code == 403
    assert [str(m) for m in response.context["messages"]] == ["您没有权限执行“遮盖个人信息”操作。"]
    document.refresh_from_db()
    assert MOBILE in document.body


def test_another_organisation_does_not_see_the_document(
    client: Client, document: Document, people: People
) -> None:
    in_review(document, people)
    response = login(client, people.outsider).post(mask_url(document), {"mask-kinds": ["mobile"]})
    assert response.status_code == 404


def test_the_approval_through_the_page_records_the_override(
    client: Client, document: Document, people: People
) -> None:
    in_review(document, people)
    login(client, people.reviewer)
    response = act(client, document, "approve")
    assert response.status_code == 400
    response = act(
        client, document, "approve", **{f"override_{PERSONAL_DATA_CHECK}": "公开的办公电话"}
    )
    assert response.status_code == 302
    assert result_of(document).override_reason == "公开的办公电话"
