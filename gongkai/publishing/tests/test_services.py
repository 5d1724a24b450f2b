"""The services' rules: 索引号, 发文字号, body, the attribute rule, approval, the 同步 rule,
revisions, withdrawal, validity, interpretations and the reference data."""

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.core.services import reference_row_save
from gongkai.publishing import services
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import (
    CheckResult,
    Disclosure,
    Document,
    DocumentVersion,
    IndexSequence,
    InterpretationForm,
    LegalBasis,
    ReviewTerm,
    ReviewTermKind,
    Status,
    Validity,
)
from gongkai.publishing.permissions import is_public

from .workflow_support import (
    People,
    advance,
    draft,
    genre,
    interpretation,
    make_orgs,
    make_people,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


def refused(code: PublishingErrorCode, run: Any, *args: Any, **kwargs: Any) -> PublishingError:
    with pytest.raises(PublishingError) as error:
        run(*args, **kwargs)
    assert error.value.code == code
    return error.value


def normative_policy(people: People) -> Document:
    """An approved 规范性文件 (its failing interpretation check overridden)."""
    policy = advance(draft(people.handler, genre=genre("规范性文件")), Status.IN_REVIEW, people)
    overrides = {"interpretation": "解读与文件同步发布"}
    return services.document_approve(actor=people.reviewer, document=policy, overrides=overrides)


# 索引号


def test_index_numbers_count_per_organisation_and_year(people: People) -> None:
    first = draft(people.handler)
    second = draft(people.handler)
    next_year = draft(people.handler, written_on=date(2026, 1, 5))
    elsewhere = draft(people.outsider)

    assert [first.index_no, second.index_no, next_year.index_no, elsewhere.index_no] == [
        "110000-FGW/2025-00001",
        "110000-FGW/2025-00002",
        "110000-FGW/2026-00001",
        "110000-CZJ/2025-00001",
    ]
    assert IndexSequence.objects.get(organisation=people.handler.organisation, year=2025).last == 2


def test_a_number_taken_by_an_imported_document_is_skipped(people: People) -> None:
    imported = draft(people.handler)
    Document.objects.filter(pk=imported.pk).update(index_no="110000-FGW/2025-00002")

    assert draft(people.handler).index_no == "110000-FGW/2025-00003"


def test_a_sequence_created_concurrently_is_updated_instead(people: People) -> None:
    """The insert of a year's first number fails in its savepoint when another transaction
    created the row first; the transaction goes on and the row is updated."""
    organisation = people.handler.organisation
    IndexSequence.objects.create(organisation=organisation, year=2025, last=7)

    assert services._sequence_created(organisation, 2025) is False
    assert services._next_index_no(organisation, 2025) == "110000-FGW/2025-00008"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drafts_get_distinct_numbers() -> None:
    """Writers in parallel transactions, starting before the year's sequence row exists, queue
    on that row: every number is used once, none is skipped."""
    handler = make_people(make_orgs()).handler
    writers, per_writer = 8, 5
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(per_writer):
                draft(handler)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Document.objects.values_list("index_no", flat=True)) == [
        f"110000-FGW/2025-{seq:05d}" for seq in range(1, writers * per_writer + 1)
    ]


def test_a_refused_draft_uses_no_number(people: People) -> None:
    refused(PublishingErrorCode.BAD_DOC_NO, draft, people.handler, doc_no="京政办发2018年16号")
    assert draft(people.handler).index_no == "110000-FGW/2025-00001"


# 发文字号, body, defaults


def test_the_doc_no_is_normalised(people: People) -> None:
    document = draft(people.handler, doc_no="京发改〔２０２５〕第０１６号")
    assert document.doc_no == "京发改〔2025〕16号"
    services.document_update(actor=people.handler, document=document, doc_no="京发改[2025]17号")
    document.refresh_from_db()
    assert document.doc_no == "京发改〔2025〕17号"


def test_the_body_is_sanitised(people: People) -> None:
    document = draft(
        people.handler,
        body=(
            '<p onclick="steal()" style="color:red">正文<script>alert(1)</script></p>'
            "<style>p{}</style>"
            '<a href="javascript:alert(1)">甲</a><a href="/xxgk/" target="_blank">乙</a>'
            '<table><tr><td colspan="2" class="x">丙</td></tr></table>'
            '<img src="/media/a.png" alt="图" onerror="steal()"><iframe src="https://x.cn"></iframe>'
        ),
    )
    assert document.body == (
        "<p>正文</p>"
        '<a rel="noopener noreferrer">甲</a><a href="/xxgk/" rel="noopener noreferrer">乙</a>'
        '<table><tbody><tr><td colspan="2">丙</td></tr></tbody></table>'
        '<img src="/media/a.png" alt="图">'
    )


