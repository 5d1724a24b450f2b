"""Writes of the hotline: intake, answer, dispatch, accept or send back, notes, reply,
call-back, reopen, close, merge. Each is one transaction, moves the order along
``workflow.TRANSITIONS``, records an ``OrderEvent`` and an audit event. An order is saved, with
its number, before the caller is given the number."""

import functools
import itertools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.core.audit import audit_record
from gongkai.core.errors import first_problem
from gongkai.orgs.models import Organisation
from gongkai.search.services import index_sync

from . import importing, indexing, mail, selectors, suggest
from .errors import HotlineError, HotlineErrorCode
from .models import (
    Assignment,
    AssignmentRole,
    CallBack,
    Category,
    Channel,
    EventKind,
    ExtensionRequest,
    MonthlyTally,
    OrderEvent,
    Satisfaction,
    Status,
    Supervision,
    SupervisionReason,
    TimeLimitRule,
    Urgency,
    WorkOrder,
)
from .permissions import (
    can_add_note,
    can_answer,
    can_call_back,
    can_dispatch,
    can_handle,
    can_supervise,
    can_take,
)
from .workflow import AT_ORGANISATION, FINISHED, OPEN, SUPERVISABLE, Action, next_status

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intake:
    """What a caller, a web form or an app reports."""

    content: str
    request_type: str
    category: Category | None = None
    urgency: str = ""
    """Empty: the category's default urgency."""
    complex: bool | None = None
    """None: the category's."""
    title: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    caller_email: str = ""
    district: Organisation | None = None
    street: Organisation | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    publish_consent: bool = False
    source_ref: str = ""
    """What identifies it in its channel (an e-mail's Message-ID): received once."""


# ---- The rates rollup (decision 0008, "Rates rollup") -----------------------------------------

P = ParamSpec("P")
R = TypeVar("R")
_COUNTS = ("orders", "responded", "called_back", "resolved", "satisfied", "basic")
Contribution = dict[tuple[date, int], tuple[int, ...]]
"""What one order adds to ``MonthlyTally``: the counts (``_COUNTS``) by (month, organisation)."""


def _contribution(order_pk: int) -> Contribution:
    rows = selectors.rates_tally(WorkOrder.objects.filter(pk=order_pk))
    return {(row["month"], row["lead"]): tuple(row[c] for c in _COUNTS) for row in rows}


def _tally_follow(order_pk: int, before: Contribution) -> None:
    """Store the order's facts afresh (``selectors.rate_facts``) and apply the difference
    between what it counts now and ``before`` to the tally, inside the caller's transaction.
    Rows are changed in key order with ``F()`` increments, so concurrent transactions on other
    orders of the same row lose nothing and do not deadlock; a row left counting no order goes."""
    WorkOrder.objects.filter(pk=order_pk).update(**selectors.rate_facts())
    after = _contribution(order_pk)
    zero = (0,) * len(_COUNTS)
    for month, organisation in sorted(before.keys() | after.keys()):
        new, old = after.get((month, organisation), zero), before.get((month, organisation), zero)
        delta = {
            name: F(name) + n - o for name, n, o in zip(_COUNTS, new, old, strict=True) if n != o
        }
        if not delta:
            continue
        rows = MonthlyTally.objects.filter(month=month, organisation_id=organisation)
        if not rows.update(**delta):
            MonthlyTally.objects.bulk_create(
                [MonthlyTally(month=month, organisation_id=organisation)], ignore_conflicts=True
            )
            rows.update(**delta)
        if new[0] < old[0]:
            rows.filter(orders=0).delete()


def _keeps_rates(service: Callable[P, R]) -> Callable[P, R]:
    """Keep ``MonthlyTally`` right across a service that may change what its ``order`` counts:
    in one transaction, lock the order and note its contribution, run the service, apply the
    difference (``_tally_follow``)."""

    @functools.wraps(service)
    def kept(*args: P.args, **kwargs: P.kwargs) -> R:
        order = kwargs["order"]
        assert isinstance(order, WorkOrder)
        with transaction.atomic():
            before = _contribution(_locked(order).pk)
            result = service(*args, **kwargs)
            _tally_follow(order.pk, before)
        if isinstance(result, WorkOrder):
            result.refresh_from_db(fields=list(selectors.rate_facts()))
        return result

    return kept


