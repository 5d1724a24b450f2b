"""Staff pages of the 12345 work orders (under ``/12345/gl/``): the operator's intake, the
dispatcher, handler, call-back, supervision and extension queues, the order page with its
actions (and, for the dispatcher, the order's duplicate candidates), and the hot topics and hot
places of a period (诉求汇总).

Every page needs a hotline role (``permissions.has_hotline_role``; anonymous visitors are sent
to the login page, anyone else gets a 403) and shows only the orders the user may see
(``permissions.visible_orders``; any other is a 404). The caller's details are shown in full
only where ``permissions.can_see_caller`` allows, masked elsewhere.

The order page offers the actions the user may take and ``workflow.TRANSITIONS`` allows, each a
small form posted to ``act``, which calls one service; the service decides. A refusal
re-renders the page with the Chinese message and what was typed: 403 when the user may not act,
409 when the order's state does not allow it (someone moved it meanwhile), 400 for bad input.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.core.privacy import mask_contact, mask_name, mask_phone

from . import permissions, routing, selectors, services
from .errors import HotlineError, HotlineErrorCode
from .forms_staff import (
    AnswerForm,
    CallBackForm,
    DispatchForm,
    EmptyForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    IntakeForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    ServiceForm,
    SuperviseForm,
    TopicsFilterForm,
)
from .models import Channel, ExtensionRequest, Satisfaction, Status, WorkOrder
from .workflow import AT_ORGANISATION, FINISHED, SUPERVISABLE, TRANSITIONS, Action

DUE_SOON_HOURS = 24


def _moves(order: WorkOrder, action: Action) -> bool:
    return (Status(order.status), action) in TRANSITIONS


def _extension_allowed(user: User, order: WorkOrder) -> bool:
    return (
        order.status in AT_ORGANISATION
        and permissions.can_handle(user, order)
        and selectors.pending_extension(order) is None
    )


def _close_allowed(user: User, order: WorkOrder) -> bool:
    return (
        _moves(order, Action.CLOSE)
        and permissions.can_dispatch(user, order)
        and selectors.called_back_since_reply(order)
    )


def _supervise_allowed(user: User, order: WorkOrder) -> bool:
    return order.status in SUPERVISABLE and permissions.can_supervise(user, order)


@dataclass(frozen=True)
class Act:
    label: Promise
    form: type[ServiceForm]
    done: Promise
    allowed: Callable[[User, WorkOrder], bool]
    run: Callable[[User, WorkOrder, dict[str, Any]], object]


def _when(action: Action, permitted: Callable[[User, WorkOrder], bool]) -> Callable[..., bool]:
    return lambda user, order: _moves(order, action) and permitted(user, order)


ACTS: dict[str, Act] = {
    "answer": Act(
        gettext_lazy("直接答复办结"),
        AnswerForm,
        gettext_lazy("已直接答复并办结。"),
        _when(Action.ANSWER, permissions.can_answer),
        lambda user, order, data: services.order_answer(
            actor=user, order=order, answer=data["answer"]
        ),
    ),
    "dispatch": Act(
        gettext_lazy("派单"),
        DispatchForm,
        gettext_lazy("已派单。"),
        _when(Action.DISPATCH, permissions.can_dispatch),
        lambda user, order, data: services.order_dispatch(
            actor=user, order=order, lead=data["lead"], co=tuple(data["co"]), note=data["note"]
        ),
    ),
    "merge": Act(
        gettext_lazy("并单"),
        MergeForm,
        gettext_lazy("已并入其他工单。"),
        _when(Action.MERGE, permissions.can_dispatch),
        lambda user, order, data: services.order_merge(
            actor=user, order=order, into=data["into"], reason=data["reason"]
        ),
    ),
    "accept": Act(
        gettext_lazy("签收"),
        EmptyForm,
        gettext_lazy("已签收。"),
        _when(Action.ACCEPT, permissions.can_handle),
        lambda user, order, data: services.order_accept(actor=user, order=order),
    ),
    "send_back": Act(
        gettext_lazy("退单"),
        ReasonForm,
        gettext_lazy("已退单，工单回到派单员。"),
        _when(Action.SEND_BACK, permissions.can_handle),
        lambda user, order, data: services.order_send_back(
            actor=user, order=order, reason=data["reason"]
        ),
    ),
    "note": Act(
        gettext_lazy("记录办理情况"),
        NoteForm,
        gettext_lazy("已记录办理情况。"),
        _when(Action.NOTE, permissions.can_add_note),
        lambda user, order, data: services.order_note(actor=user, order=order, text=data["text"]),
    ),
    "contact": Act(
        gettext_lazy("记录联系诉求人"),
        NoteForm,
        gettext_lazy("已记录联系诉求人。"),
        _when(Action.NOTE, permissions.can_add_note),
        lambda user, order, data: services.order_note(
            actor=user, order=order, text=data["text"], contact=True
        ),
    ),
    "reply": Act(
        gettext_lazy("答复"),
        ReplyForm,
        gettext_lazy("已答复，待回访。"),
        _when(Action.REPLY, permissions.can_handle),
        lambda user, order, data: services.order_reply(
            actor=user, order=order, reply=data["reply"]
        ),
    ),
    "extension_request": Act(
        gettext_lazy("申请延期"),
        ExtensionRequestForm,
        gettext_lazy("已提交延期申请，待派单员审批。"),
        _extension_allowed,
        lambda user, order, data: services.extension_request(
            actor=user, order=order, until=data["until"], reason=data["reason"]
        ),
    ),
    "extension_decide": Act(
        gettext_lazy("审批延期申请"),
        ExtensionDecideForm,
        gettext_lazy("已审批延期申请。"),
        lambda user, order: (
            selectors.pending_extension(order) is not None and permissions.can_dispatch(user, order)
        ),
        lambda user, order, data: services.extension_decide(
            actor=user,
            request=_pending_or_refuse(order),
            approve=data["decision"],
            note=data["note"],
        ),
    ),
    "call_back": Act(
        gettext_lazy("回访"),
        CallBackForm,
        gettext_lazy("已记录回访。"),
        _when(Action.CALL_BACK, permissions.can_call_back),
        lambda user, order, data: services.order_call_back(
            actor=user,
            order=order,
            resolved=data["resolved"],
            satisfaction=Satisfaction(data["satisfaction"]),
            note=data["note"],
        ),
    ),
    "close": Act(
        gettext_lazy("办结"),
        EmptyForm,
        gettext_lazy("工单已办结。"),
        _close_allowed,
        lambda user, order, data: services.order_close(actor=user, order=order),
    ),
    "reopen": Act(
        gettext_lazy("重办"),
        ReasonForm,
        gettext_lazy("已退回主办单位重办。"),
        _when(Action.REOPEN, permissions.can_dispatch),
        lambda user, order, data: services.order_reopen(
            actor=user, order=order, reason=data["reason"]
        ),
    ),
    "supervise": Act(
        gettext_lazy("督办"),
        SuperviseForm,
        gettext_lazy("已督办。"),
        _supervise_allowed,
        lambda user, order, data: services.order_supervise(
            actor=user, order=order, note=data["note"], hours=data["hours"]
        ),
    ),
}
"""The actions of the order page, in the order they are shown."""


def _pending_or_refuse(order: WorkOrder) -> ExtensionRequest:
    request = selectors.pending_extension(order)
    if request is None:
        raise HotlineError(HotlineErrorCode.EXTENSION_DECIDED)
    return request


@dataclass(frozen=True)
class Caller:
    name: str
    phone: str
    email: str


def caller(user: User, order: WorkOrder) -> Caller:
    """The caller's details as ``user`` may see them."""
    if permissions.can_see_caller(user, order):
        return Caller(order.caller_name, order.caller_phone, order.caller_email)
    return Caller(
        mask_name(order.caller_name),
        mask_phone(order.caller_phone),
        mask_contact(order.caller_email),
    )