def test_formed_on_defaults_to_written_on(people: People) -> None:
    assert draft(people.handler).formed_on == date(2025, 9, 26)
    assert draft(people.handler, formed_on=date(2025, 10, 9)).formed_on == date(2025, 10, 9)


def test_create_is_audited_with_the_fields(people: People) -> None:
    document = draft(people.handler, co_issuers=[people.outsider.organisation])
    event = AuditEvent.objects.get(action="publishing.document.create")
    assert event.object_id == str(document.pk)
    assert event.changes["index_no"] == [None, "110000-FGW/2025-00001"]
    assert event.changes["disclosure"] == [None, "proactive"]
    assert event.changes["co_issuers"] == [None, ["110000-CZJ"]]


def test_a_missing_field_is_a_validation_error(people: People) -> None:
    with pytest.raises(ValidationError) as error:
        draft(people.handler, title="")
    assert set(error.value.message_dict) == {"title"}
    assert not Document.objects.exists()


# The attribute rule


def basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)


@pytest.mark.parametrize(
    ("disclosure", "basis_code", "reason", "code"),
    [
        ("", None, "", PublishingErrorCode.DISCLOSURE_REQUIRED),
        ("public", None, "", PublishingErrorCode.DISCLOSURE_REQUIRED),
        (Disclosure.PROACTIVE, "art16-process", "", PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED),
        (Disclosure.PROACTIVE, None, "过程稿", PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED),
        (Disclosure.ON_REQUEST, None, "按申请提供", PublishingErrorCode.LEGAL_BASIS_REQUIRED),
        (Disclosure.WITHHELD, None, "涉密", PublishingErrorCode.LEGAL_BASIS_REQUIRED),
        (
            Disclosure.WITHHELD,
            "art27-on-request",
            "按申请提供",
            PublishingErrorCode.LEGAL_BASIS_MISMATCH,
        ),
        (
            Disclosure.ON_REQUEST,
            "art16-process",
            "过程稿",
            PublishingErrorCode.LEGAL_BASIS_MISMATCH,
        ),
        (Disclosure.WITHHELD, "art16-process", " ", PublishingErrorCode.DISCLOSURE_REASON_REQUIRED),
    ],
)
def test_the_attribute_rule_refuses(
    disclosure: str, basis_code: str | None, reason: str, code: PublishingErrorCode, people: People
) -> None:
    legal_basis = basis(basis_code) if basis_code else None
    refused(
        code,
        draft,
        people.handler,
        disclosure=disclosure,
        legal_basis=legal_basis,
        disclosure_reason=reason,
    )
    assert not Document.objects.exists()


def test_the_attribute_rule_messages_name_the_attribute_and_basis(people: People) -> None:
    error = refused(
        PublishingErrorCode.LEGAL_BASIS_MISMATCH,
        draft,
        people.handler,
        disclosure=Disclosure.ON_REQUEST,
        legal_basis=basis("art16-process"),
        disclosure_reason="过程稿",
    )
    assert error.message == (
        "所选依据“《政府信息公开条例》第十六条第二款：过程性信息（讨论记录、过程稿、磋商信函、"
        "请示报告等）”适用于“不予公开”，与公开属性“依申请公开”不符。"
    )


@pytest.mark.parametrize(
    ("disclosure", "basis_code"),
    [(Disclosure.WITHHELD, "art16-process"), (Disclosure.ON_REQUEST, "art27-on-request")],
)
def test_a_non_proactive_document_with_basis_and_reason_is_accepted(
    disclosure: str, basis_code: str, people: People
) -> None:
    document = draft(
        people.handler,
        disclosure=disclosure,
        legal_basis=basis(basis_code),
        disclosure_reason=" 属于内部讨论稿 ",
    )
    assert (document.disclosure, document.legal_basis.code) == (disclosure, basis_code)