def rates_rebuild(*, months: Iterable[date] | None = None) -> int:
    """Recompute the rollup of ``months`` (any day of each; None: every month) from the orders:
    each order's stored facts, then the months' ``MonthlyTally`` rows, replaced in one
    transaction. Order writes wait while it runs (on PostgreSQL the orders table is locked
    against them; reads go on). Run it after loading orders in bulk, or after changing
    ``GONGKAI_HOTLINE_RESPONSE_HOURS``. Returns how many rows were written."""
    orders, tallies = WorkOrder.objects.all(), MonthlyTally.objects.all()
    if months is not None:
        firsts = sorted({month.replace(day=1) for month in months})
        within = Q(pk__in=[])
        for first in firsts:
            start, end = selectors.month_bounds(first)
            within |= Q(received_at__gte=start, received_at__lt=end)
        orders, tallies = orders.filter(within), tallies.filter(month__in=firsts)
    facts = selectors.rate_facts()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(WorkOrder._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        stale = orders.alias(**{f"fresh_{name}": fact for name, fact in facts.items()}).exclude(
            **{name: F(f"fresh_{name}") for name in facts}
        )
        WorkOrder.objects.filter(pk__in=stale.values("pk")).update(**facts)
        tallies.delete()
        written = MonthlyTally.objects.bulk_create(
            [
                MonthlyTally(
                    month=row["month"],
                    organisation_id=row["lead"],
                    **{name: row[name] for name in _COUNTS},
                )
                for row in selectors.rates_tally(orders)
            ],
            batch_size=1000,
        )
        audit_record(
            actor=None,
            action="hotline.rates.rebuild",
            summary=f"重算12345考核月度统计 {len(written)} 行",
        )
    return len(written)


def order_create(
    *,
    actor: User | None,
    channel: Channel,
    intake: Intake,
    account: User | None = None,
    received_at: datetime | None = None,
) -> WorkOrder:
    """Receive an order from any channel. A phone order is taken by an operator; web, app and
    e-mail orders come from the public (``actor`` None or the public user)."""
    if channel == Channel.PHONE and (actor is None or not can_take(actor)):
        raise HotlineError(HotlineErrorCode.PERMISSION_DENIED)
    if not intake.content.strip():
        raise HotlineError(HotlineErrorCode.CONTENT_REQUIRED)
    if not (intake.caller_phone.strip() or intake.caller_email.strip() or account):
        raise HotlineError(HotlineErrorCode.CONTACT_REQUIRED)
    if intake.street and intake.district and intake.street.parent_id != intake.district.pk:
        raise HotlineError(
            HotlineErrorCode.STREET_OUTSIDE_DISTRICT,
            street=intake.street.name,
            district=intake.district.name,
        )
    category = intake.category
    urgency = intake.urgency or (category.default_urgency if category else "normal")
    complex = intake.complex if intake.complex is not None else bool(category and category.complex)
    received_at = received_at or timezone.now()
    rule = selectors.time_limit(urgency=urgency, complex=complex, request_type=intake.request_type)
    order = WorkOrder(
        channel=channel,
        received_at=received_at,
        caller_name=intake.caller_name.strip(),
        caller_phone=intake.caller_phone.strip(),
        caller_email=intake.caller_email.strip(),
        account=account if account is not None and account.is_authenticated else None,
        title=intake.title.strip(),
        content=intake.content.strip(),
        request_type=intake.request_type,
        category=category,
        urgency=urgency,
        complex=complex,
        district=intake.district,
        street=intake.street,
        address=intake.address.strip(),
        latitude=intake.latitude,
        longitude=intake.longitude,
        due_at=selectors.due_at(received_at, rule),
        publish_consent=intake.publish_consent,
        source_ref=intake.source_ref,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    # Not checked here, as the checks would cost a query each that cannot fail: the related rows
    # (the intake's category and places, the account and actor are rows read for this request,
    # and the database refuses a dangling key anyway), and the "received once" constraint for
    # an order without a ``source_ref``, which it does not bind.
    related = ["category", "district", "street", "account", "created_by"]
    _full_clean(order, exclude=["number", *related, *([] if order.source_ref else ["source_ref"])])
    with transaction.atomic():
        order.pk = _reserve_order_pk()
        order.number = f"{timezone.localtime(received_at):%Y%m%d}{order.pk:08d}"
        order.save(force_insert=True)
        _event(order, EventKind.RECEIVED, actor, text=str(Channel(channel).label))
        # No ``_tally_follow``: a new order has no lead, so it counts in no ``MonthlyTally`` row,
        # and its rate facts are the fields' defaults (no assignment, no call-back yet).
        audit_record(
            actor=actor,
            action="hotline.order.create",
            target=order,
            summary=f"受理工单 {order.number}（{Channel(channel).label}）",
        )
    return order


def order_receive_email(*, raw: bytes) -> tuple[WorkOrder, bool]:
    """Receive one citizen e-mail (``mail.parse``) as an order; the same message again gives
    the order it made and False. Once the order is committed, the sender gets its number by
    e-mail (never a machine: an auto-reply, a bounce or a list). Refused (``mail.MailError``)
    without a sender address or a text."""
    received = mail.parse(raw)
    existing = WorkOrder.objects.filter(channel=Channel.EMAIL, source_ref=received.message_id)
    if existing.exists():
        return existing.get(), False
    content = received.text
    if received.attachments:
        content += "\n" + _("（来信附有：%(names)s。附件未随工单保存，需要时请联系来信人。）") % {
            "names": "、".join(received.attachments)
        }
    intake = Intake(
        content=content,
        request_type=received.request_type,
        title=received.subject,
        caller_name=received.name,
        caller_email=received.sender,
        source_ref=received.message_id,
    )
    try:
        order = order_create(actor=None, channel=Channel.EMAIL, intake=intake)
    except IntegrityError:  # the same message, received by another process meanwhile
        return existing.get(), False
    if not received.automatic:
        transaction.on_commit(lambda: _acknowledge(received, order))
    return order, True


def _acknowledge(received: mail.Mail, order: WorkOrder) -> None:
    """Tell an e-mail's sender the number of its order; a failure to send is logged (the
    order is safe)."""
    message = EmailMessage(
        subject=_("您的来信已受理（工单编号 %(number)s）") % {"number": order.number},
        body=_(
            "您好！\n\n您%(at)s发给12345的来信已受理，工单编号为 %(number)s。我们将按规定时限"
            "转交承办单位办理并答复您，查询办理进度时请提供工单编号。\n\n本邮件由系统自动发送，"
            "请勿直接回复；如有新的诉求，请另行来信。"
        )
        % {
            "at": f"{timezone.localtime(order.received_at):%Y年%m月%d日%H:%M}",
            "number": order.number,
        },
        to=[received.sender],
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": received.message_id},
    )
    try:
        message.send()
    except Exception:  # SMTP down or refusing: the order stands, the staff can call back
        logger.exception("12345: could not acknowledge order %s by e-mail", order.number)


@_keeps_rates
def order_answer(*, actor: User, order: WorkOrder, answer: str) -> WorkOrder:
    """Answer at once (直接办结), e.g. from the knowledge base."""
    _allow(can_answer(actor, order))
    return _move(order, Action.ANSWER, actor, text=_required(answer), reply=True, answered=True)


@_keeps_rates
def order_dispatch(
    *,
    actor: User,
    order: WorkOrder,
    lead: Organisation,
    co: tuple[Organisation, ...] = (),
    note: str = "",
) -> WorkOrder:
    """Route the order to its lead organisation (主办) and co-handling ones (协办)."""
    _allow(can_dispatch(actor, order))
    if lead in co:
        raise HotlineError(HotlineErrorCode.LEAD_ALSO_CO)
    for organisation in (lead, *co):
        if not organisation.is_active:
            raise HotlineError(HotlineErrorCode.ORGANISATION_CLOSED, name=organisation.name)
    now = timezone.now()
    with transaction.atomic():
        order = _locked(order)
        status = next_status(order.status, Action.DISPATCH)
        for organisation, role in [(lead, AssignmentRole.LEAD)] + [
            (o, AssignmentRole.CO) for o in co
        ]:
            Assignment.objects.create(
                order=order,
                organisation=organisation,
                role=role,
                dispatched_at=now,
                dispatched_by=actor,
            )
        order.status, order.lead = status, lead
        order.save(update_fields=["status", "lead"])
        names = "、".join([lead.name, *(f"{o.name}（协办）" for o in co)])
        _event(
            order, EventKind.DISPATCHED, actor, organisation=lead, text=f"{names} {note}".strip()
        )
        _audit(actor, order, Action.DISPATCH, names)
    return order


@_keeps_rates
def order_accept(*, actor: User, order: WorkOrder) -> WorkOrder:
    _allow(can_handle(actor, order))
    with transaction.atomic():
        order = _moved(order, Action.ACCEPT, actor)
        order.assignments.filter(active=True, role=AssignmentRole.LEAD).update(
            accepted_at=timezone.now()
        )
    return order


@_keeps_rates
def order_send_back(*, actor: User, order: WorkOrder, reason: str) -> WorkOrder:
    """退单: the lead organisation says the order is not its to handle; the dispatchers route it
    again. Every assignment of the dispatch ends."""
    _allow(can_handle(actor, order))
    reason = _required(reason)
    with transaction.atomic():
        lead = order.lead
        order = _moved(order, Action.SEND_BACK, actor, text=reason, organisation=lead)
        order.assignments.filter(active=True).update(
            active=False, returned_at=timezone.now(), return_reason=reason
        )
        order.lead = None
        order.send_backs += 1
        order.save(update_fields=["lead", "send_backs"])
        if order.send_backs >= settings.GONGKAI_HOTLINE_SEND_BACKS_SUPERVISED:
            _supervise(order, SupervisionReason.SENT_BACK, None, f"已退单 {order.send_backs} 次")
    return order


def order_note(*, actor: User, order: WorkOrder, text: str, contact: bool = False) -> OrderEvent:
    """Record what was done, or a contact with the caller (联系诉求人)."""
    _allow(can_add_note(actor, order))
    with transaction.atomic():
        order = _locked(order)
        next_status(order.status, Action.NOTE)
        organisation = actor.organisation
        return _event(
            order,
            EventKind.CONTACT if contact else EventKind.NOTE,
            actor,
            organisation=organisation,
            text=_required(text),
        )


@_keeps_rates
def order_reply(*, actor: User, order: WorkOrder, reply: str) -> WorkOrder:
    _allow(can_handle(actor, order))
    return _move(order, Action.REPLY, actor, text=_required(reply), reply=True)


@_keeps_rates
def order_call_back(
    *, actor: User, order: WorkOrder, resolved: bool, satisfaction: Satisfaction, note: str = ""
) -> CallBack:
    """回访: ask the caller whether the request was resolved and how satisfied they are."""
    _allow(can_call_back(actor, order))
    with transaction.atomic():
        order = _locked(order)
        next_status(order.status, Action.CALL_BACK)
        call_back = CallBack.objects.create(
            order=order,
            at=timezone.now(),
            resolved=resolved,
            satisfaction=satisfaction,
            note=note.strip(),
            actor=actor,
        )
        verdict = f"{'已解决' if resolved else '未解决'}，{Satisfaction(satisfaction).label}"
        _event(order, EventKind.CALLED_BACK, actor, text=f"{verdict} {note}".strip())
        _audit(actor, order, Action.CALL_BACK, verdict)
    return call_back


@_keeps_rates
def order_reopen(*, actor: User, order: WorkOrder, reason: str) -> WorkOrder:
    """重办: after an unresolved or unsatisfied call-back the order goes back to its lead
    organisation with a new time limit from now."""
    _allow(can_dispatch(actor, order))
    reason = _required(reason)
    with transaction.atomic():
        order = _moved(order, Action.REOPEN, actor, text=reason, organisation=order.lead)
        rule = selectors.time_limit(
            urgency=order.urgency, complex=order.complex, request_type=order.request_type
        )
        order.reopened += 1
        order.due_at = selectors.due_at(timezone.now(), rule)
        order.replied_at, order.reply = None, ""
        order.save(update_fields=["reopened", "due_at", "replied_at", "reply"])
    return order


@_keeps_rates
def order_close(*, actor: User, order: WorkOrder) -> WorkOrder:
    """办结 after the call-back that followed the last reply."""
    _allow(can_dispatch(actor, order))
    if not selectors.called_back_since_reply(order):
        raise HotlineError(HotlineErrorCode.CALL_BACK_FIRST)
    return _move(order, Action.CLOSE, actor)


@_keeps_rates
def order_merge(*, actor: User, order: WorkOrder, into: WorkOrder, reason: str) -> WorkOrder:
    """并单: the same request again (same caller and issue, or many callers about one place)."""
    _allow(can_dispatch(actor, order))
    if into.pk == order.pk:
        raise HotlineError(HotlineErrorCode.MERGE_INTO_SELF)
    if into.status in FINISHED:
        raise HotlineError(HotlineErrorCode.MERGE_TARGET_CLOSED)
    with transaction.atomic():
        order = _moved(order, Action.MERGE, actor, text=f"并入 {into.number}：{_required(reason)}")
        order.merged_into = into
        order.save(update_fields=["merged_into"])
        _event(into, EventKind.MERGED, actor, text=f"并入工单 {order.number}")
    return order


# ---- Extensions and supervision ---------------------------------------------------------------


def extension_request(
    *, actor: User, order: WorkOrder, until: datetime, reason: str
) -> ExtensionRequest:
    """The lead organisation asks to complete the order later than its time limit."""
    _allow(can_handle(actor, order))
    reason = _required(reason)
    if order.status not in AT_ORGANISATION:
        raise HotlineError(HotlineErrorCode.ORDER_NOT_OPEN)
    if until <= order.due_at:
        raise HotlineError(
            HotlineErrorCode.EXTENSION_NOT_LATER,
            due=f"{timezone.localtime(order.due_at):%Y-%m-%d %H:%M}",
        )
    with transaction.atomic():
        order = _locked(order)
        if selectors.pending_extension(order) is not None:
            raise HotlineError(HotlineErrorCode.EXTENSION_PENDING)
        assert order.lead is not None  # dispatched
        request = ExtensionRequest.objects.create(
            order=order, organisation=order.lead, until=until, reason=reason, requested_by=actor
        )
        _audit_text(actor, order, "申请延期", f"至 {timezone.localtime(until):%Y-%m-%d %H:%M}")
    return request


def extension_decide(
    *, actor: User, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """A dispatcher approves (the order's time limit moves) or refuses the request."""
    _allow(can_dispatch(actor, request.order))
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.approved is not None:
            raise HotlineError(HotlineErrorCode.EXTENSION_DECIDED)
        order = _locked(request.order)
        request.approved, request.decided_by, request.decided_at = approve, actor, timezone.now()
        request.decision_note = note.strip()
        request.save()
        if approve:
            order.due_at = request.until
            order.save(update_fields=["due_at"])
            until = f"{timezone.localtime(request.until):%Y-%m-%d %H:%M}"
            _event(order, EventKind.EXTENDED, actor, organisation=request.organisation, text=until)
        _audit_text(actor, order, "审批延期", "批准" if approve else "不批准")
    return request


def order_supervise(
    *, actor: User, order: WorkOrder, note: str, hours: int | None = None
) -> Supervision:
    """A supervisor's 督办, with the hours the organisation has to report."""
    _allow(can_supervise(actor, order))
    if order.status not in SUPERVISABLE:
        raise HotlineError(HotlineErrorCode.ORDER_NOT_OPEN)
    with transaction.atomic():
        order = _locked(order)
        return _supervise(order, SupervisionReason.MANUAL, actor, _required(note), hours=hours)


def supervise_automatically(*, now: datetime | None = None) -> int:
    """Start the automatic supervisions: open orders past their time limit, and open orders of a
    category in a street that has had many orders lately (``GONGKAI_HOTLINE_REPEATED_*``).
    Returns how many began; run it every hour (``gongkai hotline supervise``)."""
    now = now or timezone.now()
    started = 0
    open_orders = WorkOrder.objects.filter(status__in=OPEN)
    for order in open_orders.filter(due_at__lt=now).exclude(
        supervisions__reason=SupervisionReason.OVERDUE, supervisions__resolved_at__isnull=True
    ):
        with transaction.atomic():
            _supervise(_locked(order), SupervisionReason.OVERDUE, None, "超过办理时限仍未办结")
        started += 1
    since = now - timedelta(days=settings.GONGKAI_HOTLINE_REPEATED_DAYS)
    hot = (
        WorkOrder.objects.filter(
            received_at__gte=since, street__isnull=False, category__isnull=False
        )
        .values("street", "category")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.GONGKAI_HOTLINE_REPEATED_ORDERS)
    )
    for group in hot:
        repeated = open_orders.filter(
            street=group["street"], category=group["category"], received_at__gte=since
        ).exclude(
            supervisions__reason=SupervisionReason.REPEATED, supervisions__resolved_at__isnull=True
        )
        for order in repeated:
            with transaction.atomic():
                text = (
                    f"{settings.GONGKAI_HOTLINE_REPEATED_DAYS} 日内同一街道同类诉求 {group['n']} 件"
                )
                _supervise(_locked(order), SupervisionReason.REPEATED, None, text)
            started += 1
    return started


def _supervise(
    order: WorkOrder,
    reason: SupervisionReason,
    actor: User | None,
    note: str,
    *,
    hours: int | None = None,
) -> Supervision:
    """Open a supervision (one per reason at a time), inside the caller's transaction."""
    if order.supervisions.filter(reason=reason, resolved_at__isnull=True).exists():
        raise HotlineError(HotlineErrorCode.ALREADY_SUPERVISED, reason=reason.label)
    now = timezone.now()
    supervision = Supervision.objects.create(
        order=order,
        reason=reason,
        note=note,
        deadline=now + timedelta(hours=hours or settings.GONGKAI_HOTLINE_SUPERVISION_HOURS),
        created_at=now,
        created_by=actor,
    )
    _event(
        order, EventKind.SUPERVISED, actor, organisation=order.lead, text=f"{reason.label}：{note}"
    )
    _audit_text(actor, order, "督办", str(reason.label))
    return supervision


# ---- Helpers ----------------------------------------------------------------------------------


def _allow(allowed: bool) -> None:
    if not allowed:
        raise HotlineError(HotlineErrorCode.PERMISSION_DENIED)


def _required(text: str) -> str:
    if not text.strip():
        raise HotlineError(HotlineErrorCode.REASON_REQUIRED)
    return text.strip()


def _locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def _move(
    order: WorkOrder,
    action: Action,
    actor: User,
    *,
    text: str = "",
    reply: bool = False,
    answered: bool = False,
) -> WorkOrder:
    with transaction.atomic():
        order = _moved(order, action, actor, text=text)
        now = timezone.now()
        fields = []
        if reply:
            order.reply, order.replied_at = text, now
            fields += ["reply", "replied_at"]
        if answered:
            order.answered_directly = True
            fields.append("answered_directly")
        if order.status == Status.CLOSED:
            order.closed_at = now
            fields.append("closed_at")
            order.supervisions.filter(resolved_at__isnull=True).update(resolved_at=now)
        order.save(update_fields=fields)
    return order


_EVENTS = {
    Action.ANSWER: EventKind.ANSWERED,
    Action.ACCEPT: EventKind.ACCEPTED,
    Action.SEND_BACK: EventKind.SENT_BACK,
    Action.REPLY: EventKind.REPLIED,
    Action.REOPEN: EventKind.REOPENED,
    Action.CLOSE: EventKind.CLOSED,
    Action.MERGE: EventKind.MERGED,
}


def _moved(
    order: WorkOrder,
    action: Action,
    actor: User,
    *,
    text: str = "",
    organisation: Organisation | None = None,
) -> WorkOrder:
    """Lock the order, move it along the table, record the event and the audit entry (inside
    the caller's transaction)."""
    order = _locked(order)
    order.status = next_status(order.status, action)
    order.save(update_fields=["status"])
    _event(order, _EVENTS[action], actor, organisation=organisation or order.lead, text=text)
    _audit(actor, order, action, text)
    return order


def _event(
    order: WorkOrder,
    kind: EventKind,
    actor: User | None,
    *,
    organisation: Organisation | None = None,
    text: str = "",
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        at=timezone.now(),
        organisation=organisation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text,
    )


def _audit(actor: User | None, order: WorkOrder, action: Action, text: str) -> None:
    _audit_text(actor, order, str(action.label), text, code=str(action))


def _audit_text(
    actor: User | None, order: WorkOrder, what: str, text: str, *, code: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=f"hotline.order.{code or 'update'}",
        target=order,
        summary=f"工单 {order.number}：{what}" + (f"（{text[:60]}）" if text else ""),
    )


def _reserve_order_pk() -> int:
    """The primary key of the next work order, reserved before the insert (so that the number
    made from it is written with the row, not by a second write): drawn from the sequence on
    PostgreSQL; on SQLite one above the table's AUTOINCREMENT counter, read under the write lock
    that the transaction holds from its start (``transaction_mode`` IMMEDIATE)."""
    table = WorkOrder._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            cursor.execute(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) + 1",
                [table],
            )
        (pk,) = cursor.fetchone()
    return int(pk)


def _full_clean(order: WorkOrder, **kwargs: object) -> None:
    try:
        order.full_clean(**kwargs)  # type: ignore[arg-type]
    except ValidationError as error:
        field, message = first_problem(order, error)
        raise HotlineError(HotlineErrorCode.INVALID, field=field, message=message) from error


# ---- Public messages ----------------------------------------------------------------------------


def order_rate(*, actor: User, order: WorkOrder, rating: Satisfaction) -> WorkOrder:
    """The citizen rates the reply to their own order (满意/基本满意/不满意) from their account.

    A separate field, not a ``CallBack``: the call-back is the centre's 回访 that gates closing
    and feeds the three rates; a click on the website must not stand in for it. A new rating
    replaces the previous one; it is asked again after a reopened order is replied anew."""
    _allow(selectors.own_orders(actor).filter(pk=order.pk).exists())
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (Status.REPLIED, Status.CLOSED) or not order.reply:
            raise HotlineError(
                HotlineErrorCode.BAD_TRANSITION,
                action=_("评价"),
                status=Status(order.status).label,
            )
        order.citizen_rating, order.citizen_rated_at = rating, timezone.now()
        order.save(update_fields=["citizen_rating", "citizen_rated_at"])
        label = str(Satisfaction(rating).label)
        _event(order, EventKind.NOTE, actor, text=f"诉求人评价：{label}")
        _audit_text(actor, order, "诉求人评价", label, code="rate")
    return order


# ---- Reference data ---------------------------------------------------------------------------

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.yaml"


def suggest_train(*, actor: User | None) -> suggest.Model:
    """Retrain the learned routing suggestion from the latest accepted dispatches
    (``selectors.dispatch_examples``) and replace the site's model file, which dispatchers'
    pages read from then on. Refused (``suggest.SuggestError``) with too few examples."""
    examples = selectors.dispatch_examples(settings.GONGKAI_HOTLINE_SUGGEST_EXAMPLES)
    model = suggest.train(examples)
    path = Path(settings.GONGKAI_HOTLINE_SUGGEST_MODEL)
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="hotline.suggest.train",
            summary=f"训练派单建议模型：{model.examples} 条派单，{len(model.targets)} 个去向",
        )
        model.save(path)  # last: a failed write rolls the record back
    return model


