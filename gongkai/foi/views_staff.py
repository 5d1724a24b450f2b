"""Staff pages of disclosure on request (依申请公开办理, under ``/ysqgk/gl/``): the queues, the
list, registering an application that arrived on paper, and the application page with its
actions.

Every page needs a handling role (``permissions.has_foi_role``; anonymous visitors are sent to
the login page, anyone else gets a 403) and shows only the applications the user handles
(``permissions.handled_applications``; any other is a 404). The applicant's personal data is
shown in full to a handler of the application's organisation and masked for the openness office
(``selectors.applicant_details``).

The application page offers the acts the clock accepts today (``selectors.allowed_acts``), each
a small form posted to ``act``, which calls one service; the service decides. A refusal
re-renders the page with the Chinese message: 403 when the user may not act, 409 when the
application's state does not allow it (someone moved it meanwhile), 400 for bad input.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.publishing.permissions import draftable_organisations

from . import clock, selectors, services
from .errors import FoiError, FoiErrorCode
from .forms import (
    ActionForm,
    AppealDecideForm,
    AppealForm,
    ConsultationAnswerForm,
    ConsultationSendForm,
    CorrectionReceivedForm,
    CorrectionRequestForm,
    DeliverForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    FeeNotifyForm,
    FeePaidForm,
    LetterForm,
    RegisterForm,
    ReplyForm,
    SearchForm,
    WithdrawForm,
)
from .models import (
    AppealKind,
    AppealResult,
    Application,
    Delivery,
    ExtensionRequest,
    Outcome,
)
from .permissions import can_handle, handled_applications, has_foi_role

PAGE_SIZE = 20


@dataclass(frozen=True)
class Act:
    label: Promise
    form: type[ActionForm]
    done: Promise
    event: clock.EventKind | None = None
    """Offered when the clock accepts this act today."""


ACTS: dict[str, Act] = {
    "correction_request": Act(
        gettext_lazy("告知补正"),
        CorrectionRequestForm,
        gettext_lazy("已记录告知补正，请生成并送达补正申请告知书。"),
        clock.EventKind.CORRECTION_REQUESTED,
    ),
    "correction_received": Act(
        gettext_lazy("收到补正"),
        CorrectionReceivedForm,
        gettext_lazy("已记录收到补正，答复期限重新计算。"),
        clock.EventKind.CORRECTION_RECEIVED,
    ),
    "consultation_send": Act(
        gettext_lazy("发出征求意见"),
        ConsultationSendForm,
        gettext_lazy("已记录发出征求意见，请生成并送达征求意见函。"),
        clock.EventKind.CONSULTATION_SENT,
    ),
    "consultation_answer": Act(
        gettext_lazy("收到征求意见答复"),
        ConsultationAnswerForm,
        gettext_lazy("已记录征求意见答复。"),
        clock.EventKind.CONSULTATION_ANSWERED,
    ),
    "extension_request": Act(
        gettext_lazy("申请延期答复"),
        ExtensionRequestForm,
        gettext_lazy("已提交延期申请，待政府信息公开工作机构负责人审批。"),
        clock.EventKind.EXTENSION_GRANTED,
    ),
    "extension_decide": Act(
        gettext_lazy("审批延期申请"), ExtensionDecideForm, gettext_lazy("已审批延期申请。")
    ),
    "fee_notify": Act(
        gettext_lazy("发出收费通知"),
        FeeNotifyForm,
        gettext_lazy("已记录收费通知并生成收费通知书。"),
        clock.EventKind.FEE_NOTIFIED,
    ),
    "fee_paid": Act(
        gettext_lazy("缴费"),
        FeePaidForm,
        gettext_lazy("已记录缴费，答复期限重新计算。"),
        clock.EventKind.FEE_PAID,
    ),
    "reply": Act(
        gettext_lazy("答复"),
        ReplyForm,
        gettext_lazy("已记录答复，请生成并送达答复告知书。"),
        clock.EventKind.REPLIED,
    ),
    "withdraw": Act(
        gettext_lazy("申请人撤回申请"),
        WithdrawForm,
        gettext_lazy("已记录申请人撤回申请。"),
        clock.EventKind.WITHDRAWN,
    ),
    "letter": Act(gettext_lazy("生成文书"), LetterForm, gettext_lazy("已生成文书。")),
    "deliver": Act(gettext_lazy("记录送达"), DeliverForm, gettext_lazy("已记录文书送达。")),
    "appeal": Act(gettext_lazy("登记复议或诉讼"), AppealForm, gettext_lazy("已登记复议或诉讼。")),
    "appeal_decide": Act(
        gettext_lazy("登记复议或诉讼结果"), AppealDecideForm, gettext_lazy("已登记审结结果。")
    ),
}
"""The actions of the application page, in the order they are shown."""


@dataclass(frozen=True)
class Row:
    """An application in a list, with its applicant's name as the viewer may see it and the
    deadline the list is about."""

    application: Application
    name: str
    deadline: date | None


def _staff(request: HttpRequest) -> User:
    """The user, who must hold a handling role."""
    user = request.user
    if not isinstance(user, User) or not has_foi_role(user):
        raise PermissionDenied
    return user


def _application(user: User, pk: int) -> Application:
    applications = handled_applications(user).select_related(
        "organisation", "account", "registered_by"
    )
    return get_object_or_404(applications, pk=pk)


def _rows(user: User, applications: Iterable[Application], deadline: str = "due_on") -> list[Row]:
    return [
        Row(a, selectors.applicant_details(user, a).name, getattr(a, deadline))
        for a in applications
    ]


# ---- Lists -----------------------------------------------------------------------------------


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    """What needs doing: the deadlines, what awaits the applicant, extensions to decide, and
    information asked for repeatedly that may be disclosed proactively (art. 44)."""
    user = _staff(request)
    found = selectors.staff_queues(user, today=services.local_today())
    page = Paginator(found.open, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "foi/staff/queues.html",
        {
            "tab": "queues",
            "overdue": _rows(user, found.overdue),
            "due_soon": _rows(user, found.due_soon),
            "correction_deadline": _rows(user, found.correction_deadline, "correction_request_by"),
            "awaiting_applicant": _rows(user, found.awaiting_applicant, "applicant_due_on"),
            "page": page,
            "open": _rows(user, page),
            "extensions": selectors.pending_extensions(user),
            "candidates": selectors.proactive_candidates(user),
            "can_draft": draftable_organisations(user).exists(),
            "due_soon_workdays": selectors.DUE_SOON_WORKDAYS,
            "correction_warning_workdays": selectors.CORRECTION_WARNING_WORKDAYS,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    filters = SearchForm(request.GET)
    text, status = (
        (filters.cleaned_data["q"], filters.cleaned_data["status"])
        if filters.is_valid()
        else ("", "")
    )
    found = selectors.staff_search(user, text=text, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "foi/staff/list.html",
        {"tab": "list", "filters": filters, "page": page, "rows": _rows(user, page)},
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register an application received in person, by post or by fax (art. 31)."""
    user = _staff(request)
    organisations = selectors.registrable_organisations(user)
    posted = request.method == "POST"
    form = RegisterForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=organisations,
    )
    if not posted:
        form.fields["submitted_on"].initial = services.local_today()
        if organisations.count() == 1:
            form.fields["organisation"].initial = organisations.get().pk
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            application, code = services.application_register(
                actor=user,
                organisation=data["organisation"],
                applicant=form.applicant(),
                channel=clock.Channel(data["channel"]),
                submitted_on=data["submitted_on"],
                signed_on=data["signed_on"],
                confirmed_on=data["confirmed_on"],
                attachments=data["attachments"],
            )
        except CoreError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.message) from error
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _(
                    "已登记申请 %(receipt_no)s，查询码 %(code)s。查询码只显示这一次，"
                    "请告知申请人：凭申请编号和查询码可在网上查询办理进度。"
                )
                % {"receipt_no": application.receipt_no, "code": code},
            )
            return redirect("foi:staff-application", pk=application.pk)
    return render(
        request,
        "foi/staff/register.html",
        {"tab": "register", "form": form},
        status=400 if form.errors else 200,
    )