def test_an_update_follows_the_attribute_rule(people: People) -> None:
    document = draft(people.handler)
    refused(
        PublishingErrorCode.LEGAL_BASIS_REQUIRED,
        services.document_update,
        actor=people.handler,
        document=document,
        disclosure=Disclosure.WITHHELD,
    )
    services.document_update(
        actor=people.handler,
        document=document,
        disclosure=Disclosure.WITHHELD,
        legal_basis=basis("art14-secret"),
        disclosure_reason="经保密审查属于国家秘密",
    )
    document.refresh_from_db()
    assert document.disclosure == Disclosure.WITHHELD


def test_a_non_proactive_document_is_published_into_the_internal_catalogue(
    people: People,
) -> None:
    document = draft(
        people.handler,
        disclosure=Disclosure.ON_REQUEST,
        legal_basis=basis("art27-on-request"),
        disclosure_reason="涉及特定对象",
    )
    advance(document, Status.PUBLISHED, people)
    assert document.published_at is not None
    assert DocumentVersion.objects.filter(document=document).count() == 1
    assert not is_public(document)


# Genres


def test_the_interpretation_genre_is_only_for_interpretations(people: People) -> None:
    refused(PublishingErrorCode.INTERPRETATION_GENRE, draft, people.handler, genre=genre("解读"))
    document = draft(people.handler)
    refused(
        PublishingErrorCode.INTERPRETATION_GENRE,
        services.document_update,
        actor=people.handler,
        document=document,
        genre=genre("解读"),
    )
    document.refresh_from_db()
    assert document.genre == genre("通知")
    explained = interpretation(people.handler, document).document
    refused(
        PublishingErrorCode.INTERPRETATION_GENRE,
        services.document_update,
        actor=people.handler,
        document=explained,
        genre=genre("通知"),
    )


def test_an_update_is_audited_as_a_diff(people: People) -> None:
    document = draft(people.handler)
    services.document_update(actor=people.handler, document=document, title="新标题")
    event = AuditEvent.objects.get(action="publishing.document.edit")
    assert event.changes == {"title": ["关于做好2025年政务公开工作的通知", "新标题"]}


# Submission and approval


def test_submit_stores_the_check_results_of_the_version(people: People) -> None:
    document = draft(people.handler, genre=genre("规范性文件"))
    results = services.document_submit(actor=people.handler, document=document)

    assert [(r.code, r.passed, r.version) for r in results] == [
        ("legal_basis", True, 1),
        ("interpretation", False, 1),
        ("terms", True, 1),
        ("links", True, 1),
        ("personal_data", True, 1),
    ]
    assert document.events.get().note == "未通过的检查：政策解读"


def test_a_resubmission_replaces_the_results(people: People) -> None:
    document = draft(people.handler, title="关于开通帐户的通知")
    services.document_submit(actor=people.handler, document=document)
    services.document_recall(actor=people.handler, document=document)
    services.document_update(actor=people.handler, document=document, title="关于开通账户的通知")
    services.document_submit(actor=people.handler, document=document)

    assert list(CheckResult.objects.filter(document=document).values_list("code", "passed")) == [
        ("legal_basis", True),
        ("links", True),
        ("personal_data", True),
        ("terms", True),
    ]


def test_a_reviewer_cannot_approve_their_own_draft(people: People) -> None:
    both = make_staff("both", people.handler.organisation, Role.HANDLER, Role.REVIEWER)
    document = draft(both)
    services.document_submit(actor=both, document=document)
    services.document_start_review(actor=both, document=document)

    error = refused(
        PublishingErrorCode.OWN_DRAFT, services.document_approve, actor=both, document=document
    )
    assert (
        error.message == "审核人不能审核通过自己起草的政府信息“关于做好2025年政务公开工作的通知”。"
    )
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW
    services.document_approve(actor=people.reviewer, document=document)
    document.refresh_from_db()
    assert document.status == Status.APPROVED


def failing_document(people: People) -> Document:
    """In review with two failing checks: terms (帐户) and interpretation."""
    document = draft(people.handler, title="关于开通帐户的通知", genre=genre("规范性文件"))
    return advance(document, Status.IN_REVIEW, people)


def test_approval_over_failing_checks_needs_a_reason_for_each(people: People) -> None:
    document = failing_document(people)

    error = refused(
        PublishingErrorCode.OVERRIDE_REQUIRED,
        services.document_approve,
        actor=people.reviewer,
        document=document,
        overrides={"terms": "“帐户”为引用原文"},
    )
    assert error.message == "以下发布前检查未通过，审核通过须逐项填写放行理由：政策解读。"
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW
    assert not CheckResult.objects.exclude(override_reason="").exists()