@transaction.atomic
def category_load_reference_data(*, path: Path = CATEGORIES_FILE) -> int:
    """Create the categories of ``data/categories.yaml`` that are missing (by code); existing
    ones are left as the administrators keep them. Returns how many were created."""
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))["categories"]
    created = 0

    def load(nodes: list[dict[str, Any]], parent: Category | None) -> None:
        nonlocal created
        for position, node in enumerate(nodes):
            category, made = Category.objects.get_or_create(
                code=str(node["code"]),
                defaults={
                    "name": node["name"],
                    "parent": parent,
                    "local": node.get("local", False),
                    "complex": node.get("complex", False),
                    "default_urgency": node.get("urgency", Urgency.NORMAL),
                    "sort_order": position,
                },
            )
            created += made
            load(node.get("children", []), category)

    load(tree, None)
    if created:
        audit_record(
            actor=None,
            action="hotline.category.load",
            summary=f"载入12345诉求类别 {created} 个",
        )
    return created


# ---- Historical orders ------------------------------------------------------------------------

IMPORT_BATCH = 1000


@dataclass(frozen=True)
class RejectedRecord:
    line: int
    problems: tuple[importing.Problem, ...]


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: int
    """Already in the database (or earlier in the same file): same number."""
    rejected: tuple[RejectedRecord, ...]
    months: tuple[date, ...]
    """The months (first days) the imported orders were received in."""


