"""Every (status, action) pair: allowed as the transition table says, refused otherwise."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.publishing import services
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import Document, DocumentVersion, ReviewEvent, Status, Validity
from gongkai.publishing.workflow import TRANSITIONS, Action, allowed_actions

from .workflow_support import People, advance, draft, genre, interpretation, make_orgs, make_people

pytestmark = pytest.mark.django_db

ACTIONS = [action for action in Action if action != Action.CREATE]
Run = Callable[[Document, People], object]

RUN: dict[Action, Run] = {
    Action.EDIT: lambda d, p: services.document_update(actor=p.handler, document=d, title="新标题"),
    Action.SUBMIT: lambda d, p: services.document_submit(actor=p.handler, document=d),
    Action.RECALL: lambda d, p: services.document_recall(actor=p.handler, document=d),
    Action.START_REVIEW: lambda d, p: services.document_start_review(actor=p.reviewer, document=d),
    Action.RETURN: lambda d, p: services.document_return(
        actor=p.reviewer, document=d, note="请补充依据"
    ),
    Action.APPROVE: lambda d, p: services.document_approve(actor=p.reviewer, document=d),
    Action.PUBLISH: lambda d, p: services.document_publish(actor=p.reviewer, document=d),
    Action.START_REVISION: lambda d, p: services.document_start_revision(
        actor=p.reviewer, document=d, change_note="更新附件"
    ),
    Action.WITHDRAW: lambda d, p: services.document_withdraw(
        actor=p.reviewer, document=d, reason="政策调整"
    ),
    Action.EXEMPT: lambda d, p: services.document_exempt_from_interpretation(
        actor=p.reviewer, document=d, reason="内容简单，无须解读"
    ),
    Action.SET_VALIDITY: lambda d, p: services.document_set_validity(
        actor=p.reviewer, document=d, validity=Validity.EXPIRED
    ),
    Action.LINK: lambda d, p: services.interpretation_link(
        actor=p.reviewer, interpretation=d.interpretation, policies=[draft(p.handler)]
    ),
    Action.MASK: lambda d, p: services.document_mask_personal_data(
        actor=p.handler if d.status == Status.DRAFT else p.reviewer, document=d
    ),
}


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


def subject(action: Action, status: Status, people: People) -> Document:
    """A document in ``status`` that ``action`` can apply to: an interpretation for LINK, else
    a 规范性文件 exempted from 同步解读 (so that it can be exempted and published)."""
    if action == Action.LINK:
        document = interpretation(people.handler, draft(people.handler)).document
    else:
        document = draft(people.handler, genre=genre("规范性文件"))
        services.document_update(
            actor=people.handler, document=document, interpretation_exempt_reason="仅调整文字"
        )
    return advance(document, status, people)


def test_every_action_except_create_has_a_runner() -> None:
    assert set(RUN) == set(ACTIONS)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", ACTIONS)
def test_the_table_decides(status: Status, action: Action, people: People) -> None:
    document = subject(action, status, people)
    events = ReviewEvent.objects.filter(document=document).count()
    target = TRANSITIONS.get((status, action))

    if target is None:
        with pytest.raises(PublishingError) as error:
            RUN[action](document, people)
        assert error.value.code == PublishingErrorCode.BAD_TRANSITION
        assert error.value.message == (
            f"“{document.title}”当前状态为“{status.label}”，不能执行“{action.label}”操作。"
        )
        document.refresh_from_db()
        assert document.status == status
        assert ReviewEvent.objects.filter(document=document).count() == events
    else:
        RUN[action](document, people)
        document.refresh_from_db()
        assert document.status == target
        moved = ReviewEvent.objects.filter(document=document).count() - events
        assert moved == (1 if target != status else 0)


def test_allowed_actions_follow_the_table() -> None:
    assert allowed_actions(Status.PUBLISHED) == [
        Action.START_REVISION,
        Action.WITHDRAW,
        Action.SET_VALIDITY,
        Action.LINK,
    ]
    assert allowed_actions(Status.WITHDRAWN) == []


def test_each_step_is_recorded_with_actor_and_note(people: People) -> None:
    document = draft(people.handler)
    services.document_submit(actor=people.handler, document=document)
    services.document_start_review(actor=people.reviewer, document=document)
    services.document_return(actor=people.reviewer, document=document, note="  请补充依据 ")

    steps = list(
        ReviewEvent.objects.filter(document=document).values_list(
            "from_status", "to_status", "actor__username", "note"
        )
    )
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, "handler", ""),
        (Status.SUBMITTED, Status.IN_REVIEW, "reviewer", ""),
        (Status.IN_REVIEW, Status.DRAFT, "reviewer", "请补充依据"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_type="publishing.document", object_id=str(document.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "publishing.document.create",
        "publishing.document.submit",
        "publishing.document.start_review",
        "publishing.document.return",
    ]


@pytest.mark.parametrize(
    ("status", "run", "what"),
    [
        (
            Status.IN_REVIEW,
            lambda d, p: services.document_return(actor=p.reviewer, document=d, note=" "),
            "退回意见",
        ),
        (
            Status.PUBLISHED,
            lambda d, p: services.document_start_revision(
                actor=p.reviewer, document=d, change_note=""
            ),
            "修订说明",
        ),
        (
            Status.PUBLISHED,
            lambda d, p: services.document_withdraw(actor=p.reviewer, document=d, reason="\n"),
            "撤回理由",
        ),
    ],
)
def test_a_move_that_needs_a_text_is_refused_without_it(
    status: Status, run: Run, what: str, people: People
) -> None:
    document = advance(draft(people.handler), status, people)
    with pytest.raises(PublishingError) as error:
        run(document, people)
    assert error.value.code == PublishingErrorCode.TEXT_REQUIRED
    assert error.value.message == f"请填写{what}。"
    document.refresh_from_db()
    assert (document.status, document.version) == (status, 1)


def test_a_future_time_schedules_and_publish_due_publishes(people: People) -> None:
    document = advance(draft(people.handler), Status.APPROVED, people)
    at = timezone.now() + timedelta(days=1)

    services.document_publish(actor=people.reviewer, document=document, at=at)
    document.refresh_from_db()
    assert (document.status, document.scheduled_at, document.published_at) == (
        Status.APPROVED,
        at,
        None,
    )
    assert services.publish_due(now=at - timedelta(seconds=1)) == 0

    assert services.publish_due(now=at) == 1
    document.refresh_from_db()
    assert (document.status, document.scheduled_at, document.published_at) == (
        Status.PUBLISHED,
        None,
        at,
    )
    assert DocumentVersion.objects.get(document=document).published_at == at
    last = ReviewEvent.objects.filter(document=document).last()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor, last.note) == (
        Status.APPROVED,
        Status.PUBLISHED,
        None,
        "第1版",
    )
    assert services.publish_due(now=at + timedelta(days=1)) == 0


def test_a_scheduled_document_can_still_be_published_now(people: People) -> None:
    document = advance(draft(people.handler), Status.APPROVED, people)
    services.document_publish(
        actor=people.reviewer, document=document, at=timezone.now() + timedelta(days=1)
    )
    services.document_publish(actor=people.reviewer, document=document)
    document.refresh_from_db()
    assert (document.status, document.scheduled_at) == (Status.PUBLISHED, None)
    assert services.publish_due(now=timezone.now() + timedelta(days=2)) == 0