def due_state(order: WorkOrder) -> str:
    """ "overdue", "soon" (within 24 hours) or "" for an open order's time limit."""
    if order.status in FINISHED:
        return ""
    left = order.due_at - timezone.now()
    if left.total_seconds() < 0:
        return "overdue"
    return "soon" if left.total_seconds() <= DUE_SOON_HOURS * 3600 else ""


TABS: dict[str, Promise] = {
    "new": gettext_lazy("受理来电"),
    "dispatch": gettext_lazy("待派单"),
    "mine": gettext_lazy("本单位工单"),
    "call-backs": gettext_lazy("待回访"),
    "extensions": gettext_lazy("延期审批"),
    "supervisions": gettext_lazy("督办"),
    "topics": gettext_lazy("热点诉求"),
}
"""The list pages (``permissions.QUEUES``; URL names ``hotline_staff:<key>``), in tab order."""


def _tabs(user: User) -> list[tuple[str, Promise]]:
    return [
        (f"hotline_staff:{key}", label)
        for key, label in TABS.items()
        if permissions.can_work(user, key)
    ]


def _render(
    request: HttpRequest, user: User, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**context, "staff_tabs": _tabs(user), "perms_new": permissions.can_take(user)}
    return render(request, template, context, status=status)


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not permissions.has_hotline_role(user):
        raise PermissionDenied
    return user


