"""Writes of the hotline: intake, answer, dispatch, accept or send back, notes, reply,
call-back, reopen, close, merge. Each is one transaction, moves the order along
``workflow.TRANSITIONS``, records an ``OrderEvent`` and an audit event. An order is saved, with
its number, before the caller is given the number."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.core.audit import audit_record
from gongkai.core.errors import first_problem
from gongkai.orgs.models import Organisation

from . import selectors
from .errors import HotlineError, HotlineErrorCode
from .models import (
    Assignment,
    AssignmentRole,
    CallBack,
    Category,
    Channel,
    EventKind,
    ExtensionRequest,
    OrderEvent,
    Satisfaction,
    Status,
    Supervision,
    SupervisionReason,
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
from .workflow import Action, next_status


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
        number=f"tmp{secrets.token_hex(6)}",  # replaced by the real number below
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
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _full_clean(order, exclude=["number"])
    with transaction.atomic():
        order.save()
        local = timezone.localtime(received_at)
        order.number = f"{local:%Y%m%d}{order.pk:08d}"
        order.save(update_fields=["number"])
        _event(order, EventKind.RECEIVED, actor, text=str(Channel(channel).label))
        audit_record(
            actor=actor,
            action="hotline.order.create",
            target=order,
            summary=f"受理工单 {order.number}（{Channel(channel).label}）",
        )
    return order


def order_answer(*, actor: User, order: WorkOrder, answer: str) -> WorkOrder:
    """Answer at once (直接办结), e.g. from the knowledge base."""
    _allow(can_answer(actor, order))
    return _move(order, Action.ANSWER, actor, text=_required(answer), reply=True, answered=True)


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


def order_accept(*, actor: User, order: WorkOrder) -> WorkOrder:
    _allow(can_handle(actor, order))
    with transaction.atomic():
        order = _moved(order, Action.ACCEPT, actor)
        order.assignments.filter(active=True, role=AssignmentRole.LEAD).update(
            accepted_at=timezone.now()
        )
    return order


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


def order_reply(*, actor: User, order: WorkOrder, reply: str) -> WorkOrder:
    _allow(can_handle(actor, order))
    return _move(order, Action.REPLY, actor, text=_required(reply), reply=True)


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


def order_close(*, actor: User, order: WorkOrder) -> WorkOrder:
    """办结 after the call-back that followed the last reply."""
    _allow(can_dispatch(actor, order))
    last_reply = order.replied_at
    if last_reply is None or not order.callbacks.filter(at__gte=last_reply).exists():
        raise HotlineError(HotlineErrorCode.CALL_BACK_FIRST)
    return _move(order, Action.CLOSE, actor)


def order_merge(*, actor: User, order: WorkOrder, into: WorkOrder, reason: str) -> WorkOrder:
    """并单: the same request again (same caller and issue, or many callers about one place)."""
    _allow(can_dispatch(actor, order))
    if into.pk == order.pk:
        raise HotlineError(HotlineErrorCode.MERGE_INTO_SELF)
    if into.status in (Status.CLOSED, Status.MERGED):
        raise HotlineError(HotlineErrorCode.MERGE_TARGET_CLOSED)
    with transaction.atomic():
        order = _moved(order, Action.MERGE, actor, text=f"并入 {into.number}：{_required(reason)}")
        order.merged_into = into
        order.save(update_fields=["merged_into"])
        _event(into, EventKind.MERGED, actor, text=f"并入工单 {order.number}")
    return order


# ---- Extensions and supervision ---------------------------------------------------------------

OPEN = (Status.RECEIVED, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
SUPERVISABLE = (*OPEN, Status.REPLIED)
"""An order may be supervised until it is closed (a reply may still be reopened)."""


def extension_request(
    *, actor: User, order: WorkOrder, until: datetime, reason: str
) -> ExtensionRequest:
    """The lead organisation asks to complete the order later than its time limit."""
    _allow(can_handle(actor, order))
    reason = _required(reason)
    if order.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        raise HotlineError(HotlineErrorCode.ORDER_NOT_OPEN)
    if until <= order.due_at:
        raise HotlineError(
            HotlineErrorCode.EXTENSION_NOT_LATER,
            due=f"{timezone.localtime(order.due_at):%Y-%m-%d %H:%M}",
        )
    with transaction.atomic():
        order = _locked(order)
        if order.extensions.filter(approved__isnull=True).exists():
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


def load_demo_categories() -> str:
    created = category_load_reference_data()
    return f"12345诉求类别：新增 {created} 个，共 {Category.objects.count()} 个。"