def orders_import(
    *, actor: User | None, rows: Iterable[importing.Row], source: str, dry_run: bool = False
) -> ImportResult:
    """Write historical orders (``importing`` reads and checks them) with their past times, as
    the workflow would have left them: the order, its assignments, its events (受理, 派单, 签收,
    答复 or 直接答复办结, 回访, 办结) and its call-back; its time limit from the rules. Records
    with problems are rejected, the others written in batches in one transaction; one audit
    entry for the run; afterwards the monthly rates of the months touched are rebuilt and the
    published messages indexed. ``dry_run`` checks and counts, then rolls everything back."""
    reference = importing.Reference()
    now = timezone.now()
    rejected: list[RejectedRecord] = []
    seen: set[str] = set()
    limits: dict[tuple[str, bool, str], TimeLimitRule] = {}
    months: set[date] = set()
    published: list[str] = []
    imported = skipped = 0
    with transaction.atomic():
        batch: list[importing.OrderRecord] = []
        for line, values in itertools.chain(rows, [(0, None)]):
            if values is None:  # the end
                pass
            elif isinstance(values, str):
                rejected.append(RejectedRecord(line, (importing.Problem("", values),)))
            else:
                parsed = importing.parse_record(values, reference, now=now)
                if isinstance(parsed, list):
                    rejected.append(RejectedRecord(line, tuple(parsed)))
                else:
                    batch.append(parsed)
            if batch and (values is None or len(batch) >= IMPORT_BATCH):
                orders = _import_batch(batch, seen, limits)
                imported, skipped = imported + len(orders), skipped + len(batch) - len(orders)
                months.update(
                    timezone.localtime(o.received_at).date().replace(day=1) for o in orders
                )
                published += [str(o.pk) for o in orders if o.publish_consent and o.reply]
                batch = []
        audit_record(
            actor=actor,
            action="hotline.order.import",
            summary=f"导入历史工单（{source}）：导入 {imported} 件，已有而跳过 {skipped} 件，"
            f"有误未导入 {len(rejected)} 件",
        )
        if dry_run:
            transaction.set_rollback(True)
        else:
            rates_rebuild(months=months)
            if published:
                index_sync(source=indexing.SOURCE_KEY, keys=published)
    return ImportResult(imported, skipped, tuple(rejected), tuple(sorted(months)))


