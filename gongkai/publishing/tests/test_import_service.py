"""``document_import_published``: an archived document arrives published, under the rules of
drafting, once per 索引号, and the 索引号 sequence moves past it."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.publishing import services
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.library import public_documents
from gongkai.publishing.models import (
    Disclosure,
    Document,
    DocumentVersion,
    GazetteEntry,
    GazetteIssue,
    IndexSequence,
    Interpretation,
    InterpretationForm,
    LegalBasis,
    ReviewEvent,
    Status,
    Validity,
)
from gongkai.publishing.services import GazettePlacement, InterpretationLink

from .workflow_support import People, draft, genre, make_orgs, make_people, topic

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
PUBLISHED_AT = datetime(2018, 5, 14, 9, 30, tzinfo=BEIJING)


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


def imported(people: People, **overrides: Any) -> tuple[Document, bool]:
    fields: dict[str, Any] = {
        "actor": None,
        "author": people.handler,
        "organisation": people.handler.organisation,
        "index_no": "110000-FGW/2018-00016",
        "title": "关于做好2018年政务公开工作的通知",
        "genre": genre("通知"),
        "topic": topic(),
        "written_on": date(2018, 5, 11),
        "published_at": PUBLISHED_AT,
        "summary": "部署2018年政务公开工作。",
        "body": "<p>正文</p>",
    }
    return services.document_import_published(**(fields | overrides))


def refused(code: PublishingErrorCode, people: People, **overrides: Any) -> PublishingError:
    with pytest.raises(PublishingError) as error:
        imported(people, **overrides)
    assert error.value.code == code
    assert not Document.objects.exists()
    return error.value


def test_an_archived_document_arrives_published_as_version_one(people: People) -> None:
    document, created = imported(people, doc_no="京发改[2018]16号", keywords="政务公开")

    assert created is True
    assert (document.status, document.version, document.published_at) == (
        Status.PUBLISHED,
        1,
        PUBLISHED_AT,
    )
    assert document.doc_no == "京发改〔2018〕16号"
    assert document.formed_on == date(2018, 5, 11)
    assert document.created_by == people.handler
    version = DocumentVersion.objects.get(document=document)
    assert (version.version, version.published_at, version.doc_no) == (
        1,
        PUBLISHED_AT,
        "京发改〔2018〕16号",
    )
    assert public_documents().get().public_title == "关于做好2018年政务公开工作的通知"
    event = ReviewEvent.objects.get(document=document)
    assert (event.from_status, event.to_status, event.note) == ("", "published", "导入已发布的文件")
    audit = AuditEvent.objects.get(action="publishing.document.import")
    assert (
        audit.summary
        == "导入已发布的政府信息：关于做好2018年政务公开工作的通知（110000-FGW/2018-00016）"
    )
    assert audit.changes["author"] == [None, "handler"]
    assert audit.changes["status"] == [None, "published"]


def test_an_existing_index_number_is_left_as_it_is(people: People) -> None:
    first, _created = imported(people)
    events = AuditEvent.objects.count()

    again, created = imported(people, title="另一个标题", index_no=" 110000-FGW/2018-00016 ")

    assert (again.pk, created) == (first.pk, False)
    assert Document.objects.get().title == "关于做好2018年政务公开工作的通知"
    assert AuditEvent.objects.count() == events


def test_the_body_is_sanitised(people: People) -> None:
    document, _created = imported(people, body='<p onclick="x()">正文</p><script>alert(1)</script>')

    assert document.body == "<p>正文</p>"
    assert DocumentVersion.objects.get().body == "<p>正文</p>"


def test_a_document_not_proactively_disclosed_is_catalogued_but_not_public(
    people: People,
) -> None:
    basis = LegalBasis.objects.get(code="art16-process")

    document, _created = imported(
        people, disclosure=Disclosure.WITHHELD, legal_basis=basis, disclosure_reason="过程性信息"
    )

    assert document.status == Status.PUBLISHED
    assert not public_documents().exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"disclosure": Disclosure.ON_REQUEST}, PublishingErrorCode.LEGAL_BASIS_REQUIRED),
        (
            {"disclosure": Disclosure.ON_REQUEST, "basis": "art16-process", "reason": "理由"},
            PublishingErrorCode.LEGAL_BASIS_MISMATCH,
        ),
        ({"basis": "art27-on-request"}, PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED),
        ({"doc_no": "京发改2018年16号"}, PublishingErrorCode.BAD_DOC_NO),
        ({"genre": "解读"}, PublishingErrorCode.INTERPRETATION_GENRE),
        ({"index_no": "110000-FGW//2018"}, PublishingErrorCode.BAD_INDEX_NO),
        ({"index_no": "索引/2018-1"}, PublishingErrorCode.BAD_INDEX_NO),
        (
            {"published_at": PUBLISHED_AT - timedelta(days=4)},
            PublishingErrorCode.PUBLISHED_BEFORE_WRITTEN,
        ),
    ],
)
def test_the_rules_of_drafting_apply(
    people: People, overrides: dict[str, Any], code: PublishingErrorCode
) -> None:
    if "basis" in overrides:
        overrides["legal_basis"] = LegalBasis.objects.get(code=overrides.pop("basis"))
    if "reason" in overrides:
        overrides["disclosure_reason"] = overrides.pop("reason")
    if "genre" in overrides:
        overrides["genre"] = genre(overrides["genre"])

    refused(code, people, **overrides)


def test_a_document_published_in_the_future_is_refused(people: People) -> None:
    tomorrow = timezone.now() + timedelta(days=1)

    error = refused(PublishingErrorCode.PUBLISHED_IN_FUTURE, people, published_at=tomorrow)

    assert "导入的只能是已经发布的政府信息" in error.message


def test_the_author_must_be_staff(people: People) -> None:
    from gongkai.accounts.models import User

    public = User.objects.create_user(username="13900000000", kind="public")

    refused(PublishingErrorCode.AUTHOR_NOT_STAFF, people, author=public)


# Who may import.


def test_the_openness_office_over_the_organisation_may_import(people: People) -> None:
    document, created = imported(people, actor=people.office)

    assert created
    assert AuditEvent.objects.get(action="publishing.document.import").actor_id == people.office.pk
    assert ReviewEvent.objects.get(document=document).actor == people.office


@pytest.mark.parametrize("who", ["handler", "reviewer", "district_office", "outsider"])
def test_others_may_not_import(people: People, who: str) -> None:
    refused(PublishingErrorCode.PERMISSION_DENIED, people, actor=getattr(people, who))

    assert not AuditEvent.objects.filter(action="publishing.document.import").exists()


# Interpretations.


def test_an_interpretation_is_imported_with_its_policies(people: People) -> None:
    policy, _created = imported(people, genre=genre("规范性文件"))

    document, _created = imported(
        people,
        index_no="110000-FGW/2018-00017",
        title="负责人解读《关于做好2018年政务公开工作的通知》",
        genre=genre("解读"),
        interpretation=InterpretationLink(
            policies=[policy], form=InterpretationForm.LEADER, leader_name=" 王建华 "
        ),
    )

    made = Interpretation.objects.get(document=document)
    assert (made.form, made.leader_name, list(made.policies.all())) == (
        "leader",
        "王建华",
        [policy],
    )


def test_an_interpretation_follows_the_rules_of_interpretations(people: People) -> None:
    policy, _created = imported(people)
    other = {"index_no": "110000-FGW/2018-00017", "genre": genre("解读")}

    for link, code in [
        (InterpretationLink(policies=[], form="text"), PublishingErrorCode.POLICY_REQUIRED),
        (InterpretationLink([policy], form="leader"), PublishingErrorCode.LEADER_NAME_REQUIRED),
    ]:
        with pytest.raises(PublishingError) as error:
            imported(people, interpretation=link, **other)
        assert error.value.code == code
    with pytest.raises(PublishingError) as error:
        imported(people, interpretation=InterpretationLink([policy], form="text"), index_no="x-1")
    assert error.value.code == PublishingErrorCode.INTERPRETATION_GENRE
    assert Document.objects.count() == 1


# The gazette.


def test_a_document_is_listed_in_its_gazette_issue(people: People) -> None:
    placement = GazettePlacement(year=2018, number=11, published_on=date(2018, 6, 5), position=2)

    document, _created = imported(people, gazette=placement)
    second, _created = imported(
        people,
        index_no="110000-FGW/2018-00020",
        gazette=GazettePlacement(year=2018, number=11, published_on=date(2018, 6, 5)),
    )

    issue = GazetteIssue.objects.get()
    assert (issue.year, issue.number, issue.published_on) == (2018, 11, date(2018, 6, 5))
    assert list(GazetteEntry.objects.values_list("document", "sort_order")) == [
        (document.pk, 2),
        (second.pk, 3),
    ]


def test_a_gazette_placement_that_cannot_be_made_refuses_the_whole_document(
    people: People,
) -> None:
    GazetteIssue.objects.create(year=2018, number=11, published_on=date(2018, 6, 5))
    basis = LegalBasis.objects.get(code="art27-on-request")

    mismatch = GazettePlacement(year=2018, number=11, published_on=date(2018, 6, 6))
    error = refused(PublishingErrorCode.GAZETTE_DATE_MISMATCH, people, gazette=mismatch)
    assert error.message == (
        "政府公报2018年第11期已存在，出版日期为 2018-06-05，与所给的 2018-06-06 不一致。"
    )
    refused(
        PublishingErrorCode.GAZETTE_NOT_PUBLIC,
        people,
        disclosure=Disclosure.ON_REQUEST,
        legal_basis=basis,
        disclosure_reason="涉及特定对象",
        gazette=GazettePlacement(year=2018, number=11, published_on=date(2018, 6, 5)),
    )
    assert not DocumentVersion.objects.exists()
    assert not GazetteEntry.objects.exists()


def test_a_new_gazette_issue_needs_the_city_openness_office(people: People) -> None:
    placement = GazettePlacement(year=2018, number=11, published_on=date(2018, 6, 5))
    district = people.district_office
    dongcheng = district.organisation

    with pytest.raises(PublishingError) as error:
        imported(people, actor=district, organisation=dongcheng, gazette=placement)

    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    assert error.value.message == "您没有权限执行“编辑政府公报”操作。"
    assert not Document.objects.exists()


# 索引号 sequences.


def test_the_sequence_moves_past_an_imported_number(people: People) -> None:
    imported(people, index_no="110000-FGW/2025-00007")
    IndexSequence.objects.filter(year=2025).update()

    assert draft(people.handler).index_no == "110000-FGW/2025-00008"
    assert IndexSequence.objects.get(year=2025).last == 8


def test_the_sequence_never_moves_back(people: People) -> None:
    for _ in range(3):
        draft(people.handler)
    imported(people, index_no="110000-FGW/2025-00002")

    assert IndexSequence.objects.get(year=2025).last == 3
    assert draft(people.handler).index_no == "110000-FGW/2025-00004"


def test_numbers_of_another_form_or_organisation_leave_the_sequence(people: People) -> None:
    imported(people, index_no="000014349/2025-00123")
    imported(people, index_no="110000-CZJ/2025-00050")

    assert not IndexSequence.objects.exists()
    assert draft(people.handler).index_no == "110000-FGW/2025-00001"


def test_a_created_document_skips_an_imported_number_the_sequence_did_not_see(
    people: People,
) -> None:
    """Numbers imported before this rule existed (or under another template) are still
    skipped when the sequence reaches them."""
    imported(people, index_no="110000-FGW/2025-00001")
    IndexSequence.objects.all().delete()

    assert draft(people.handler).index_no == "110000-FGW/2025-00002"


def test_validity_is_kept(people: People) -> None:
    document, _created = imported(people, validity=Validity.EXPIRED)

    assert document.validity == Validity.EXPIRED
