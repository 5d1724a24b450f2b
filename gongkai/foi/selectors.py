"""Reads of disclosure on request: staff queues, what an applicant may see, the row of the annual
report an application counts under, and requests that should become proactive disclosure."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import org_scope, org_scope_any
from gongkai.core import calendar
from gongkai.core.privacy import mask
from gongkai.orgs.models import Organisation

from . import clock, services
from .models import (
    Application,
    ApplicationEvent,
    ExtensionRequest,
    Letter,
    LetterKind,
    Outcome,
)
from .permissions import HANDLING_ROLES, AnyUser, can_see_personal_data, handled_applications

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
        open=mine.filter(status__in=clock.OPEN).order_by("due_on", "id"),
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


def applicant_details(user: AnyUser, application: Application) -> ApplicantView:
    """The applicant's personal data as ``user`` on the staff side sees it: in full for a
    handler of the application's organisation, masked for anyone else (the openness office)."""
    return personal_data(application, full=can_see_personal_data(user, application))


def registrable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The active organisations ``user`` may register applications for (``can_register``)."""
    organisations = Organisation.objects.filter(is_active=True).order_by("level", "code")
    return org_scope_any(user, roles=HANDLING_ROLES).filter(organisations)


def open_consultations(application: Application) -> list[ApplicationEvent]:
    """The consultation letters sent for ``application`` that have no answer yet."""
    events = list(application.events.all())
    answered = {e.key for e in events if e.kind == clock.EventKind.CONSULTATION_ANSWERED}
    return [
        event
        for event in events
        if event.kind == clock.EventKind.CONSULTATION_SENT and event.key not in answered
    ]


def allowed_acts(application: Application, *, today: date) -> frozenset[clock.EventKind]:
    """The acts the clock accepts on ``application`` today: the ones staff are offered.

    Each act is tried on the clock (``clock.compute`` is the state machine), so what is offered
    is exactly what recording it today would accept."""
    if application.status not in clock.OPEN:
        return frozenset()
    events = services.clock_events(application)
    waiting = open_consultations(application)
    trials = {kind: clock.ClockEvent(kind=kind, on=today) for kind in clock.EventKind}
    trials[clock.EventKind.CONSULTATION_SENT] = clock.ClockEvent(
        kind=clock.EventKind.CONSULTATION_SENT, on=today, key="-", party=clock.Party.THIRD_PARTY
    )
    trials[clock.EventKind.EXTENSION_GRANTED] = clock.ClockEvent(
        kind=clock.EventKind.EXTENSION_GRANTED, on=today, days=1
    )
    if waiting:
        trials[clock.EventKind.CONSULTATION_ANSWERED] = clock.ClockEvent(
            kind=clock.EventKind.CONSULTATION_ANSWERED, on=today, key=waiting[0].key
        )
    allowed = set()
    for kind, trial in trials.items():
        try:
            services.clock_state(application, events=[*events, trial], today=today, lines=False)
        except clock.ClockError:
            continue
        allowed.add(kind)
    return frozenset(allowed)


def pending_extensions(user: AnyUser) -> QuerySet[ExtensionRequest]:
    """Extension requests of open applications awaiting a decision ``user`` may take (the
    openness office; never on their own request)."""
    if not isinstance(user, User):
        return ExtensionRequest.objects.none()
    scope = org_scope(user, role=Role.OPENNESS_OFFICE)
    pending = ExtensionRequest.objects.filter(
        approved__isnull=True, application__status__in=clock.OPEN
    ).exclude(requested_by=user)
    if not scope.everything:
        pending = pending.filter(application__organisation_id__in=scope.ids)
    return pending.select_related("application__organisation").order_by("requested_at", "id")


def letter_choices(application: Application) -> list[tuple[LetterKind, ApplicationEvent | None]]:
    """The letters that may be issued for ``application``: one for each act that calls for one
    (``services.LETTER_EVENTS``; the reply for the act that closed it), and the reply of an
    application closed by a lapsed period, which has no act."""
    kinds = {event: kind for kind, event in services.LETTER_EVENTS.items()}
    kinds.update(dict.fromkeys(services.CLOSING_EVENTS, LetterKind.REPLY))
    choices: list[tuple[LetterKind, ApplicationEvent | None]] = [
        (kinds[clock.EventKind(event.kind)], event)
        for event in application.events.all()
        if event.kind in kinds
    ]
    if application.outcome in services.LAPSED.values():
        choices.append((LetterKind.REPLY, None))
    return choices


def applicant_letters(application: Application) -> QuerySet[Letter]:
    """The letters addressed to the applicant (consultation letters go to third parties)."""
    return application.letters.exclude(kind=LetterKind.CONSULTATION)


APPLICANT_NOTES = frozenset(
    {
        clock.EventKind.CORRECTION_REQUESTED,
        clock.EventKind.EXTENSION_GRANTED,
        clock.EventKind.REPLIED,
    }
)
"""The acts whose note is addressed to the applicant (what to correct, why the extension, the
reply); the notes of the others are the staff's."""


def applicant_events(application: Application) -> list[tuple[ApplicationEvent, str]]:
    """The application's acts as its applicant sees them, each with the note they may read."""
    return [
        (event, event.note if event.kind in APPLICANT_NOTES else "")
        for event in application.events.all()
    ]