def test_an_override_for_a_check_that_did_not_fail_is_refused(people: People) -> None:
    document = failing_document(people)
    error = refused(
        PublishingErrorCode.UNKNOWN_OVERRIDE,
        services.document_approve,
        actor=people.reviewer,
        document=document,
        overrides={"terms": "引用原文", "interpretation": "另行解读", "links": "无"},
    )
    assert error.message == "以下检查项不是本版本未通过的检查，不能填写放行理由：links。"


def test_approval_with_reasons_keeps_them(people: People) -> None:
    document = failing_document(people)
    services.document_approve(
        actor=people.reviewer,
        document=document,
        overrides={"terms": " “帐户”为引用原文 ", "interpretation": "解读另行发布"},
    )
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    assert dict(
        CheckResult.objects.filter(passed=False).values_list("code", "override_reason")
    ) == {"terms": "“帐户”为引用原文", "interpretation": "解读另行发布"}
    event = AuditEvent.objects.get(action="publishing.document.approve")
    assert event.changes == {
        "status": ["in_review", "approved"],
        "override_reason[interpretation]": [None, "解读另行发布"],
        "override_reason[terms]": [None, "“帐户”为引用原文"],
    }


# The 同步 rule


def test_a_normative_document_is_not_published_alone(people: People) -> None:
    policy = normative_policy(people)
    error = refused(
        PublishingErrorCode.INTERPRETATION_REQUIRED,
        services.document_publish,
        actor=people.reviewer,
        document=policy,
    )
    assert "规范性文件" in error.message
    policy.refresh_from_db()
    assert (policy.status, policy.published_at) == (Status.APPROVED, None)
    assert not DocumentVersion.objects.exists()


def test_a_linked_interpretation_that_is_not_published_does_not_count(people: People) -> None:
    policy = normative_policy(people)
    interpretation(people.handler, policy)
    refused(
        PublishingErrorCode.INTERPRETATION_REQUIRED,
        services.document_publish,
        actor=people.reviewer,
        document=policy,
    )


def test_a_policy_and_its_interpretation_are_published_together(people: People) -> None:
    policy = normative_policy(people)
    explained = interpretation(
        people.handler, policy, form=InterpretationForm.LEADER, leader_name="张三"
    )
    advance(explained.document, Status.APPROVED, people)

    services.document_publish(
        actor=people.reviewer, document=policy, interpretations=[explained.document]
    )
    policy.refresh_from_db()
    explained.document.refresh_from_db()
    assert (policy.status, explained.document.status) == (Status.PUBLISHED, Status.PUBLISHED)
    assert policy.published_at == explained.document.published_at
    assert list(policy.interpretations.all()) == [explained]
    assert list(explained.policies.all()) == [policy]
    assert DocumentVersion.objects.count() == 2


def test_an_already_public_interpretation_satisfies_the_rule(people: People) -> None:
    explained = interpretation(people.handler, draft(people.handler))
    advance(explained.document, Status.PUBLISHED, people)
    policy = normative_policy(people)
    services.interpretation_link(actor=people.reviewer, interpretation=explained, policies=[policy])
    services.document_publish(actor=people.reviewer, document=policy)
    policy.refresh_from_db()
    assert policy.status == Status.PUBLISHED


def test_only_linked_interpretations_are_published_with_a_policy(people: People) -> None:
    policy = normative_policy(people)
    other = interpretation(people.handler, draft(people.handler))
    advance(other.document, Status.APPROVED, people)
    error = refused(
        PublishingErrorCode.INTERPRETATION_NOT_LINKED,
        services.document_publish,
        actor=people.reviewer,
        document=policy,
        interpretations=[other.document],
    )
    assert error.message == (
        f"“{other.document.title}”不是“{policy.title}”的政策解读，不能与其同时发布。"
    )
    assert not DocumentVersion.objects.exists()


def test_an_interpretation_published_together_must_be_approved(people: People) -> None:
    policy = normative_policy(people)
    explained = interpretation(people.handler, policy)
    refused(
        PublishingErrorCode.BAD_TRANSITION,
        services.document_publish,
        actor=people.reviewer,
        document=policy,
        interpretations=[explained.document],
    )
    policy.refresh_from_db()
    assert policy.status == Status.APPROVED