def _queue(request: HttpRequest, queue: str) -> User:
    """The user, if they may open the list page ``queue``."""
    user = _staff(request)
    if not permissions.can_work(user, queue):
        raise PermissionDenied
    return user


def _order(user: User, number: str) -> WorkOrder:
    orders = permissions.visible_orders(user).select_related(
        "category", "district", "street", "lead", "created_by", "merged_into"
    )
    return get_object_or_404(orders, number=number)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The first queue of the user's roles."""
    tabs = _tabs(_staff(request))
    return redirect(tabs[0][0])


# ---- Intake -----------------------------------------------------------------------------------


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """The operator takes a call."""
    user = _queue(request, "new")
    form = IntakeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_create(
                actor=user,
                channel=Channel.PHONE,
                intake=services.Intake(
                    content=data["content"],
                    request_type=data["request_type"],
                    category=data["category"],
                    urgency=data["urgency"],
                    caller_name=data["caller_name"],
                    caller_phone=data["caller_phone"],
                    district=data["district"],
                    street=data["street"],
                    address=data["address"],
                ),
            )
        except CoreError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.message) from error
            form.add_service_error(error)
        else:
            messages.success(request, _("已受理，工单编号 %(number)s。") % {"number": order.number})
            return redirect("hotline_staff:order", number=order.number)
    return _render(
        request, user, "hotline/staff/new.html", {"form": form}, 400 if form.errors else 200
    )


# ---- Queues -----------------------------------------------------------------------------------


def suggestions(order: WorkOrder, names: routing.Names) -> list[routing.Route]:
    """Where the dispatch catalogue sends the order (``routing.route``), if anywhere."""
    found = routing.route(order, names)
    return [found] if found.organisation is not None or found.transfer else []


@login_required
def dispatch_queue(request: HttpRequest) -> HttpResponse:
    user = _queue(request, "dispatch")
    orders = selectors.annotate_duplicates(user, list(selectors.dispatch_queue(user)))
    names = routing.Names()  # the queue's orders share a few districts and names
    rows = [(o, suggestions(o, names), routing.learned(o, k=1, names=names)) for o in orders]
    return _render(request, user, "hotline/staff/dispatch.html", {"rows": rows})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _queue(request, "mine")
    assignments = list(selectors.handler_queue(user))
    return _render(
        request,
        user,
        "hotline/staff/mine.html",
        {"rows": [(a, due_state(a.order)) for a in assignments]},
    )


