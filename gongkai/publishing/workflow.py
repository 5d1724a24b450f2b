"""The review workflow of a document: the transition table and the rules a move must meet.

    draft ─submit→ submitted ─start_review→ in_review ─approve→ approved ─publish→ published
      ↑               │recall                  │return                      │ start_revision
      └───────────────┴────────────────────────┴─────────────────────────────┘ (version + 1)
    published ─withdraw→ withdrawn

``publish`` with a time in the future schedules: the document stays approved with
``scheduled_at`` until ``services.publish_due`` publishes it. Some actions do not move the
document but are allowed only in some statuses (editing a draft, recording an exemption,
masking personal data in a draft or under review, …); they map a status to itself. Creating a
document is not in the table: it starts as a draft.

Every attribute goes through the same workflow. Only 主动公开 documents are ever shown to the
public (``permissions.public_q``); 依申请公开 and 不予公开 documents are "published" into the
internal catalogue only, keeping ``published_at`` and their versions like the others.
"""

from collections.abc import Callable, Collection

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import permissions
from .errors import PublishingError, PublishingErrorCode
from .models import Disclosure, Document, Interpretation, LegalBasis, Status
from .permissions import AnyUser, public_q


class Action(models.TextChoices):
    CREATE = "create", _("新建政府信息")
    EDIT = "edit", _("修改草稿")
    SUBMIT = "submit", _("提交审核")
    RECALL = "recall", _("撤回提交")
    START_REVIEW = "start_review", _("开始审核")
    RETURN = "return", _("退回修改")
    APPROVE = "approve", _("审核通过")
    PUBLISH = "publish", _("发布")
    START_REVISION = "start_revision", _("开始修订")
    WITHDRAW = "withdraw", _("撤回发布")
    EXEMPT = "exempt", _("记录免于同步解读的理由")
    SET_VALIDITY = "set_validity", _("变更有效性")
    LINK = "link", _("关联所解读的政策")
    MASK = "mask", _("遮盖个人信息")


_BEFORE_PUBLICATION = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED)

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.RECALL): Status.DRAFT,
    (Status.SUBMITTED, Action.START_REVIEW): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.RETURN): Status.DRAFT,
    (Status.IN_REVIEW, Action.APPROVE): Status.APPROVED,
    (Status.APPROVED, Action.PUBLISH): Status.PUBLISHED,
    (Status.PUBLISHED, Action.START_REVISION): Status.DRAFT,
    (Status.PUBLISHED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PUBLISHED, Action.SET_VALIDITY): Status.PUBLISHED,
    **{(status, Action.EXEMPT): status for status in _BEFORE_PUBLICATION},
    **{(status, Action.LINK): status for status in (*_BEFORE_PUBLICATION, Status.PUBLISHED)},
    (Status.DRAFT, Action.MASK): Status.DRAFT,
    (Status.IN_REVIEW, Action.MASK): Status.IN_REVIEW,
}
"""(current status, action) → the status after the action; anything absent is refused."""

Permission = Callable[[AnyUser, Document], bool]

ACTION_PERMISSIONS: dict[Action, Permission] = {
    Action.EDIT: permissions.can_edit,
    Action.SUBMIT: permissions.can_edit,
    Action.RECALL: permissions.can_recall,
    Action.START_REVIEW: permissions.can_review,
    Action.RETURN: permissions.can_review,
    Action.APPROVE: permissions.can_approve,
    Action.PUBLISH: permissions.can_review,
    Action.START_REVISION: permissions.can_start_revision,
    Action.WITHDRAW: permissions.can_review,
    Action.EXEMPT: permissions.can_review,
    Action.SET_VALIDITY: permissions.can_review,
    Action.LINK: permissions.can_link_interpretation,
    Action.MASK: permissions.can_mask_personal_data,
}
"""Who may take each action on a document (the services ask it; ``Action.CREATE`` concerns an
organisation, not a document: ``permissions.can_draft``)."""


def next_status(document: Document, action: Action) -> Status:
    """The status ``action`` moves ``document`` to; ``BAD_TRANSITION`` if it is not allowed."""
    status = Status(document.status)
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise PublishingError(
            PublishingErrorCode.BAD_TRANSITION,
            title=document.title,
            status=status.label,
            action=action.label,
        )
    return target


def allowed_actions(status: Status) -> list[Action]:
    """The actions the table allows in ``status`` (whoever may take them), in table order."""
    return [action for (current, action) in TRANSITIONS if current == status]


def available_actions(user: AnyUser, document: Document) -> list[Action]:
    """The actions ``user`` may take on ``document`` now: allowed in its status, permitted to
    ``user``, and meaningful for it (an exemption for a 规范性文件 only, linking policies for
    an interpretation only)."""
    return [
        action
        for action in allowed_actions(Status(document.status))
        if ACTION_PERMISSIONS[action](user, document)
        and (action != Action.EXEMPT or document.genre.is_normative)
        and (action != Action.LINK or document.genre.is_interpretation)
    ]


def disclosure_error(
    *, disclosure: str, legal_basis: LegalBasis | None, reason: str
) -> PublishingError | None:
    """The attribute rule (国办发〔2016〕80号 一(一)): an attribute is required; anything but
    主动公开 needs a legal basis for that attribute and a reason; 主动公开 carries neither."""
    if disclosure not in Disclosure.values:
        return PublishingError(PublishingErrorCode.DISCLOSURE_REQUIRED)
    if disclosure == Disclosure.PROACTIVE:
        if legal_basis is not None or reason.strip():
            return PublishingError(PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED)
        return None
    label = Disclosure(disclosure).label
    if legal_basis is None:
        return PublishingError(PublishingErrorCode.LEGAL_BASIS_REQUIRED, disclosure=label)
    if legal_basis.attribute != disclosure:
        return PublishingError(
            PublishingErrorCode.LEGAL_BASIS_MISMATCH,
            basis=str(legal_basis),
            expected=Disclosure(legal_basis.attribute).label,
            disclosure=label,
        )
    if not reason.strip():
        return PublishingError(PublishingErrorCode.DISCLOSURE_REASON_REQUIRED, disclosure=label)
    return None


def sync_satisfied(document: Document, *, together: Collection[Document] = ()) -> bool:
    """The 同步 rule: a 规范性文件 is published only with a linked interpretation that is public
    already or published ``together`` with it, unless an exemption reason is recorded."""
    if not document.genre.is_normative or document.interpretation_exempt_reason.strip():
        return True
    together_ids = [interpretation.pk for interpretation in together]
    linked = Interpretation.objects.filter(policies=document)
    return linked.filter(public_q("document__") | Q(document__in=together_ids)).exists()