def test_an_exemption_reason_allows_publishing_alone(people: People) -> None:
    policy = normative_policy(people)
    services.document_exempt_from_interpretation(
        actor=people.office, document=policy, reason="仅延长有效期，内容未变"
    )
    services.document_publish(actor=people.reviewer, document=policy)
    policy.refresh_from_db()
    assert (policy.status, policy.interpretation_exempt_reason) == (
        Status.PUBLISHED,
        "仅延长有效期，内容未变",
    )


def test_an_exemption_needs_a_normative_document_and_a_reason(people: People) -> None:
    plain = draft(people.handler)
    refused(
        PublishingErrorCode.NOT_NORMATIVE,
        services.document_exempt_from_interpretation,
        actor=people.reviewer,
        document=plain,
        reason="无须解读",
    )
    normative = draft(people.handler, genre=genre("规范性文件"))
    refused(
        PublishingErrorCode.TEXT_REQUIRED,
        services.document_exempt_from_interpretation,
        actor=people.reviewer,
        document=normative,
        reason=" ",
    )


def test_a_policy_and_its_interpretation_can_be_scheduled_together(people: People) -> None:
    policy = normative_policy(people)
    explained = interpretation(people.handler, policy)
    advance(explained.document, Status.APPROVED, people)
    at = timezone.now() + timedelta(hours=2)

    services.document_publish(
        actor=people.reviewer, document=policy, at=at, interpretations=[explained.document]
    )
    assert services.publish_due(now=at) == 2
    policy.refresh_from_db()
    explained.document.refresh_from_db()
    assert (policy.status, explained.document.status) == (Status.PUBLISHED, Status.PUBLISHED)


def test_a_scheduled_policy_whose_interpretation_was_withdrawn_stays_scheduled(
    people: People,
) -> None:
    policy = normative_policy(people)
    explained = interpretation(people.handler, policy)
    advance(explained.document, Status.PUBLISHED, people)
    at = timezone.now() + timedelta(hours=2)
    services.document_publish(actor=people.reviewer, document=policy, at=at)
    services.document_withdraw(actor=people.reviewer, document=explained.document, reason="有误")

    assert services.publish_due(now=at) == 0
    policy.refresh_from_db()
    assert (policy.status, policy.scheduled_at) == (Status.APPROVED, at)


# Revisions, withdrawal, validity


def test_a_revision_keeps_the_published_version(people: People) -> None:
    document = advance(draft(people.handler), Status.PUBLISHED, people)
    first_published = document.published_at

    services.document_start_revision(
        actor=people.reviewer, document=document, change_note="更新联系电话"
    )
    document.refresh_from_db()
    assert (document.status, document.version, document.change_note) == (
        Status.DRAFT,
        2,
        "更新联系电话",
    )
    assert is_public(document)
    services.document_update(actor=people.handler, document=document, title="修订后的标题")
    advance(document, Status.PUBLISHED, people)

    versions = list(
        DocumentVersion.objects.filter(document=document).values_list(
            "version", "title", "change_note"
        )
    )
    assert versions == [
        (2, "修订后的标题", "更新联系电话"),
        (1, "关于做好2025年政务公开工作的通知", ""),
    ]
    assert document.published_at == first_published
    assert CheckResult.objects.filter(document=document, version=2).count() == 4


def test_withdrawal_records_the_reason(people: People) -> None:
    document = advance(draft(people.handler), Status.PUBLISHED, people)
    services.document_withdraw(actor=people.office, document=document, reason=" 文件已废止 ")
    document.refresh_from_db()
    assert (document.status, document.withdrawn_reason) == (Status.WITHDRAWN, "文件已废止")
    assert document.withdrawn_at is not None
    assert document.events.last().note == "文件已废止"
    assert not is_public(document)


def test_validity_may_link_the_replacing_document(people: People) -> None:
    old = advance(draft(people.handler), Status.PUBLISHED, people)
    new = advance(draft(people.handler, title="新通知"), Status.PUBLISHED, people)

    services.document_set_validity(
        actor=people.reviewer, document=old, validity=Validity.REPEALED, replaced_by=new
    )
    old.refresh_from_db()
    assert (old.validity, old.replaced_by) == (Validity.REPEALED, new)
    event = AuditEvent.objects.get(action="publishing.document.set_validity")
    assert event.changes == {"validity": ["current", "repealed"], "replaced_by": [None, new.pk]}


