"""Public pages of disclosure on request (依申请公开, under ``/ysqgk/``): how to apply, the
application form and its receipt, following an application, and downloading its letters.

No login is needed. An applicant follows an application (``permissions.can_follow``) from the
account that filed it, or in a session that proved it: with the receipt number and query code
(``query``, wrong attempts throttled per session and per client address), or with the one-time
link of the receipt (``link``). Anyone else gets a 404, as for an application that does not
exist. Letters, the information sent with a reply and the attachments of an application are
served only through ``letter_file``, ``enclosure_file`` and ``attachment_file``, to the
applicant and to the staff who handle the application; never from a public media URL.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.core.middleware import client_ip

from . import clock, fees, selectors, services
from .errors import FoiError
from .forms import ApplicationForm, CorrectionForm, QueryForm
from .models import Application, ApplicationAttachment, Letter, LetterEnclosure
from .permissions import SESSION_KEY, can_follow, can_handle, own_applications, session_grants

QUERY_FAILURES_MAX = 10
"""Wrong receipt number / query code pairs allowed per session and per client address ..."""
QUERY_FAILURES_WINDOW = 3600
"""... within this many seconds of the first."""
RECEIPT_KEY = "foi.receipt"
"""The session entry holding a new application's receipt until it has been shown once."""
FILE_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _grant(request: HttpRequest, application: Application) -> None:
    """Let this session follow ``application``."""
    granted = list(request.session.get(SESSION_KEY, []))
    if application.pk not in granted:
        request.session[SESSION_KEY] = [*granted, application.pk]


def _followed(request: HttpRequest, receipt_no: str) -> Application:
    """The application ``receipt_no`` if the visitor follows it; otherwise a 404."""
    application = (
        Application.objects.select_related("organisation").filter(receipt_no=receipt_no).first()
    )
    if application is None or not can_follow(
        request.user, application, session_grants(request.session)
    ):
        raise Http404(_("没有找到该申请，或您无权查看。"))
    return application


def index(request: HttpRequest) -> HttpResponse:
    """How to apply: the essentials of the 公开指南 for requests."""
    return render(
        request,
        "foi/public/index.html",
        {
            "reply_limit": clock.REPLY_LIMIT,
            "extension_max": clock.EXTENSION_MAX,
            "correction_request_limit": clock.CORRECTION_REQUEST_LIMIT,
            "consultation_limit": clock.CONSULTATION_LIMIT,
            "fee_payment_limit": clock.FEE_PAYMENT_LIMIT,
            "fee_methods": list(fees.Method),
        },
    )


