"""Writes of disclosure on request: intake, the acts that move the clock, the reply, appeals.

Every act is checked by replaying the application's events through ``clock.compute`` with the
new one added, so an impossible sequence (a second 补正, a reply while the applicant has to
pay) is refused with the clock's Chinese message and nothing is saved. After every act the
cached clock columns of ``Application`` are refreshed (``refresh_clock``); open clocks are also
refreshed when the calendar changes (``calendar_changed``) and nightly (``gongkai foi refresh``),
so that lapsed applicant periods close their applications.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import calendar
from gongkai.core.audit import audit_record, diff_fields, field_values
from gongkai.core.errors import first_problem
from gongkai.core.privacy import credit_code_valid, id_card_valid, mask
from gongkai.orgs.models import Organisation

from . import clock, fees, letters
from .errors import FoiError, FoiErrorCode
from .models import (
    AccessLink,
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Delivery,
    ExtensionRequest,
    IdType,
    Letter,
    LetterEnclosure,
    LetterKind,
    LetterTemplate,
    Outcome,
)
from .permissions import can_approve_extension, can_handle, can_register

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
QUERY_CODE_LENGTH = 8
ORGANISATION_TYPES = frozenset(ApplicantType) - {ApplicantType.NATURAL, ApplicantType.OTHER}
# Closures the clock decides by itself, and the outcome each is counted under.
LAPSED = {
    clock.Status.CLOSED_NO_CORRECTION: Outcome.O1,
    clock.Status.CLOSED_UNPAID: Outcome.O2,
}


@dataclass(frozen=True)
class ApplicantInput:
    """What an application says (art. 29), as typed in a form."""

    applicant_type: str
    name: str
    id_type: str
    id_number: str
    phone: str
    information: str
    form: str
    delivery: str
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    doc_no: str = ""


def local_today() -> date:
    """Today in the site's time zone: the day every act is checked against."""
    return timezone.localdate()


def clock_rules() -> clock.ClockRules:
    """The agency's choices the law leaves open (settings ``GONGKAI_FOI_*``)."""
    return clock.ClockRules(
        correction_period_days=settings.GONGKAI_FOI_CORRECTION_PERIOD_DAYS,
        fee_restarts_clock=settings.GONGKAI_FOI_FEE_RESTARTS_CLOCK,
    )


# ---- Intake -----------------------------------------------------------------------------------


def application_submit(
    *,
    account: User | None,
    organisation: Organisation,
    applicant: ApplicantInput,
    attachments: Sequence[UploadedFile] = (),
) -> tuple[Application, str]:
    """An application filed on the public site. The platform confirms it at once with the
    receipt number (art. 31: for the internet channel the day both sides confirm counts as
    received), so it is received today. Returns the application and its query code."""
    today = local_today()
    return _create(
        actor=account,
        organisation=organisation,
        applicant=applicant,
        channel=clock.Channel.ONLINE,
        submitted_on=today,
        received=today,
        account=account,
        attachments=attachments,
    )


