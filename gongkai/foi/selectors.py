"""Reads of disclosure on request: staff queues, what an applicant may see, the row of the annual
report an application counts under, and requests that should become proactive disclosure."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.core import calendar
from gongkai.core.privacy import mask

from . import clock
from .models import Application, Outcome
from .permissions import AnyUser, handled_applications

OPEN = (clock.Status.RUNNING, clock.Status.PAUSED_CORRECTION, clock.Status.PAUSED_FEE)
DUE_SOON_WORKDAYS = 3
CORRECTION_WARNING_WORKDAYS = 2
ROWS = (
    ["granted", "partial"]
    + [f"d{i}" for i in range(1, 9)]
    + [f"u{i}" for i in range(1, 4)]
    + [f"n{i}" for i in range(1, 6)]
    + [f"o{i}" for i in range(1, 4)]
)
"""The outcome rows of table 三 (（一）–（六）), in the table's order."""


def report_row(outcome: str) -> str:
    """The row of table 三 an outcome is counted under (``GONGKAI_FOI_OUTCOME_ROWS`` for those
    the format has no row for)."""
    row = settings.GONGKAI_FOI_OUTCOME_ROWS.get(outcome, outcome)
    if row not in ROWS:
        raise ValueError(f"GONGKAI_FOI_OUTCOME_ROWS maps {outcome!r} to {row!r}, not a row")
    return row


@dataclass(frozen=True)
class Queues:
    due_soon: QuerySet[Application]
    """Running, due within ``DUE_SOON_WORKDAYS`` working days (not yet overdue)."""
    overdue: QuerySet[Application]
    awaiting_applicant: QuerySet[Application]
    """Paused: waiting for a correction or a payment."""
    correction_deadline: QuerySet[Application]
    """Running, and the last day to request a 补正 is within two working days."""
    open: QuerySet[Application]


def staff_queues(user: AnyUser, *, today: date | None = None) -> Queues:
    today = today or timezone.localdate()
    mine = handled_applications(user).select_related("organisation")
    running = mine.filter(status=clock.Status.RUNNING)
    soon = calendar.add_workdays(today, DUE_SOON_WORKDAYS)
    warn = calendar.add_workdays(today, CORRECTION_WARNING_WORKDAYS)
    return Queues(
        due_soon=running.filter(due_on__gte=today, due_on__lte=soon).order_by("due_on", "id"),
        overdue=running.filter(due_on__lt=today).order_by("due_on", "id"),
        awaiting_applicant=mine.filter(
            status__in=[clock.Status.PAUSED_CORRECTION, clock.Status.PAUSED_FEE]
        ).order_by("applicant_due_on", "id"),
        correction_deadline=running.filter(
            correction_request_by__gte=today, correction_request_by__lte=warn
        ).order_by("correction_request_by", "id"),
        open=mine.filter(status__in=OPEN).order_by("due_on", "id"),
    )


def staff_search(user: AnyUser, *, text: str = "", status: str = "") -> QuerySet[Application]:
    """The applications ``user`` handles, by receipt number, applicant or information."""
    found = handled_applications(user).select_related("organisation")
    if text.strip():
        words = text.strip()
        found = found.filter(
            Q(receipt_no__icontains=words)
            | Q(name__icontains=words)
            | Q(information__icontains=words)
        )
    if status:
        found = found.filter(status=status)
    return found.order_by("-received_on", "-id")


@dataclass(frozen=True)
class ApplicantView:
    """An application's personal data as a given viewer may see it."""

    name: str
    id_number: str
    phone: str
    email: str
    address: str


def personal_data(application: Application, *, full: bool) -> ApplicantView:
    """In full for the handling staff (and the applicant); masked for anyone else."""
    values = [
        application.name,
        application.id_number,
        application.phone,
        application.email,
        application.address,
    ]
    if not full:
        values = [mask(value) if value else value for value in values]
    return ApplicantView(*values)


@dataclass(frozen=True)
class RepeatedRequest:
    """Information several applicants asked for and were given (art. 44)."""

    organisation_id: int
    information: str
    doc_no: str
    applications: tuple[Application, ...]


def proactive_candidates(user: AnyUser, *, minimum: int = 2) -> list[RepeatedRequest]:
    """Information disclosed to ``minimum`` or more applicants of an organisation: it may be
    disclosed proactively (art. 44). Requests are grouped by 文号 where given, else by the
    description with spaces and punctuation removed."""
    granted = (
        handled_applications(user)
        .filter(outcome__in=[Outcome.GRANTED, Outcome.PARTIAL])
        .order_by("closed_on", "id")
    )
    groups: defaultdict[tuple[int, str], list[Application]] = defaultdict(list)
    for application in granted:
        key = application.doc_no.strip() or "".join(
            char for char in application.information if char.isalnum()
        )
        groups[(application.organisation_id, key)].append(application)
    repeated = [
        RepeatedRequest(org, found[-1].information, found[-1].doc_no, tuple(found))
        for (org, _key), found in groups.items()
        if len({a.name for a in found}) >= minimum
    ]
    return sorted(repeated, key=lambda r: -len(r.applications))
