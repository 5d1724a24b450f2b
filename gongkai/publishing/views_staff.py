"""Staff pages of government information (政府信息管理, under ``/xxgk/gl/``): the document
lists, drafting and editing with attachments, and the document page with its workflow actions.

Every page needs a publishing role (``permissions.has_publishing_role``; anonymous visitors are
sent to the login page) and shows only documents of the user's staff lists
(``permissions.staff_documents``; any other is a 404). A user is offered the actions
``workflow.available_actions`` gives; each is a POST calling one service. A refused action
re-renders the document page with the Chinese message: 403 when the user may not take it,
409 when the document's status does not allow it (someone moved it meanwhile), 400 for
anything else.

A failing 个人信息 check lists what was found (masked values with their context) and, to whoever
may mask it (``workflow.Action.MASK``), a form that masks it (``staff_mask_personal_data``).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User

from . import checks, permissions, selectors, services, workflow
from .errors import PublishingError
from .forms import (
    OVERRIDE_PREFIX,
    ActionForm,
    ApproveForm,
    AttachmentForm,
    ConfirmForm,
    DocumentForm,
    ExemptForm,
    LinkForm,
    MaskPersonalDataForm,
    PublishForm,
    ReturnForm,
    RevisionForm,
    StatusFilterForm,
    ValidityForm,
    WithdrawForm,
)
from .models import Document, Interpretation
from .workflow import Action

PAGE_SIZE = 20

ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.SUBMIT: ConfirmForm,
    Action.RECALL: ConfirmForm,
    Action.START_REVIEW: ConfirmForm,
    Action.RETURN: ReturnForm,
    Action.APPROVE: ApproveForm,
    Action.PUBLISH: PublishForm,
    Action.START_REVISION: RevisionForm,
    Action.WITHDRAW: WithdrawForm,
    Action.EXEMPT: ExemptForm,
    Action.SET_VALIDITY: ValidityForm,
    Action.LINK: LinkForm,
}
"""The actions taken on the document page (editing has a page of its own)."""

DONE = {
    Action.SUBMIT: gettext_lazy("已提交审核。"),
    Action.RECALL: gettext_lazy("已撤回提交，可以继续修改。"),
    Action.START_REVIEW: gettext_lazy("已开始审核。"),
    Action.RETURN: gettext_lazy("已退回经办人修改。"),
    Action.APPROVE: gettext_lazy("已审核通过。"),
    Action.PUBLISH: gettext_lazy("已发布。"),
    Action.START_REVISION: gettext_lazy("已开始修订，新版本草稿可以修改了。"),
    Action.WITHDRAW: gettext_lazy("已撤回发布。"),
    Action.EXEMPT: gettext_lazy("已记录免于同步解读的理由。"),
    Action.SET_VALIDITY: gettext_lazy("已变更有效性。"),
    Action.LINK: gettext_lazy("已关联所解读的政策。"),
}


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data to bind a form to; an empty POST still binds (and fails validation)."""
    return request.POST if request.method == "POST" else None


def _staff(request: HttpRequest) -> User:
    """The user, who must hold a publishing role."""
    user = request.user
    if not isinstance(user, User) or not permissions.has_publishing_role(user):
        raise PermissionDenied
    return user


def _document(user: User, pk: int) -> Document:
    documents = permissions.staff_documents(user).select_related(
        "organisation", "genre", "topic__parent", "legal_basis", "replaced_by", "created_by"
    )
    return get_object_or_404(documents, pk=pk)


# The lists.


def _list_page(
    request: HttpRequest,
    user: User,
    *,
    tab: str,
    documents: QuerySet[Document],
    **context: object,
) -> HttpResponse:
    """A tab of documents, paged, each with its publication deadline."""
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "publishing/staff/list.html",
        {
            "tab": tab,
            "page": page,
            "rows": [
                (document, selectors.document_deadline(document, today=today)) for document in page
            ],
            "can_create": permissions.draftable_organisations(user).exists(),
            **context,
        },
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """全部: every document of the user's staff lists, filtered by status."""
    user = _staff(request)
    filters = StatusFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    return _list_page(
        request,
        user,
        tab="all",
        documents=selectors.staff_document_list(user=user, status=status),
        filters=filters,
    )