def _import_batch(
    records: list[importing.OrderRecord],
    seen: set[str],
    limits: dict[tuple[str, bool, str], TimeLimitRule],
) -> list[WorkOrder]:
    """Write the records whose number is not in ``seen`` nor in the database; returns their
    orders. ``limits`` caches the time-limit rules by urgency, complexity and request type."""
    numbers = [r.number for r in records]
    seen.update(WorkOrder.objects.filter(number__in=numbers).values_list("number", flat=True))
    new = []
    for record in records:
        if record.number not in seen:
            seen.add(record.number)
            new.append(record)
    for r in new:
        key = (r.urgency, r.complex, r.request_type)
        if key not in limits:
            limits[key] = selectors.time_limit(
                urgency=r.urgency, complex=r.complex, request_type=r.request_type
            )
    orders = WorkOrder.objects.bulk_create(
        [_imported_order(r, limits[(r.urgency, r.complex, r.request_type)]) for r in new]
    )
    assignments: list[Assignment] = []
    events: list[OrderEvent] = []
    callbacks: list[CallBack] = []
    for record, order in zip(new, orders, strict=True):
        assert order.pk is not None  # bulk_create returns the keys (PostgreSQL, SQLite ≥ 3.35)
        _imported_history(record, order, assignments, events, callbacks)
    Assignment.objects.bulk_create(assignments)
    OrderEvent.objects.bulk_create(events)
    CallBack.objects.bulk_create(callbacks)
    return orders