def application_register(
    *,
    actor: User,
    organisation: Organisation,
    applicant: ApplicantInput,
    channel: clock.Channel,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> tuple[Application, str]:
    """An application that arrived in person, by post or by fax, registered by staff; its
    receipt date follows art. 31 for the channel."""
    if not can_register(actor, organisation):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    today = local_today()
    for label, value in (
        ("提交日期", submitted_on),
        ("签收日期", signed_on),
        ("确认日期", confirmed_on),
    ):
        if value is not None and value > today:
            raise FoiError(FoiErrorCode.FUTURE_DATE, field=label, date=value)
    received = clock.received_on(
        channel, submitted_on=submitted_on, signed_on=signed_on, confirmed_on=confirmed_on
    )
    return _create(
        actor=actor,
        organisation=organisation,
        applicant=applicant,
        channel=channel,
        submitted_on=submitted_on,
        received=received,
        registered_by=actor,
        attachments=attachments,
    )


def _create(
    *,
    actor: User | None,
    organisation: Organisation,
    applicant: ApplicantInput,
    channel: clock.Channel,
    submitted_on: date,
    received: date,
    account: User | None = None,
    registered_by: User | None = None,
    attachments: Sequence[UploadedFile],
) -> tuple[Application, str]:
    if not organisation.is_active:
        raise FoiError(FoiErrorCode.ORGANISATION_CLOSED, name=organisation.name)
    _check_applicant(applicant)
    _check_attachments(attachments)
    code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    with transaction.atomic():
        application = Application(
            receipt_no=f"pending-{secrets.token_hex(6)}",
            organisation=organisation,
            account=account if account is not None and account.is_authenticated else None,
            channel=channel,
            submitted_on=submitted_on,
            received_on=received,
            registered_by=registered_by,
            **{f.name: getattr(applicant, f.name).strip() for f in fields(applicant)},
        )
        _full_clean(application, exclude=["query_code_hash"])
        application.save()
        application.receipt_no = f"YSQ{received.year}{application.pk:07d}"
        application.query_code_hash = _code_hash(application.receipt_no, code)
        application.save(update_fields=["receipt_no", "query_code_hash"])
        for upload in attachments:
            ApplicationAttachment.objects.create(
                application=application, file=upload, name=upload.name or ""
            )
        refresh_clock(application)
        audit_record(
            actor=actor,
            action="foi.application.create",
            target=application,
            summary=f"收到申请 {application.receipt_no}（{clock.Channel(channel).label}）",
        )
    return application, code


def _check_applicant(applicant: ApplicantInput) -> None:
    number = applicant.id_number.strip().upper()
    kind = applicant.applicant_type
    if kind == ApplicantType.NATURAL and applicant.id_type == IdType.CREDIT_CODE:
        raise FoiError(
            FoiErrorCode.ID_TYPE_MISMATCH,
            applicant=ApplicantType(kind).label,
            expected="个人身份证件",
        )
    if kind in ORGANISATION_TYPES and applicant.id_type != IdType.CREDIT_CODE:
        raise FoiError(
            FoiErrorCode.ID_TYPE_MISMATCH,
            applicant=ApplicantType(kind).label,
            expected=IdType.CREDIT_CODE.label,
        )
    if applicant.id_type == IdType.ID_CARD and (len(number) != 18 or not id_card_valid(number)):
        raise FoiError(FoiErrorCode.BAD_ID_NUMBER)
    if applicant.id_type == IdType.CREDIT_CODE and not credit_code_valid(number):
        raise FoiError(FoiErrorCode.BAD_CREDIT_CODE)
    if kind != ApplicantType.NATURAL and not applicant.contact_person.strip():
        raise FoiError(FoiErrorCode.CONTACT_REQUIRED)
    if applicant.delivery == Delivery.POST and not (
        applicant.address.strip() and applicant.postcode.strip()
    ):
        raise FoiError(FoiErrorCode.ADDRESS_REQUIRED)
    if applicant.delivery == Delivery.EMAIL and not applicant.email.strip():
        raise FoiError(FoiErrorCode.EMAIL_REQUIRED)


def _check_attachments(attachments: Sequence[UploadedFile]) -> None:
    limit = settings.GONGKAI_FOI_ATTACHMENT_MAX_MB
    if len(attachments) > settings.GONGKAI_FOI_ATTACHMENTS_MAX:
        raise FoiError(
            FoiErrorCode.TOO_MANY_ATTACHMENTS, limit=settings.GONGKAI_FOI_ATTACHMENTS_MAX
        )
    for upload in attachments:
        if (upload.size or 0) > limit * 2**20:
            raise FoiError(FoiErrorCode.ATTACHMENT_TOO_LARGE, name=upload.name, limit=limit)


def _full_clean(instance: Application | ApplicationEvent | Appeal, **kwargs: object) -> None:
    """``full_clean`` with its first message as a ``FoiError`` (a 400, not a 500)."""
    try:
        instance.full_clean(**kwargs)  # type: ignore[arg-type]
    except ValidationError as error:
        field, message = first_problem(instance, error)
        raise FoiError(FoiErrorCode.INVALID, field=field, message=message) from error


def _code_hash(receipt_no: str, code: str) -> str:
    return salted_hmac("gongkai.foi.query_code", f"{receipt_no}:{code.upper()}").hexdigest()


def application_by_code(*, receipt_no: str, code: str) -> Application:
    """The application proven by its receipt number and query code (else ``BAD_QUERY_CODE``,
    the same for an unknown number and a wrong code)."""
    application = Application.objects.filter(receipt_no=receipt_no.strip().upper()).first()
    expected = application.query_code_hash if application else _code_hash("-", "-")
    given = _code_hash(receipt_no.strip().upper(), code.strip())
    if application is None or not constant_time_compare(expected, given):
        raise FoiError(FoiErrorCode.BAD_QUERY_CODE)
    return application


# ---- The clock --------------------------------------------------------------------------------


def clock_events(application: Application) -> list[clock.ClockEvent]:
    return [_clock_event(event) for event in application.events.all()]


def _clock_event(event: ApplicationEvent) -> clock.ClockEvent:
    return clock.ClockEvent(
        kind=clock.EventKind(event.kind),
        on=event.on,
        days=event.days,
        key=event.key,
        party=clock.Party(event.party) if event.party else None,
    )


def clock_state(
    application: Application,
    *,
    events: Sequence[clock.ClockEvent] | None = None,
    today: date | None = None,
    lines: bool = True,
) -> clock.ClockState:
    """The application's clock as of ``today`` (default: today)."""
    return clock.compute(
        received_on=application.received_on,
        events=clock_events(application) if events is None else events,
        today=max(today or local_today(), application.received_on),
        calendar=calendar.snapshot(),
        rules=clock_rules(),
        lines=lines,
    )


def refresh_clock(application: Application, *, today: date | None = None) -> None:
    """Store the clock's current state in the application's cached columns; a lapsed
    applicant period closes the application under its outcome (o1, o2)."""
    state = clock_state(application, today=today, lines=False)
    application.status = state.status
    application.due_on = state.due_on
    application.applicant_due_on = state.applicant_due_on
    application.correction_request_by = state.correction_request_by
    application.provisional = state.provisional
    lapsed = LAPSED.get(state.status)
    if lapsed is not None and not application.outcome and state.applicant_due_on is not None:
        application.outcome = lapsed
        application.closed_on = state.applicant_due_on + timedelta(days=1)
    application.save(
        update_fields=[
            "status",
            "due_on",
            "applicant_due_on",
            "correction_request_by",
            "provisional",
            "outcome",
            "closed_on",
        ]
    )


def refresh_open_clocks(*, today: date | None = None, **_signal: object) -> int:
    """Recompute every open application (after a calendar change, and nightly); returns how
    many changed."""
    changed = 0
    for application in Application.objects.filter(status__in=clock.OPEN).prefetch_related("events"):
        before = (application.status, application.due_on, application.applicant_due_on)
        with transaction.atomic():
            refresh_clock(application, today=today)
        changed += before != (application.status, application.due_on, application.applicant_due_on)
    return changed


def application_record(
    *,
    actor: User,
    application: Application,
    kind: clock.EventKind,
    on: date,
    days: int | None = None,
    key: str = "",
    party: clock.Party | None = None,
    note: str = "",
) -> ApplicationEvent:
    """Record an act on the clock (补正, consultation, payment, withdrawal). Extensions go
    through ``extension_request``/``extension_decide``, fee notices through ``fee_notify`` and
    the reply through ``application_reply``."""
    if kind in (
        clock.EventKind.EXTENSION_GRANTED,
        clock.EventKind.REPLIED,
        clock.EventKind.FEE_NOTIFIED,
    ):
        raise FoiError(FoiErrorCode.INVALID, field="事项", message=clock.EventKind(kind).label)
    return _record(
        actor=actor,
        application=application,
        kind=kind,
        on=on,
        days=days,
        key=key,
        party=party,
        note=note,
    )


def _record(
    *,
    actor: User,
    application: Application,
    kind: clock.EventKind,
    on: date,
    days: int | None = None,
    key: str = "",
    party: clock.Party | None = None,
    note: str = "",
) -> ApplicationEvent:
    if not can_handle(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in clock.OPEN:
            raise FoiError(FoiErrorCode.CLOSED, status=clock.Status(application.status).label)
        if kind == clock.EventKind.CONSULTATION_SENT and not key:
            key = f"C{application.events.filter(kind=kind).count() + 1}"
        event = ApplicationEvent(
            application=application,
            kind=kind,
            on=on,
            days=days,
            key=key,
            party=party or "",
            note=note,
            actor=actor,
        )
        _full_clean(event, exclude=["application", "actor"])
        # The clock refuses impossible sequences (raises ClockError) before anything is saved.
        clock_state(
            application, events=[*clock_events(application), _clock_event(event)], lines=False
        )
        event.save()
        refresh_clock(application)
        audit_record(
            actor=actor,
            action=f"foi.application.{kind}",
            target=application,
            summary=f"{application.receipt_no}：{clock.EventKind(kind).label}（{on}）",
            changes={"on": [None, on.isoformat()], "days": [None, days]},
        )
    return event


def application_correct(
    *, application: Application, information: str, doc_no: str = "", note: str = ""
) -> ApplicationEvent:
    """The applicant sends the corrected application online (art. 30): the description is
    replaced, and the clock restarts in full today. The earlier text is kept in the event."""
    if not information.strip():
        raise FoiError(FoiErrorCode.INVALID, field="所需信息的名称或描述", message="不能为空")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != clock.Status.PAUSED_CORRECTION:
            raise FoiError(FoiErrorCode.NOT_AWAITING_CORRECTION)
        today = local_today()
        event = ApplicationEvent(
            application=application,
            kind=clock.EventKind.CORRECTION_RECEIVED,
            on=today,
            note=note.strip() or f"原申请内容：{application.information}",
        )
        clock_state(application, events=[*clock_events(application), _clock_event(event)])
        event.save()
        application.information = information.strip()
        application.doc_no = doc_no.strip()
        application.save(update_fields=["information", "doc_no"])
        refresh_clock(application)
        audit_record(
            actor=application.account,
            action="foi.application.correction_received",
            target=application,
            summary=f"{application.receipt_no}：申请人在线提交补正（{today}）",
        )
    return event


def extension_request(
    *, actor: User, application: Application, days: int, reason: str
) -> ExtensionRequest:
    """A handler asks the head of the openness office to extend the limit (art. 33(2))."""
    if not can_handle(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if not reason.strip():
        raise FoiError(FoiErrorCode.REASON_REQUIRED)
    if not 1 <= days <= clock.EXTENSION_MAX:
        raise clock.ClockError(
            clock.ClockErrorCode.BAD_DAYS,
            event=clock.EventKind.EXTENSION_GRANTED.label,
            days=days,
            limit=clock.EXTENSION_MAX,
        )
    with transaction.atomic():
        if application.extension_requests.filter(approved__isnull=True).exists():
            raise FoiError(FoiErrorCode.EXTENSION_PENDING)
        request = ExtensionRequest.objects.create(
            application=application, days=days, reason=reason.strip(), requested_by=actor
        )
        audit_record(
            actor=actor,
            action="foi.extension.request",
            target=application,
            summary=f"{application.receipt_no}：申请延期 {days} 个工作日",
        )
    return request


def extension_decide(
    *, actor: User, request: ExtensionRequest, approve: bool, on: date, note: str = ""
) -> ExtensionRequest:
    """The openness office approves (the extension starts to count, the applicant must be told
    with an 延期答复告知书) or refuses."""
    application = request.application
    if not can_approve_extension(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if request.requested_by_id == actor.pk:
        raise FoiError(FoiErrorCode.OWN_EXTENSION)
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.approved is not None:
            raise FoiError(FoiErrorCode.EXTENSION_DECIDED)
        if approve:
            _record(
                actor=actor,
                application=application,
                kind=clock.EventKind.EXTENSION_GRANTED,
                on=on,
                days=request.days,
                note=request.reason,
            )
        request.approved = approve
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save()
        audit_record(
            actor=actor,
            action="foi.extension.decide",
            target=application,
            summary=f"{application.receipt_no}：{'批准' if approve else '不批准'}延期"
            f" {request.days} 个工作日",
        )
    return request


def application_reply(
    *,
    actor: User,
    application: Application,
    outcome: Outcome,
    on: date,
    note: str = "",
    referred_to: str = "",
) -> Application:
    """Answer the application: the outcome (a row of table 三, or art. 36(5)/(7)) and the day
    the reply was made; the reply letter is made with ``letters``."""
    if outcome in LAPSED.values():
        raise FoiError(FoiErrorCode.INVALID, field="办理结果", message=Outcome(outcome).label)
    if outcome == Outcome.NOT_THIS_AGENCY and not referred_to.strip():
        raise FoiError(FoiErrorCode.REFERRAL_REQUIRED)
    with transaction.atomic():
        _record(
            actor=actor, application=application, kind=clock.EventKind.REPLIED, on=on, note=note
        )
        application.refresh_from_db()
        application.outcome = outcome
        application.closed_on = on
        application.reply_note = note
        application.referred_to = referred_to.strip()
        application.save(update_fields=["outcome", "closed_on", "reply_note", "referred_to"])
    return application


def application_withdraw(
    *, actor: User, application: Application, on: date, note: str = ""
) -> Application:
    """The applicant withdrew the application (recorded by staff)."""
    with transaction.atomic():
        _record(
            actor=actor, application=application, kind=clock.EventKind.WITHDRAWN, on=on, note=note
        )
        application.refresh_from_db()
        application.outcome = Outcome.WITHDRAWN
        application.closed_on = on
        application.save(update_fields=["outcome", "closed_on"])
    return application


# ---- Appeals ----------------------------------------------------------------------------------


def appeal_record(
    *,
    actor: User,
    application: Application,
    kind: AppealKind,
    filed_on: date,
    case_no: str = "",
    body: str = "",
    note: str = "",
) -> Appeal:
    """A 行政复议 or 行政诉讼 about the application was brought."""
    if not can_handle(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if filed_on > local_today():
        raise FoiError(FoiErrorCode.FUTURE_DATE, field="提起日期", date=filed_on)
    appeal = Appeal(
        application=application, kind=kind, filed_on=filed_on, case_no=case_no, body=body, note=note
    )
    _full_clean(appeal, exclude=["application"])
    with transaction.atomic():
        appeal.save()
        audit_record(
            actor=actor,
            action="foi.appeal.create",
            target=application,
            summary=f"{application.receipt_no}：{AppealKind(kind).label} {case_no}".strip(),
        )
    return appeal


def appeal_decide(
    *, actor: User, appeal: Appeal, result: AppealResult, decided_on: date, note: str = ""
) -> Appeal:
    if not can_handle(actor, appeal.application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if appeal.result != AppealResult.PENDING:
        raise FoiError(FoiErrorCode.APPEAL_DECIDED)
    if result == AppealResult.PENDING:
        raise FoiError(FoiErrorCode.INVALID, field="结果", message=AppealResult(result).label)
    if decided_on < appeal.filed_on:
        raise FoiError(FoiErrorCode.DECIDED_BEFORE_FILED)
    if decided_on > local_today():
        raise FoiError(FoiErrorCode.FUTURE_DATE, field="审结日期", date=decided_on)
    with transaction.atomic():
        appeal.result = result
        appeal.decided_on = decided_on
        appeal.note = note or appeal.note
        appeal.save(update_fields=["result", "decided_on", "note"])
        audit_record(
            actor=actor,
            action="foi.appeal.decide",
            target=appeal.application,
            summary=f"{appeal.application.receipt_no}：{AppealKind(appeal.kind).label}{AppealResult(result).label}",
        )
    return appeal


# ---- Letters ----------------------------------------------------------------------------------

LETTER_EVENTS = {
    LetterKind.CORRECTION: clock.EventKind.CORRECTION_REQUESTED,
    LetterKind.EXTENSION: clock.EventKind.EXTENSION_GRANTED,
    LetterKind.CONSULTATION: clock.EventKind.CONSULTATION_SENT,
    LetterKind.FEE: clock.EventKind.FEE_NOTIFIED,
}
"""The act each kind of letter tells of; a reply tells of how the application ended."""
CLOSING_EVENTS = (clock.EventKind.REPLIED, clock.EventKind.WITHDRAWN)
CONSULTED = {
    clock.Party.THIRD_PARTY: gettext_lazy("第三方"),
    clock.Party.AGENCY: gettext_lazy("有关机关"),
}


def letter_issue(
    *,
    actor: User,
    application: Application,
    kind: LetterKind,
    event: ApplicationEvent | None = None,
    enclosures: Sequence[UploadedFile] = (),
) -> Letter:
    """Make a letter from the editable template of ``kind`` (of a reply: of the application's
    outcome), filled in with the application's data and the event's, as DOCX and PDF, with the
    next number of the organisation's year. The letter is dated on the event's day (a reply on
    the day the application closed). ``event`` defaults to the application's latest act of the
    kind the letter tells of (a consultation letter is addressed to whom the first line of the
    consultation's note names). A reply may carry ``enclosures`` (.txt, .docx), stored with
    their personal data masked."""
    if not can_handle(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    kind = LetterKind(kind)
    if enclosures and kind != LetterKind.REPLY:
        raise FoiError(FoiErrorCode.ENCLOSURES_REPLY_ONLY)
    _check_attachments(enclosures)
    masked = [
        (upload.name or "", *letters.mask_enclosure(upload.name or "", upload.read()))
        for upload in enclosures
    ]
    application = Application.objects.select_related("organisation").get(pk=application.pk)
    event = _letter_event(application, kind, event)
    template = LetterTemplate.objects.filter(
        kind=kind, outcome=application.outcome if kind == LetterKind.REPLY else ""
    ).first()
    if template is None:
        missing = Outcome(application.outcome).label if kind == LetterKind.REPLY else kind.label
        raise FoiError(FoiErrorCode.TEMPLATE_MISSING, name=missing)
    dated = event.on if event is not None else application.closed_on or local_today()
    values = _letter_values(application, kind, event, dated)
    organisation = application.organisation
    with transaction.atomic():
        # Numbers are given one at a time per organisation: its row is locked until commit.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        last = Letter.objects.filter(organisation=organisation, year=dated.year).aggregate(
            last=Max("sequence")
        )["last"]
        sequence = (last or 0) + 1
        number = gettext("%(org)s依申请公开〔%(year)d〕第%(n)d号") % {
            "org": organisation.short_name or organisation.name,
            "year": dated.year,
            "n": sequence,
        }
        content = letters.compose(
            title=template.title,
            addressee=template.addressee,
            body=template.body,
            values=values,
            number=number,
            organisation=organisation.name,
            dated=dated,
        )
        letter = Letter(
            application=application,
            kind=kind,
            event=event,
            organisation=organisation,
            year=dated.year,
            sequence=sequence,
            number=number,
            issued_on=dated,
            text=content.text,
            created_by=actor,
        )
        stem = f"{kind}-{dated.year}-{sequence:04d}"
        letter.docx.save(f"{stem}.docx", ContentFile(letters.render_docx(content)), save=False)
        letter.pdf.save(f"{stem}.pdf", ContentFile(letters.render_pdf(content)), save=False)
        letter.save()
        for name, data, found in masked:
            enclosure = LetterEnclosure(letter=letter, name=name, masked=found)
            enclosure.file.save(Path(name).name, ContentFile(data), save=False)
            enclosure.save()
        audit_record(
            actor=actor,
            action="foi.letter.issue",
            target=application,
            summary=f"{application.receipt_no}：出具{kind.label}（{number}）",
            changes={
                "number": [None, number],
                "enclosures": [None, [f"{name}（遮盖 {found} 处）" for name, _d, found in masked]],
            },
        )
    return letter


def _letter_event(
    application: Application, kind: LetterKind, event: ApplicationEvent | None
) -> ApplicationEvent | None:
    """The act the letter tells of: ``event`` if it is one of the application's of the right
    kind, else the latest such act; for a reply, the reply or withdrawal (none for an
    application closed by a lapsed period)."""
    if kind == LetterKind.REPLY:
        if not application.outcome:
            raise FoiError(FoiErrorCode.NOT_CLOSED)
        closing = application.events.filter(kind__in=CLOSING_EVENTS).last()
        if event is not None and event != closing:
            raise FoiError(
                FoiErrorCode.LETTER_EVENT_MISMATCH,
                letter=kind.label,
                event=clock.EventKind.REPLIED.label,
            )
        return closing
    wanted = LETTER_EVENTS[kind]
    if event is None:
        event = application.events.filter(kind=wanted).last()
        if event is None:
            raise FoiError(FoiErrorCode.LETTER_EVENT_MISSING, event=wanted.label, letter=kind.label)
    elif event.application_id != application.pk or event.kind != wanted:
        raise FoiError(FoiErrorCode.LETTER_EVENT_MISMATCH, letter=kind.label, event=wanted.label)
    return event


def _letter_values(
    application: Application, kind: LetterKind, event: ApplicationEvent | None, dated: date
) -> dict[str, str]:
    """What each placeholder of ``letters.PLACEHOLDERS`` holds in this letter."""
    values = dict.fromkeys(letters.PLACEHOLDERS, "")
    values.update(
        applicant=application.name,
        receipt_no=application.receipt_no,
        received_on=letters.chinese_date(application.received_on),
        information=application.information,
        delivery=str(Delivery(application.delivery).label),
        organisation=application.organisation.name,
        today=letters.chinese_date(dated),
        due_on=letters.chinese_date(application.due_on),
        referred_to=application.referred_to,
        note=application.reply_note,
    )
    if kind == LetterKind.REPLY or event is None:
        return values
    # The clock as the act left it: the deadlines it set.
    events = list(application.events.all())
    until = [_clock_event(e) for e in events[: events.index(event) + 1]]
    state = clock_state(application, events=until, today=event.on, lines=False)
    values.update(
        note=event.note,
        days=str(event.days or ""),
        due_on=letters.chinese_date(state.due_on),
        deadline=letters.chinese_date(state.applicant_due_on),
    )
    if kind == LetterKind.CORRECTION:
        values["days"] = str(event.days or clock_rules().correction_period_days)
    elif kind == LetterKind.CONSULTATION:
        # The third party learns nothing about the applicant.
        named = event.note.strip().splitlines()
        values.update(
            applicant=gettext("申请人"),
            information=mask(application.information),
            third_party=named[0] if named else str(CONSULTED[clock.Party(event.party)]),
            deadline=letters.chinese_date(
                calendar.add_workdays(event.on, clock.CONSULTATION_LIMIT)
            ),
            note="",
        )
    elif kind == LetterKind.FEE:
        values.update(amount=str(event.amount or 0), fee_detail=event.note, note="")
    return values


def letter_deliver(*, actor: User, letter: Letter, way: Delivery, on: date) -> Letter:
    """Record how and when the letter reached its addressee."""
    if not can_handle(actor, letter.application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if way not in Delivery.values:
        raise FoiError(FoiErrorCode.INVALID, field="送达方式", message=way)
    if on > local_today():
        raise FoiError(FoiErrorCode.FUTURE_DATE, field="送达日期", date=on)
    if on < letter.issued_on:
        raise FoiError(FoiErrorCode.DELIVERED_BEFORE_ISSUED, date=on, issued=letter.issued_on)
    with transaction.atomic():
        before = field_values(letter, ["delivered_by", "delivered_on"])
        letter.delivered_by = way
        letter.delivered_on = on
        letter.save(update_fields=["delivered_by", "delivered_on"])
        audit_record(
            actor=actor,
            action="foi.letter.deliver",
            target=letter.application,
            summary=f"{letter.application.receipt_no}：{letter.number} 已{Delivery(way).label}送达"
            f"（{on}）",
            changes=diff_fields(before, field_values(letter, ["delivered_by", "delivered_on"])),
        )
    return letter


def letter_template_save(*, actor: User | None, template: LetterTemplate) -> LetterTemplate:
    """Save a template changed in the admin; from then on the seed leaves it alone."""
    letters.check_template(template.title, template.addressee, template.body)
    names = ["title", "addressee", "body"]
    with transaction.atomic():
        stored = LetterTemplate.objects.get(pk=template.pk)
        template.edited = True
        template.save()
        audit_record(
            actor=actor,
            action="foi.lettertemplate.save",
            target=template,
            summary=f"修改文书模板：{template}",
            changes=diff_fields(field_values(stored, names), field_values(template, names)),
        )
    return template


# ---- Fees -------------------------------------------------------------------------------------


def fee_notify(
    *, actor: User, application: Application, method: str, pages: int | None, on: date
) -> ApplicationEvent:
    """Charge the 信息处理费 (art. 42, 国办函〔2020〕109号): ``per_piece`` (按件计收, by how many
    requests the applicant made to the organisation in the natural month of this one's
    receipt) or ``per_page`` (按量计收, by ``pages``). Records the notice on the clock with its
    amount and the calculation, and issues the 收费通知书."""
    if not can_handle(actor, application):
        raise FoiError(FoiErrorCode.PERMISSION_DENIED)
    if method not in {choice.value for choice in fees.Method}:
        raise FoiError(FoiErrorCode.FEE_METHOD)
    if method == fees.Method.PER_PAGE:
        if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
            raise FoiError(FoiErrorCode.FEE_PAGES_REQUIRED)
        fee = fees.per_page(pages)
    else:
        fee = fees.per_piece(1, already=_earlier_in_month(application))
    if fee.amount == 0:
        raise FoiError(FoiErrorCode.FEE_NOT_DUE, method=fee.method.label, detail=fee.explanation)
    with transaction.atomic():
        event = _record(
            actor=actor,
            application=application,
            kind=clock.EventKind.FEE_NOTIFIED,
            on=on,
            note=fee.explanation,
        )
        event.amount = fee.amount
        event.save(update_fields=["amount"])
        audit_record(
            actor=actor,
            action="foi.fee.notify",
            target=application,
            summary=f"{application.receipt_no}：{fee.method.label}信息处理费 {fee.amount} 元",
            changes={"amount": [None, fee.amount]},
        )
        letter_issue(actor=actor, application=application, kind=LetterKind.FEE, event=event)
    return event


def _earlier_in_month(application: Application) -> int:
    """The requests the same applicant made to the same organisation earlier in the natural
    month in which this one was received."""
    received = application.received_on
    return (
        Application.objects.filter(
            organisation_id=application.organisation_id,
            id_type=application.id_type,
            id_number__iexact=application.id_number,
            received_on__year=received.year,
            received_on__month=received.month,
        )
        .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk))
        .count()
    )


# ---- One-time links ---------------------------------------------------------------------------


def _link_hash(token: str) -> str:
    return salted_hmac("gongkai.foi.access_link", token, algorithm="sha256").hexdigest()


def access_link_create(*, application: Application) -> str:
    """A token that opens ``application`` once, within ``GONGKAI_FOI_LINK_DAYS`` days; the
    public URL is ``reverse("foi:link", args=[token])``. Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    days = settings.GONGKAI_FOI_LINK_DAYS
    with transaction.atomic():
        AccessLink.objects.create(
            application=application,
            token_hash=_link_hash(token),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=None,
            action="foi.access_link.create",
            target=application,
            summary=f"{application.receipt_no}：生成一次性访问链接（{days} 日内有效）",
        )
    return token


def access_link_use(*, token: str) -> Application:
    """The application the token opens; the token is used up. An unknown, used or expired
    token raises ``FoiError``."""
    with transaction.atomic():
        link = (
            AccessLink.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(token_hash=_link_hash(token.strip()))
            .first()
        )
        if link is None:
            raise FoiError(FoiErrorCode.LINK_UNKNOWN)
        if link.used_at is not None:
            raise FoiError(FoiErrorCode.LINK_USED)
        now = timezone.now()
        if now >= link.expires_at:
            raise FoiError(FoiErrorCode.LINK_EXPIRED)
        link.used_at = now
        link.save(update_fields=["used_at"])
        audit_record(
            actor=None,
            action="foi.access_link.use",
            target=link.application,
            summary=f"{link.application.receipt_no}：使用一次性访问链接",
        )
    return link.application