@pytest.mark.parametrize("validity", [Validity.CURRENT, Validity.EXPIRED])
def test_only_amended_or_repealed_documents_name_a_replacement(
    validity: str, people: People
) -> None:
    old = advance(draft(people.handler), Status.PUBLISHED, people)
    new = draft(people.handler)
    refused(
        PublishingErrorCode.BAD_REPLACEMENT,
        services.document_set_validity,
        actor=people.reviewer,
        document=old,
        validity=validity,
        replaced_by=new,
    )


def test_a_document_does_not_replace_itself(people: People) -> None:
    old = advance(draft(people.handler), Status.PUBLISHED, people)
    refused(
        PublishingErrorCode.BAD_REPLACEMENT,
        services.document_set_validity,
        actor=people.reviewer,
        document=old,
        validity=Validity.AMENDED,
        replaced_by=old,
    )


def test_an_unknown_validity_is_a_validation_error(people: People) -> None:
    old = advance(draft(people.handler), Status.PUBLISHED, people)
    with pytest.raises(ValidationError):
        services.document_set_validity(actor=people.reviewer, document=old, validity="gone")


# Interpretations


def test_an_interpretation_is_a_document_of_the_interpretation_genre(people: People) -> None:
    policy = draft(people.handler)
    explained = interpretation(people.handler, policy, form=InterpretationForm.EXPERT)
    assert explained.document.genre.is_interpretation
    assert explained.document.index_no == "110000-FGW/2025-00002"
    assert (explained.form, list(explained.policies.all())) == ("expert", [policy])


def test_a_leader_interpretation_names_the_leader(people: People) -> None:
    policy = draft(people.handler)
    refused(
        PublishingErrorCode.LEADER_NAME_REQUIRED,
        interpretation,
        people.handler,
        policy,
        form=InterpretationForm.LEADER,
        leader_name=" ",
    )
    assert Document.objects.count() == 1


def test_an_interpretation_explains_at_least_one_policy_that_is_no_interpretation(
    people: People,
) -> None:
    refused(
        PublishingErrorCode.POLICY_REQUIRED,
        interpretation,
        people.handler,
        draft(people.handler),
        policies=[],
    )
    explained = interpretation(people.handler, draft(people.handler))
    error = refused(
        PublishingErrorCode.BAD_POLICY,
        interpretation,
        people.handler,
        explained.document,
    )
    assert error.message == f"“{explained.document.title}”本身是政策解读，不能作为被解读的政策。"


def test_linking_adds_policies(people: People) -> None:
    first, second = draft(people.handler), draft(people.handler, title="第二件")
    explained = interpretation(people.handler, first)
    services.interpretation_link(actor=people.handler, interpretation=explained, policies=[second])
    assert set(explained.policies.all()) == {first, second}
    event = AuditEvent.objects.get(action="publishing.document.link")
    assert event.changes == {
        "policies": [["110000-FGW/2025-00001"], ["110000-FGW/2025-00001", "110000-FGW/2025-00002"]]
    }


# Reference data


def test_reference_data_edits_are_audited(people: People) -> None:
    term = reference_row_save(
        actor=people.office,
        row=ReviewTerm(term="网上申办", kind=ReviewTermKind.WRONG, suggestion="网上办理"),
    )
    term.suggestion = "网上申请办理"
    reference_row_save(actor=people.office, row=term)
    services.reference_delete(actor=people.office, row=term)

    events = list(
        AuditEvent.objects.filter(action__startswith="publishing.reviewterm")
        .order_by("seq")
        .values_list("action", "changes")
    )
    assert events == [
        (
            "publishing.reviewterm.save",
            {"kind": [None, "wrong"], "suggestion": [None, "网上办理"], "term": [None, "网上申办"]},
        ),
        ("publishing.reviewterm.save", {"suggestion": ["网上办理", "网上申请办理"]}),
        ("publishing.reviewterm.delete", {}),
    ]
    assert not ReviewTerm.objects.filter(term="网上申办").exists()


def test_a_wrong_term_needs_its_suggestion(people: People) -> None:
    with pytest.raises(ValidationError) as error:
        reference_row_save(
            actor=people.office, row=ReviewTerm(term="网上申办", kind=ReviewTermKind.WRONG)
        )
    assert error.value.messages == ["易错词须填写建议写法。"]


def test_the_migration_seeds_review_terms() -> None:
    assert ReviewTerm.objects.get(term="帐户").suggestion == "账户"
    assert ReviewTerm.objects.filter(kind=ReviewTermKind.SENSITIVE).count() == 4