def _imported_order(record: importing.OrderRecord, rule: TimeLimitRule) -> WorkOrder:
    return WorkOrder(
        number=record.number,
        channel=record.channel,
        received_at=record.received_at,
        caller_name=record.caller_name,
        caller_phone=record.caller_phone,
        caller_email=record.caller_email,
        title=record.title,
        content=record.content,
        request_type=record.request_type,
        category=record.category,
        urgency=record.urgency,
        complex=record.complex,
        district=record.district,
        street=record.street,
        address=record.address,
        status=record.status,
        lead=record.lead,
        due_at=selectors.due_at(record.received_at, rule),
        answered_directly=record.answered_directly,
        reply=record.reply,
        replied_at=record.replied_at,
        closed_at=record.closed_at,
        publish_consent=record.publish_consent,
    )


def _imported_history(
    record: importing.OrderRecord,
    order: WorkOrder,
    assignments: list[Assignment],
    events: list[OrderEvent],
    callbacks: list[CallBack],
) -> None:
    """The assignments, events and call-back the workflow would have recorded for ``order``
    (the same kinds, texts and organisations as the services'; no actor: the old system's)."""

    def event(kind: EventKind, at: datetime, org: Organisation | None, text: str = "") -> None:
        events.append(OrderEvent(order=order, kind=kind, at=at, organisation=org, text=text))

    event(EventKind.RECEIVED, record.received_at, None, str(Channel(record.channel).label))
    lead = record.lead
    if lead is not None and record.dispatched_at is not None:
        for organisation, role in [(lead, AssignmentRole.LEAD)] + [
            (o, AssignmentRole.CO) for o in record.co
        ]:
            assignments.append(
                Assignment(
                    order=order,
                    organisation=organisation,
                    role=role,
                    dispatched_at=record.dispatched_at,
                    accepted_at=record.accepted_at if role == AssignmentRole.LEAD else None,
                )
            )
        names = "、".join([lead.name, *(f"{o.name}（协办）" for o in record.co)])
        event(EventKind.DISPATCHED, record.dispatched_at, lead, names)
        if record.accepted_at is not None:
            event(EventKind.ACCEPTED, record.accepted_at, lead)
        if record.replied_at is not None:
            event(EventKind.REPLIED, record.replied_at, lead, record.reply)
    elif record.answered_directly and record.closed_at is not None:
        event(EventKind.ANSWERED, record.closed_at, None, record.reply)
    if record.callback_at is not None and record.resolved is not None:
        callbacks.append(
            CallBack(
                order=order,
                at=record.callback_at,
                resolved=record.resolved,
                satisfaction=record.satisfaction,
            )
        )
        label = Satisfaction(record.satisfaction).label
        verdict = f"{'已解决' if record.resolved else '未解决'}，{label}"
        event(EventKind.CALLED_BACK, record.callback_at, None, verdict)
    if lead is not None and record.closed_at is not None:
        event(EventKind.CLOSED, record.closed_at, lead)