# ---- The application page and its actions ----------------------------------------------------


def _available(user: User, application: Application, today: date) -> list[str]:
    """The actions ``user`` is offered on ``application`` today."""
    if not can_handle(user, application):
        return []
    acts = selectors.allowed_acts(application, today=today)
    offered = {name for name, act in ACTS.items() if act.event is not None and act.event in acts}
    if application.extension_requests.filter(approved__isnull=True).exists():
        offered.discard("extension_request")
    if selectors.pending_extensions(user).filter(application=application).exists():
        offered.add("extension_decide")
    if selectors.letter_choices(application):
        offered.add("letter")
    if application.letters.exists():
        offered.add("deliver")
    offered.add("appeal")
    if application.appeals.filter(result=AppealResult.PENDING).exists():
        offered.add("appeal_decide")
    return [name for name in ACTS if name in offered]


def _application_page(
    request: HttpRequest,
    user: User,
    application: Application,
    *,
    bound: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The staff page of ``application``; ``bound`` is the form of a refused action, shown
    with its errors (as a message when the action is no longer offered)."""
    today = services.local_today()
    action_forms = [
        (
            name,
            ACTS[name],
            bound
            if bound is not None and bound.prefix == name
            else ACTS[name].form(application=application, today=today, prefix=name),
        )
        for name in _available(user, application, today)
    ]
    if bound is not None and all(form is not bound for _name, _act, form in action_forms):
        for errors in bound.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return render(
        request,
        "foi/staff/application.html",
        {
            "application": application,
            "applicant": selectors.applicant_details(user, application),
            "state": services.clock_state(application, today=today),
            "events": application.events.select_related("actor"),
            "extension_requests": application.extension_requests.select_related(
                "requested_by", "decided_by"
            ),
            "letters": application.letters.prefetch_related("enclosures"),
            "appeals": application.appeals.all(),
            "attachments": application.attachments.all(),
            "action_forms": action_forms,
        },
        status=status,
    )


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    return _application_page(request, user, _application(user, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one action (``ACTS``) on an application."""
    user = _staff(request)
    found = _application(user, pk)
    chosen = ACTS.get(action)
    if chosen is None:
        raise Http404
    today = services.local_today()
    form = chosen.form(request.POST, request.FILES, application=found, today=today, prefix=action)
    if not form.is_valid():
        return _application_page(request, user, found, bound=form, status=400)
    try:
        _run(action, actor=user, application=found, form=form)
    except CoreError as error:
        form.add_service_error(error)
        found = _application(user, pk)
        return _application_page(request, user, found, bound=form, status=error.http_status)
    messages.success(request, str(chosen.done))
    return redirect("foi:staff-application", pk=found.pk)


def _run(action: str, *, actor: User, application: Application, form: ActionForm) -> None:
    """Call the action's service with its form's cleaned data."""
    data = form.cleaned_data
    record: dict[str, Any] = {"actor": actor, "application": application}
    match action:
        case "correction_request":
            services.application_record(
                **record,
                kind=clock.EventKind.CORRECTION_REQUESTED,
                on=data["on"],
                days=data["days"],
                note=data["note"],
            )
        case "correction_received":
            services.application_record(
                **record, kind=clock.EventKind.CORRECTION_RECEIVED, on=data["on"], note=data["note"]
            )
        case "consultation_send":
            services.application_record(
                **record,
                kind=clock.EventKind.CONSULTATION_SENT,
                on=data["on"],
                party=clock.Party(data["party"]),
                note=data["note"],
            )
        case "consultation_answer":
            services.application_record(
                **record,
                kind=clock.EventKind.CONSULTATION_ANSWERED,
                on=data["on"],
                key=data["key"],
                note=data["note"],
            )
        case "fee_paid":
            services.application_record(**record, kind=clock.EventKind.FEE_PAID, on=data["on"])
        case "extension_request":
            services.extension_request(**record, days=data["days"], reason=data["reason"])
        case "extension_decide":
            services.extension_decide(
                actor=actor,
                request=_pending_extension(application),
                approve=data["decision"] == ExtensionDecideForm.APPROVE,
                on=data["on"],
                note=data["note"],
            )
        case "fee_notify":
            services.fee_notify(**record, method=data["method"], pages=data["pages"], on=data["on"])
        case "reply":
            services.application_reply(
                **record,
                outcome=Outcome(data["outcome"]),
                on=data["on"],
                note=data["note"],
                referred_to=data["referred_to"],
            )
        case "withdraw":
            services.application_withdraw(**record, on=data["on"], note=data["note"])
        case "letter":
            assert isinstance(form, LetterForm)
            kind, event = form.letters[data["event"]]
            services.letter_issue(**record, kind=kind, event=event, enclosures=data["enclosures"])
        case "deliver":
            services.letter_deliver(
                actor=actor, letter=data["letter"], way=Delivery(data["way"]), on=data["on"]
            )
        case "appeal":
            services.appeal_record(
                **record,
                kind=AppealKind(data["kind"]),
                filed_on=data["filed_on"],
                case_no=data["case_no"],
                body=data["body"],
                note=data["note"],
            )
        case "appeal_decide":
            services.appeal_decide(
                actor=actor,
                appeal=data["appeal"],
                result=AppealResult(data["result"]),
                decided_on=data["decided_on"],
                note=data["note"],
            )


def _pending_extension(application: Application) -> ExtensionRequest:
    """The extension request of ``application`` awaiting a decision."""
    request = application.extension_requests.filter(approved__isnull=True).first()
    if request is None:
        raise FoiError(FoiErrorCode.EXTENSION_DECIDED)
    return request