@login_required
def call_backs(request: HttpRequest) -> HttpResponse:
    user = _queue(request, "call-backs")
    return _render(
        request,
        user,
        "hotline/staff/call_backs.html",
        {"orders": selectors.call_back_queue(user)},
    )


@login_required
def supervisions(request: HttpRequest) -> HttpResponse:
    user = _queue(request, "supervisions")
    return _render(
        request,
        user,
        "hotline/staff/supervisions.html",
        {"supervisions": selectors.open_supervisions(user)},
    )


@login_required
def extensions(request: HttpRequest) -> HttpResponse:
    user = _queue(request, "extensions")
    return _render(
        request,
        user,
        "hotline/staff/extensions.html",
        {"extensions": selectors.pending_extensions(user)},
    )


# ---- The order page and its actions -----------------------------------------------------------


def _form(name: str, order: WorkOrder, data: Any = None) -> ServiceForm:
    return ACTS[name].form(data, order=order, prefix=name)


def _order_page(
    request: HttpRequest,
    user: User,
    order: WorkOrder,
    *,
    bound: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    action_forms = [
        (name, act, bound if bound is not None and bound.prefix == name else _form(name, order))
        for name, act in ACTS.items()
        if act.allowed(user, order)
    ]
    names = routing.Names()
    routes = suggestions(order, names)
    for _name, _act, form in action_forms:
        if isinstance(form, DispatchForm) and not form.is_bound:
            # the suggestion the dispatcher took (``?lead=``), else the catalogue's
            form.propose(
                request.GET.get("lead"), *(r.organisation.pk for r in routes if r.organisation)
            )
    if bound is not None and all(form is not bound for _n, _a, form in action_forms):
        for errors in bound.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return _render(
        request,
        user,
        "hotline/staff/order.html",
        {
            "order": order,
            "caller": caller(user, order),
            "due": due_state(order),
            "suggestions": routes,
            "learned": routing.learned(order, names=names)
            if _moves(order, Action.DISPATCH)
            else [],
            "assignments": order.assignments.select_related("organisation"),
            "events": order.events.select_related("actor", "organisation"),
            "callbacks": order.callbacks.select_related("actor"),
            "extensions": order.extensions.select_related("organisation", "requested_by"),
            "supervisions": order.supervisions.select_related("created_by"),
            "duplicates": selectors.duplicate_candidates(user, order),
            "action_forms": action_forms,
        },
        status,
    )


@login_required
def order(request: HttpRequest, number: str) -> HttpResponse:
    user = _staff(request)
    return _order_page(request, user, _order(user, number))


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Take one action (``ACTS``) on an order."""
    user = _staff(request)
    found = _order(user, number)
    chosen = ACTS.get(action)
    if chosen is None:
        raise Http404
    form = _form(action, found, request.POST)
    if not form.is_valid():
        return _order_page(request, user, found, bound=form, status=400)
    try:
        chosen.run(user, found, form.cleaned_data)
    except CoreError as error:
        form.add_service_error(error)
        found = _order(user, number)
        return _order_page(request, user, found, bound=form, status=error.http_status)
    messages.success(request, str(chosen.done))
    if not permissions.visible_orders(user).filter(pk=found.pk).exists():
        return redirect("hotline_staff:index")  # e.g. sent back: no longer the user's
    return redirect("hotline_staff:order", number=found.number)


# ---- 诉求汇总: hot topics and hot places (主动治理) ---------------------------------------------


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    """The hot topics and hot places of a period in the user's area; a bad period or district
    is a 400 with the form's Chinese message."""
    user = _queue(request, "topics")
    form = TopicsFilterForm(request.GET, districts=selectors.topic_districts(user))
    if not form.is_valid():
        return _render(request, user, "hotline/staff/topics.html", {"form": form}, 400)
    data = form.cleaned_data
    summary = selectors.topic_summary(
        user, start=data["start"], end=data["end"], district=data["district"]
    )
    context = {"form": form, "summary": summary}
    return _render(request, user, "hotline/staff/topics.html", context)