def apply(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ApplicationForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        user = request.user
        try:
            application, code = services.application_submit(
                account=user if isinstance(user, User) else None,
                organisation=form.cleaned_data["organisation"],
                applicant=form.applicant(),
                attachments=form.cleaned_data["attachments"],
            )
        except CoreError as error:
            form.add_service_error(error)
        else:
            token = services.access_link_create(application=application)
            _grant(request, application)
            request.session[RECEIPT_KEY] = {
                "receipt_no": application.receipt_no,
                "code": code,
                "token": token,
            }
            return redirect("foi:receipt")
    return render(
        request, "foi/public/apply.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt of the application just filed, shown once: the query code is not kept."""
    shown = request.session.pop(RECEIPT_KEY, None)
    if shown is None:
        messages.info(request, _("回执只显示一次。请凭申请编号和查询码查询办理进度。"))
        return redirect("foi:query")
    link = request.build_absolute_uri(reverse("foi:link", args=[shown["token"]]))
    return render(
        request,
        "foi/public/receipt.html",
        {"receipt": shown, "link": link, "link_days": settings.GONGKAI_FOI_LINK_DAYS},
    )


def _failure_keys(request: HttpRequest) -> list[str]:
    if request.session.session_key is None:
        request.session.save()
    keys = [f"foi.query.session.{request.session.session_key}"]
    address = client_ip(request)
    if address:
        keys.append(f"foi.query.ip.{address}")
    return keys


def _throttled(keys: list[str]) -> bool:
    return any((cache.get(key) or 0) >= QUERY_FAILURES_MAX for key in keys)


def _count_failure(keys: list[str]) -> None:
    for key in keys:
        cache.add(key, 0, QUERY_FAILURES_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, QUERY_FAILURES_WINDOW)


def query(request: HttpRequest) -> HttpResponse:
    """Prove an application with its receipt number and query code."""
    form = QueryForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        keys = _failure_keys(request)
        if _throttled(keys):
            form.add_error(None, _("查询码错误次数过多，请一小时后再试。"))
            status = 429
        else:
            try:
                application = services.application_by_code(
                    receipt_no=form.cleaned_data["receipt_no"], code=form.cleaned_data["code"]
                )
            except FoiError as error:
                _count_failure(keys)
                form.add_service_error(error)
            else:
                _grant(request, application)
                return redirect("foi:application", receipt_no=application.receipt_no)
    if form.errors and status == 200:
        status = 400
    return render(request, "foi/public/query.html", {"form": form}, status=status)


def link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link of a receipt: opening it (a POST, so that link previews and mail
    scanners do not use it up) lets this session follow the application."""
    if request.method != "POST":
        return render(request, "foi/public/link.html", {"token": token})
    try:
        application = services.access_link_use(token=token)
    except FoiError as error:
        return render(
            request, "foi/public/link.html", {"token": token, "error": error.message}, status=404
        )
    _grant(request, application)
    return redirect("foi:application", receipt_no=application.receipt_no)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = own_applications(request.user, session_grants(request.session))
    return render(
        request,
        "foi/public/mine.html",
        {"applications": applications.select_related("organisation").order_by("-id")},
    )


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    form: CorrectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = services.clock_state(application)
    if form is None and state.status == clock.Status.PAUSED_CORRECTION:
        form = CorrectionForm(
            initial={"information": application.information, "doc_no": application.doc_no}
        )
    return render(
        request,
        "foi/public/application.html",
        {
            "application": application,
            "state": state,
            "events": selectors.applicant_events(application),
            "letters": selectors.applicant_letters(application).prefetch_related("enclosures"),
            "attachments": application.attachments.all(),
            "correction_form": form,
        },
        status=status,
    )


def application(request: HttpRequest, receipt_no: str) -> HttpResponse:
    """An application as its applicant follows it: status, deadlines, the day-by-day clock,
    the acts, the letters, and the correction form while one is awaited."""
    return _application_page(request, _followed(request, receipt_no))


@require_POST
def correct(request: HttpRequest, receipt_no: str) -> HttpResponse:
    """The applicant sends the corrected description (art. 30)."""
    followed = _followed(request, receipt_no)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.application_correct(
                application=followed,
                information=form.cleaned_data["information"],
                doc_no=form.cleaned_data["doc_no"],
            )
        except CoreError as error:
            status = error.http_status
            if status != 400:
                messages.error(request, error.message)
                return _application_page(request, followed, status=status)
            form.add_service_error(error)
            return _application_page(request, followed, form=form, status=status)
        messages.success(request, _("已提交补正，答复期限自今日起重新计算。"))
        return redirect("foi:application", receipt_no=followed.receipt_no)
    return _application_page(request, followed, form=form, status=400)


def _may_download(request: HttpRequest, letter: Letter) -> bool:
    """The staff handling the application may download its letters; its applicant those
    addressed to them (``selectors.applicant_letters``)."""
    application = letter.application
    if can_handle(request.user, application):
        return True
    return (
        can_follow(request.user, application, session_grants(request.session))
        and selectors.applicant_letters(application).filter(pk=letter.pk).exists()
    )


def letter_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A letter as PDF or DOCX."""
    letter = get_object_or_404(Letter.objects.select_related("application__organisation"), pk=pk)
    stored = {"pdf": letter.pdf, "docx": letter.docx}.get(fmt)
    if not stored or not _may_download(request, letter):
        raise Http404
    name = f"{letter.get_kind_display()}-{letter.number}.{fmt}".replace("/", "-")
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=FILE_FORMATS[fmt]
    )


def enclosure_file(request: HttpRequest, pk: int) -> FileResponse:
    """Information sent with a reply, as stored (its personal data masked)."""
    enclosure = get_object_or_404(
        LetterEnclosure.objects.select_related("letter__application__organisation"), pk=pk
    )
    if not _may_download(request, enclosure.letter):
        raise Http404
    return FileResponse(enclosure.file.open("rb"), as_attachment=True, filename=enclosure.name)


def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of an application: for its applicant and the staff handling it."""
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application__organisation"), pk=pk
    )
    application = attachment.application
    grants = session_grants(request.session)
    if not (can_handle(request.user, application) or can_follow(request.user, application, grants)):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
