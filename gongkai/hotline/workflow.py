"""The life of a work order: the transition table.

    received ─answer→ closed (直接办结)
    received ─dispatch→ dispatched ─accept→ in_progress ─reply→ replied ─close→ closed
                            │ send_back                                  │ reopen (重办)
                            ↓                                            ↓
                         returned ─dispatch→ dispatched            in_progress
    received / returned ─merge→ merged

A send-back ends the lead organisation's assignment and returns the order to the dispatchers;
a reopened order goes back to its lead organisation, already accepted. Notes and contact records
are allowed while an organisation works on the order; a call-back while it is replied.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import HotlineError, HotlineErrorCode
from .models import Status


class Action(models.TextChoices):
    ANSWER = "answer", _("直接答复办结")
    DISPATCH = "dispatch", _("派单")
    ACCEPT = "accept", _("签收")
    SEND_BACK = "send_back", _("退单")
    NOTE = "note", _("记录办理情况")
    REPLY = "reply", _("答复")
    CALL_BACK = "call_back", _("回访")
    REOPEN = "reopen", _("重办")
    CLOSE = "close", _("办结")
    MERGE = "merge", _("并单")


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.ANSWER): Status.CLOSED,
    (Status.RECEIVED, Action.DISPATCH): Status.DISPATCHED,
    (Status.RECEIVED, Action.MERGE): Status.MERGED,
    (Status.RETURNED, Action.DISPATCH): Status.DISPATCHED,
    (Status.RETURNED, Action.ANSWER): Status.CLOSED,
    (Status.RETURNED, Action.MERGE): Status.MERGED,
    (Status.DISPATCHED, Action.ACCEPT): Status.IN_PROGRESS,
    (Status.DISPATCHED, Action.SEND_BACK): Status.RETURNED,
    (Status.DISPATCHED, Action.NOTE): Status.DISPATCHED,
    (Status.IN_PROGRESS, Action.NOTE): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.REPLY): Status.REPLIED,
    (Status.REPLIED, Action.CALL_BACK): Status.REPLIED,
    (Status.REPLIED, Action.REOPEN): Status.IN_PROGRESS,
    (Status.REPLIED, Action.CLOSE): Status.CLOSED,
}


# Statuses grouped by what may still happen to an order.
AWAITING_DISPATCH = (Status.RECEIVED, Status.RETURNED)
"""With the dispatchers: dispatched, answered or merged next."""
AT_ORGANISATION = (Status.DISPATCHED, Status.IN_PROGRESS)
"""With the lead organisation before its reply: it may ask for more time."""
OPEN = (*AWAITING_DISPATCH, *AT_ORGANISATION)
"""Not yet replied: overdue once past its time limit."""
SUPERVISABLE = (*OPEN, Status.REPLIED)
"""Until it is closed (a reply may still be reopened)."""
FINISHED = (Status.CLOSED, Status.MERGED)
"""Nothing more happens to it."""


def next_status(status: str, action: Action) -> Status:
    """The status ``action`` leads to from ``status``; refused if the table has no such move."""
    try:
        return TRANSITIONS[(Status(status), action)]
    except KeyError:
        raise HotlineError(
            HotlineErrorCode.BAD_TRANSITION, action=action.label, status=Status(status).label
        ) from None
