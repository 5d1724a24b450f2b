"""Reads of government information that encode rules."""

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.accounts.models import User
from gongkai.core.calendar import add_workdays

from .deadlines import PUBLICATION_WORKDAYS, publication_due_on
from .models import Disclosure, Document
from .permissions import staff_documents


@dataclass(frozen=True)
class DueDocument:
    document: Document
    due_on: date
    provisional: bool  # the due date depends on a year whose holiday notice is not entered
    overdue: bool


@dataclass(frozen=True)
class DueDocuments:
    overdue: list[DueDocument]
    due_soon: list[DueDocument]


def documents_due(*, user: User, today: date, soon_days: int = 5) -> DueDocuments:
    """主动公开 documents in ``user``'s staff lists that were never published, whose art. 26
    limit has passed (``overdue``) or ends within ``soon_days`` working days of ``today``
    (``due_soon``, today included); each list by due date."""
    horizon = add_workdays(today, soon_days)
    # n working days after a day are at least n calendar days after it.
    candidates = (
        staff_documents(user)
        .filter(
            disclosure=Disclosure.PROACTIVE,
            published_at__isnull=True,
            formed_on__lte=horizon - timedelta(days=PUBLICATION_WORKDAYS),
        )
        .select_related("organisation")
        .order_by("formed_on", "pk")
    )
    overdue: list[DueDocument] = []
    due_soon: list[DueDocument] = []
    for document in candidates:
        due = publication_due_on(document)
        if due.date <= horizon:
            item = DueDocument(document, due.date, due.provisional, overdue=due.date < today)
            (overdue if item.overdue else due_soon).append(item)
    return DueDocuments(overdue=overdue, due_soon=due_soon)