@login_required
def staff_review(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return _list_page(request, user, tab="review", documents=selectors.review_queue(user=user))


@login_required
def staff_uninterpreted(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return _list_page(
        request,
        user,
        tab="uninterpreted",
        documents=selectors.policies_lacking_interpretation(user=user),
    )


@login_required
def staff_due(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    due = selectors.documents_due(user=user, today=timezone.localdate())
    return render(
        request,
        "publishing/staff/due.html",
        {
            "tab": "due",
            "overdue_rows": [(item.document, item) for item in due.overdue],
            "due_soon_rows": [(item.document, item) for item in due.due_soon],
        },
    )


@login_required
def staff_leaders(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return render(
        request,
        "publishing/staff/leaders.html",
        {
            "tab": "leaders",
            "counts": selectors.leader_interpretation_counts(user=user),
            "this_year": timezone.localdate().year,
        },
    )


# Drafting.


def _create(request: HttpRequest, *, interpretation: bool) -> HttpResponse:
    user = _staff(request)
    if not permissions.draftable_organisations(user).exists():
        raise PermissionDenied
    initial = {"policies": request.GET.getlist("policy")} if interpretation else None
    form = DocumentForm(_posted(request), user=user, interpretation=interpretation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if interpretation:
                document = services.interpretation_create(
                    actor=user,
                    organisation=data["organisation"],
                    policies=list(data["policies"]),
                    form=data["form"],
                    leader_name=data["leader_name"],
                    **form.document_fields(),
                ).document
            else:
                document = services.document_create(
                    actor=user, organisation=data["organisation"], **form.document_fields()
                )
        except PublishingError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.message) from error
            form.add_service_error(error)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("已保存草稿，索引号 %(index_no)s。") % {"index_no": document.index_no},
            )
            return redirect("publishing:staff-document", pk=document.pk)
    return render(
        request,
        "publishing/staff/form.html",
        {"form": form, "interpretation": interpretation},
        status=400 if form.errors else 200,
    )


@login_required
def staff_create(request: HttpRequest) -> HttpResponse:
    return _create(request, interpretation=False)


@login_required
def staff_create_interpretation(request: HttpRequest) -> HttpResponse:
    return _create(request, interpretation=True)


def _edit_page(
    request: HttpRequest,
    document: Document,
    form: DocumentForm,
    attachment_form: AttachmentForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "publishing/staff/form.html",
        {
            "form": form,
            "document": document,
            "interpretation": document.genre.is_interpretation,
            "attachments": document.attachments.all(),
            "attachment_form": attachment_form,
            "attachments_editable": document.published_at is None,
        },
        status=status,
    )


def _may_edit(request: HttpRequest, user: User, document: Document) -> HttpResponse | None:
    """None when ``user`` may edit ``document`` now; otherwise the refusal to answer with."""
    if not permissions.can_edit(user, document):
        raise PermissionDenied
    try:
        workflow.next_status(document, Action.EDIT)
    except PublishingError as error:
        return _document_page(request, user, document, error=error)
    return None


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    document = _document(user, pk)
    refusal = _may_edit(request, user, document)
    if refusal is not None:
        return refusal
    interpretation = document.genre.is_interpretation
    form = DocumentForm(
        _posted(request), user=user, document=document, interpretation=interpretation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=user, document=document, **form.document_fields())
        except PublishingError as error:
            document = _document(user, pk)  # the service may have left unsaved changes
            if error.http_status != 400:
                return _document_page(request, user, document, error=error)
            form.add_service_error(error)
        except ValidationError as error:
            document = _document(user, pk)
            form.add_service_error(error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("publishing:staff-document", pk=document.pk)
    return _edit_page(request, document, form, AttachmentForm(), status=400 if form.errors else 200)


@login_required
@require_POST
def staff_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    document = _document(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=user,
                document=document,
                name=form.cleaned_data["name"],
                file=form.cleaned_data["file"],
            )
        except PublishingError as error:
            document = _document(user, pk)
            if error.http_status != 400:
                return _document_page(request, user, document, error=error)
            form.add_service_error(error)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已上传附件。"))
            return redirect("publishing:staff-edit", pk=document.pk)
    interpretation = document.genre.is_interpretation
    document_form = DocumentForm(user=user, document=document, interpretation=interpretation)
    return _edit_page(request, document, document_form, form, status=400)


@login_required
@require_POST
def staff_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    user = _staff(request)
    document = _document(user, pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    try:
        services.attachment_remove(actor=user, attachment=attachment)
    except PublishingError as error:
        return _document_page(request, user, _document(user, pk), error=error)
    messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.name})
    return redirect("publishing:staff-edit", pk=document.pk)


# The document page and its actions.


def _document_page(
    request: HttpRequest,
    user: User,
    document: Document,
    *,
    bound: ActionForm | None = None,
    mask_form: MaskPersonalDataForm | None = None,
    error: PublishingError | None = None,
) -> HttpResponse:
    """The staff page of ``document``, with a form for each action ``user`` may take now;
    ``bound`` is the form of a refused action (``mask_form`` of refused masking), ``error``
    the refusal."""
    available = workflow.available_actions(user, document)
    page = selectors.staff_document_page(document, today=timezone.localdate())
    personal_failed = any(
        result.code == checks.PERSONAL_DATA_CHECK and not result.passed
        for result, _label in page.checks
    )
    findings = checks.personal_data_findings(document) if personal_failed else []
    if Action.MASK not in available:
        mask_form = None
    elif mask_form is None and findings:
        mask_form = MaskPersonalDataForm(findings=findings)
    action_forms = [
        (
            action,
            bound
            if bound is not None and bound.prefix == action.value
            else ACTION_FORMS[action](user=user, document=document, prefix=action.value),
        )
        for action in available
        if action in ACTION_FORMS
    ]
    shown = any(form is bound for _action, form in action_forms) or (
        mask_form is not None and mask_form.is_bound
    )
    if error is not None and not shown:
        messages.error(request, error.message)
    refused = bound is not None or (mask_form is not None and mask_form.is_bound)
    return render(
        request,
        "publishing/staff/document.html",
        {
            "document": document,
            "page": page,
            "personal_data_code": checks.PERSONAL_DATA_CHECK,
            "personal_findings": findings,
            "mask_form": mask_form,
            "action_forms": action_forms,
            "can_edit": Action.EDIT in available,
            "can_interpret": not document.genre.is_interpretation
            and permissions.draftable_organisations(user).exists(),
            "is_public": permissions.is_public(document),
        },
        status=error.http_status if error else 400 if refused else 200,
    )


@login_required
def staff_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    return _document_page(request, user, _document(user, pk))


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one workflow action (``ACTION_FORMS``) on a document."""
    user = _staff(request)
    document = _document(user, pk)
    try:
        chosen = Action(action)
        form_class = ACTION_FORMS[chosen]
    except (ValueError, KeyError) as error:
        raise Http404 from error
    form = form_class(request.POST, user=user, document=document, prefix=chosen.value)
    if not form.is_valid():
        return _document_page(request, user, document, bound=form)
    try:
        done = _run(chosen, actor=user, document=document, data=form.cleaned_data)
    except (PublishingError, ValidationError) as error:
        document = _document(user, pk)  # the service may have left unsaved changes
        form.add_service_error(error)
        refusal = error if isinstance(error, PublishingError) else None
        return _document_page(request, user, document, bound=form, error=refusal)
    messages.success(request, done)
    return redirect("publishing:staff-document", pk=document.pk)


@login_required
@require_POST
def staff_mask_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Mask the chosen kinds of personal information found in a document."""
    user = _staff(request)
    document = _document(user, pk)
    findings = checks.personal_data_findings(document)
    form = MaskPersonalDataForm(request.POST, findings=findings)
    if not form.is_valid():
        return _document_page(request, user, document, mask_form=form)
    try:
        count = services.document_mask_personal_data(
            actor=user, document=document, kinds=form.chosen_kinds()
        )
    except (PublishingError, ValidationError) as error:
        document = _document(user, pk)  # the service may have left unsaved changes
        form.add_service_error(error)
        refusal = error if isinstance(error, PublishingError) else None
        return _document_page(request, user, document, mask_form=form, error=refusal)
    if count:
        messages.success(request, _("已遮盖 %(count)d 处个人信息。") % {"count": count})
    else:
        messages.info(request, _("没有需要遮盖的个人信息。"))
    return redirect("publishing:staff-document", pk=document.pk)


def _run(action: Action, *, actor: User, document: Document, data: dict[str, Any]) -> str:
    """Call the action's service with its form's cleaned data; the message to show."""
    done = str(DONE[action])
    match action:
        case Action.SUBMIT:
            services.document_submit(actor=actor, document=document)
        case Action.RECALL:
            services.document_recall(actor=actor, document=document)
        case Action.START_REVIEW:
            services.document_start_review(actor=actor, document=document)
        case Action.RETURN:
            services.document_return(actor=actor, document=document, note=data["note"])
        case Action.APPROVE:
            overrides = {
                name.removeprefix(OVERRIDE_PREFIX): reason
                for name, reason in data.items()
                if reason
            }
            services.document_approve(actor=actor, document=document, overrides=overrides)
        case Action.PUBLISH:
            at = data["at"] if data["when"] == PublishForm.SCHEDULE else None
            services.document_publish(
                actor=actor,
                document=document,
                at=at,
                interpretations=list(data.get("interpretations", [])),
            )
            if at is not None:
                when = date_format(timezone.localtime(at), "Y年n月j日 H:i")
                done = _("已定时于 %(when)s 发布。") % {"when": when}
        case Action.START_REVISION:
            services.document_start_revision(
                actor=actor, document=document, change_note=data["change_note"]
            )
        case Action.WITHDRAW:
            services.document_withdraw(actor=actor, document=document, reason=data["reason"])
        case Action.EXEMPT:
            services.document_exempt_from_interpretation(
                actor=actor, document=document, reason=data["reason"]
            )
        case Action.SET_VALIDITY:
            services.document_set_validity(
                actor=actor,
                document=document,
                validity=data["validity"],
                replaced_by=data["replaced_by"],
            )
        case Action.LINK:
            services.interpretation_link(
                actor=actor,
                interpretation=Interpretation.objects.get(document=document),
                policies=list(data["policies"]),
            )
    return done
