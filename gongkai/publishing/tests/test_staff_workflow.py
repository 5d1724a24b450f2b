"""The workflow through the staff document page: the offered actions, the full flow, the 同步
rule at publication, returning, withdrawing, revising, and refusals (403, 409, 400)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.publishing import services
from gongkai.publishing.models import (
    CheckResult,
    Document,
    DocumentVersion,
    ReviewEvent,
    ReviewTerm,
    ReviewTermKind,
    Status,
    Validity,
)
from gongkai.publishing.workflow import ACTION_PERMISSIONS, Action

from .staff_support import act, action_errors, document_data, document_url, login, offered
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
def orgs() -> dict:
    return make_orgs()


@pytest.fixture
def people(orgs: dict) -> People:
    return make_people(orgs)


@pytest.fixture
def document(people: People) -> Document:
    return draft(people.handler)


def status_of(document: Document) -> str:
    document.refresh_from_db()
    return document.status


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---- The offered actions ---------------------------------------------------------------------


def test_every_action_on_a_document_has_its_permission() -> None:
    assert set(ACTION_PERMISSIONS) == set(Action) - {Action.CREATE}


def test_each_user_is_offered_the_actions_they_may_take(
    client: Client, people: People, document: Document
) -> None:
    url = document_url(document)
    response = login(client, people.handler).get(url)
    assert offered(response) == ["submit"]
    assert response.context["can_edit"]
    assert offered(login(client, people.reviewer).get(url)) == []

    services.document_submit(actor=people.handler, document=document)
    assert offered(login(client, people.handler).get(url)) == ["recall"]
    assert offered(login(client, people.colleague).get(url)) == []
    assert offered(login(client, people.reviewer).get(url)) == ["start_review"]

    services.document_start_review(actor=people.reviewer, document=document)
    assert offered(login(client, people.reviewer).get(url)) == ["return", "approve"]
    assert offered(login(client, people.handler).get(url)) == []

    services.document_approve(actor=people.reviewer, document=document)
    assert offered(login(client, people.reviewer).get(url)) == ["publish"]
    services.document_publish(actor=people.reviewer, document=document)
    assert offered(login(client, people.reviewer).get(url)) == [
        "start_revision",
        "withdraw",
        "set_validity",
    ]
    assert offered(login(client, people.handler).get(url)) == ["start_revision"]


def test_exemption_is_offered_for_normative_documents_and_linking_for_interpretations(
    client: Client, people: People
) -> None:
    policy = advance(draft(people.handler, genre=genre("规范性文件")), Status.SUBMITTED, people)
    explained = interpretation(people.handler, policy).document

    assert offered(login(client, people.reviewer).get(document_url(policy))) == [
        "start_review",
        "exempt",
    ]
    assert offered(login(client, people.handler).get(document_url(explained))) == [
        "submit",
        "link",
    ]


def test_the_drafter_is_not_offered_approval(client: Client, people: People, orgs: dict) -> None:
    both = make_staff("both", orgs["fgw"], Role.HANDLER, Role.REVIEWER)
    own = draft(both)
    services.document_submit(actor=both, document=own)
    services.document_start_review(actor=both, document=own)

    assert offered(login(client, both).get(document_url(own))) == ["return"]
    response = act(client, own, "approve")
    assert response.status_code == 403
    assert "审核人不能审核通过自己起草的政府信息" in response.content.decode()
    assert status_of(own) == Status.IN_REVIEW


# ---- The full flow ---------------------------------------------------------------------------


def test_create_submit_review_approve_with_override_and_publish(
    client: Client, people: People
) -> None:
    ReviewTerm.objects.create(term="最高级", kind=ReviewTermKind.SENSITIVE)
    handler = login(Client(), people.handler)
    reviewer = login(client, people.reviewer)
    data = document_data(people.handler, summary="建设最高级的政务公开平台。")
    assert handler.post(reverse("publishing:staff-create"), data).status_code == 302
    document = Document.objects.get()

    response = act(handler, document, "submit")
    assert response.status_code == 302
    assert status_of(document) == Status.SUBMITTED
    failing = CheckResult.objects.get(document=document, passed=False)
    assert failing.code == "terms"

    assert act(reviewer, document, "start_review").status_code == 302
    page = reviewer.get(document_url(document)).content.decode()
    assert "含敏感词“最高级”，请核实" in page
    assert "“敏感词和易错词”未通过，放行理由" in page

    response = act(reviewer, document, "approve")
    assert response.status_code == 400
    assert action_errors(response, "approve") == {
        "__all__": ["以下发布前检查未通过，审核通过须逐项填写放行理由：敏感词和易错词。"]
    }
    assert status_of(document) == Status.IN_REVIEW

    response = act(reviewer, document, "approve", override_terms="“最高级”为平台建设目标的表述")
    assert response.status_code == 302
    assert status_of(document) == Status.APPROVED
    failing.refresh_from_db()
    assert failing.override_reason == "“最高级”为平台建设目标的表述"

    response = act(reviewer, document, "publish", when="now")
    assert response.status_code == 302
    assert status_of(document) == Status.PUBLISHED
    assert "已发布。" in messages_of(reviewer.get(response["Location"]))
    public = reverse("publishing:detail", args=[document.index_no])
    assert Client().get(public).status_code == 200
    assert [event.to_status for event in ReviewEvent.objects.filter(document=document)] == [
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.APPROVED,
        Status.PUBLISHED,
    ]
    assert f'href="{public}"' in reviewer.get(document_url(document)).content.decode()


def test_a_policy_is_published_together_with_its_interpretation(
    client: Client, people: People
) -> None:
    policy = draft(people.handler, title="北京市某管理办法", genre=genre("规范性文件"))
    explained = interpretation(people.handler, policy).document
    advance(policy, Status.APPROVED, people)
    advance(explained, Status.APPROVED, people)
    login(client, people.reviewer)

    page = client.get(document_url(policy))
    field = page.context["action_forms"][0][1]["interpretations"]
    assert [choice.data["value"].value for choice in field] == [explained.pk]  # offered
    assert field.value() == [explained.pk]  # and ticked
    assert explained.title in page.content.decode()

    response = act(client, policy, "publish", when="now")
    assert response.status_code == 400
    assert (
        "是规范性文件，须有已发布或同时发布的政策解读"
        in action_errors(response, "publish")["__all__"][0]
    )
    assert (status_of(policy), status_of(explained)) == (Status.APPROVED, Status.APPROVED)

    response = act(client, policy, "publish", when="now", interpretations=[explained.pk])
    assert response.status_code == 302
    assert (status_of(policy), status_of(explained)) == (Status.PUBLISHED, Status.PUBLISHED)


def test_a_scheduled_publication_waits_and_a_past_time_is_refused(
    client: Client, people: People, document: Document
) -> None:
    advance(document, Status.APPROVED, people)
    login(client, people.reviewer)

    past = timezone.localtime() - timedelta(hours=1)
    response = act(client, document, "publish", when="schedule", at=past.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 400
    assert action_errors(response, "publish") == {"at": ["定时发布时间须晚于当前时间。"]}
    response = act(client, document, "publish", when="schedule", at="")
    assert action_errors(response, "publish") == {"at": ["请填写定时发布时间。"]}
    response = act(client, document, "publish", when="schedule", at="明天")
    assert response.status_code == 400

    later = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = act(
        client, document, "publish", when="schedule", at=later.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.scheduled_at) == (Status.APPROVED, later)
    assert "已定时于" in messages_of(client.get(response["Location"]))[0]


def test_return_needs_a_note(client: Client, people: People, document: Document) -> None:
    advance(document, Status.IN_REVIEW, people)
    login(client, people.reviewer)

    response = act(client, document, "return", note="   ")
    assert response.status_code == 400
    assert action_errors(response, "return") == {"note": ["这个字段是必填项。"]}
    assert status_of(document) == Status.IN_REVIEW

    response = act(client, document, "return", note="请补充实施时间。")
    assert response.status_code == 302
    assert status_of(document) == Status.DRAFT
    event = ReviewEvent.objects.filter(document=document).last()
    assert event is not None
    assert (event.to_status, event.note, event.actor) == (
        Status.DRAFT,
        "请补充实施时间。",
        people.reviewer,
    )
    assert (
        "请补充实施时间。"
        in login(client, people.handler).get(document_url(document)).content.decode()
    )


def test_recall_by_the_drafter(client: Client, people: People, document: Document) -> None:
    advance(document, Status.SUBMITTED, people)

    assert act(login(client, people.colleague), document, "recall").status_code == 403
    assert act(login(client, people.handler), document, "recall").status_code == 302
    assert status_of(document) == Status.DRAFT


def test_withdraw_with_a_reason(client: Client, people: People, document: Document) -> None:
    advance(document, Status.PUBLISHED, people)
    login(client, people.reviewer)

    assert act(client, document, "withdraw", reason="").status_code == 400
    assert status_of(document) == Status.PUBLISHED

    assert act(client, document, "withdraw", reason="政策调整，停止执行").status_code == 302
    document.refresh_from_db()
    assert (document.status, document.withdrawn_reason) == (Status.WITHDRAWN, "政策调整，停止执行")
    public = Client().get(reverse("publishing:detail", args=[document.index_no]))
    assert public.status_code == 410
    assert "政策调整，停止执行" in public.content.decode()


def test_a_revision_is_drafted_reviewed_and_published_as_version_two(
    client: Client, people: People, document: Document
) -> None:
    advance(document, Status.PUBLISHED, people)
    handler = login(Client(), people.handler)
    reviewer = login(client, people.reviewer)

    assert act(handler, document, "start_revision", change_note="").status_code == 400
    assert act(handler, document, "start_revision", change_note="更正实施日期").status_code == 302
    document.refresh_from_db()
    assert (document.status, document.version) == (Status.DRAFT, 2)
    edit = reverse("publishing:staff-edit", args=[document.pk])
    revised = document_data(people.handler, title="关于做好2025年政务公开工作的通知（修订）")
    assert handler.post(edit, revised).status_code == 302
    assert act(handler, document, "submit").status_code == 302
    assert act(reviewer, document, "start_review").status_code == 302
    assert act(reviewer, document, "approve").status_code == 302
    assert act(reviewer, document, "publish", when="now").status_code == 302

    versions = DocumentVersion.objects.filter(document=document).order_by("version")
    assert [(v.version, v.change_note) for v in versions] == [(1, ""), (2, "更正实施日期")]
    public = Client().get(reverse("publishing:detail", args=[document.index_no])).content.decode()
    assert "关于做好2025年政务公开工作的通知（修订）" in public
    assert "更正实施日期" in public


def test_exemption_lets_a_policy_be_published_without_an_interpretation(
    client: Client, people: People
) -> None:
    policy = advance(draft(people.handler, genre=genre("规范性文件")), Status.IN_REVIEW, people)
    login(client, people.reviewer)

    assert act(client, policy, "exempt", reason="").status_code == 400
    assert act(client, policy, "exempt", reason="内部管理规定，无须解读").status_code == 302
    overrides = {"override_interpretation": "已记录免于解读的理由"}
    assert act(client, policy, "approve", **overrides).status_code == 302
    assert act(client, policy, "publish", when="now").status_code == 302
    assert status_of(policy) == Status.PUBLISHED


def test_validity_names_the_replacing_document(
    client: Client, people: People, document: Document
) -> None:
    advance(document, Status.PUBLISHED, people)
    newer = advance(draft(people.handler, title="新的通知"), Status.PUBLISHED, people)
    unpublished = draft(people.handler, title="草稿")
    login(client, people.reviewer)

    for index_no in ("110000-FGW/2099-00001", unpublished.index_no):
        response = act(client, document, "set_validity", validity="repealed", replaced_by=index_no)
        assert response.status_code == 400
        assert action_errors(response, "set_validity") == {
            "replaced_by": [f"找不到索引号为“{index_no}”的已发布政府信息。"]
        }
    response = act(client, document, "set_validity", validity="expired", replaced_by=newer.index_no)
    assert response.status_code == 400
    assert "只有“已修改”或“废止”的文件可以关联替代文件" in response.content.decode()

    response = act(
        client, document, "set_validity", validity="repealed", replaced_by=newer.index_no
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.validity, document.replaced_by) == (Validity.REPEALED, newer)


def test_an_interpretation_is_linked_to_a_further_policy(client: Client, people: People) -> None:
    first = draft(people.handler, title="第一件政策")
    second = draft(people.handler, title="第二件政策")
    explained = interpretation(people.handler, first)
    login(client, people.handler)

    response = act(client, explained.document, "link", policies=[first.pk])
    assert response.status_code == 400  # already linked: not a choice
    assert act(client, explained.document, "link", policies=[second.pk]).status_code == 302
    assert set(explained.policies.all()) == {first, second}


# ---- Refusals --------------------------------------------------------------------------------


def test_an_action_the_user_may_not_take_is_forbidden_and_changes_nothing(
    client: Client, people: People, document: Document
) -> None:
    advance(document, Status.IN_REVIEW, people)
    events = ReviewEvent.objects.count()

    response = act(login(client, people.colleague), document, "approve")

    assert response.status_code == 403
    assert "您没有权限执行“审核通过”操作。" in response.content.decode()
    assert status_of(document) == Status.IN_REVIEW
    assert ReviewEvent.objects.count() == events


def test_an_action_the_status_does_not_allow_is_a_conflict(
    client: Client, people: People, document: Document
) -> None:
    response = act(login(client, people.reviewer), document, "start_review")

    assert response.status_code == 409
    assert messages_of(response) == [
        "“关于做好2025年政务公开工作的通知”当前状态为“草稿”，不能执行“开始审核”操作。"
    ]
    assert status_of(document) == Status.DRAFT


def test_other_documents_unknown_actions_and_gets_are_refused(
    client: Client, people: People, document: Document
) -> None:
    login(client, people.outsider)
    assert act(client, document, "submit").status_code == 404
    login(client, people.handler)
    assert act(client, document, "destroy").status_code == 404
    assert (
        client.get(reverse("publishing:staff-action", args=[document.pk, "submit"])).status_code
        == 405
    )
    assert status_of(document) == Status.DRAFT
    huge = "99999999999999999999999"
    assert client.get(f"/xxgk/gl/{huge}/").status_code == 404
    assert client.post(f"/xxgk/gl/{huge}/submit/").status_code == 404
