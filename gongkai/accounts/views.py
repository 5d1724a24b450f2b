"""Login, registration and the staff-account pages of the system and security admins."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import forms, permissions, selectors, services
from .errors import AccountError, AccountErrorCode
from .models import AccountKind, Role, User


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data to bind a form to; an empty POST still binds (and fails validation)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _add_errors(form: object, error: Exception) -> None:
    """Put a service refusal or password-rule failure on the form, in Chinese."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]
    else:
        form.add_error(None, str(error))  # type: ignore[attr-defined]


def login_view(request: HttpRequest) -> HttpResponse:
    form = forms.LoginForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_login(
                request=request,
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
            )
        except AccountError as error:
            _add_errors(form, error)
        else:
            default = reverse(
                "portal:workbench" if user.kind == AccountKind.STAFF else "portal:home"
            )
            return HttpResponseRedirect(_safe_next(request, default))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("portal:home")


def register_view(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.account_register_public(
                password=form.cleaned_data["password1"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
            )
        except (AccountError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("注册成功，请登录。"))
            return redirect("accounts:login")
    return render(
        request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            services.account_change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password1"],
            )
        except (AccountError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("密码已修改，请重新登录。"))
            logout(request)
            return redirect("accounts:login")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def staff_list_view(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_view_accounts(request.user))
    search = forms.StaffSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.staff_list(search=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {
            "search": search,
            "page": page,
            "can_create": permissions.can_manage_accounts(request.user),
        },
    )


@login_required
def staff_create_view(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_manage_accounts(request.user))
    form = forms.StaffCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        data = form.cleaned_data
        try:
            user = services.account_create_staff(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                organisation=data["organisation"],
                password=data["password1"],
                phone=data["phone"],
                email=data["email"],
            )
        except (AccountError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已创建工作人员账户 %(name)s。") % {"name": user})
            return redirect("accounts:staff-detail", pk=user.pk)
    return render(
        request, "accounts/staff_create.html", {"form": form}, status=400 if form.errors else 200
    )


def _staff_detail(request: HttpRequest, target: User, *, status: int = 200) -> HttpResponse:
    actor = request.user
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "target": target,
            "assignments": target.role_assignments.select_related("granted_by"),
            "grantable": (
                [r for r in Role if r not in target.role_codes]
                if permissions.can_grant_role(actor, target)
                else []
            ),
            "can_revoke": permissions.can_revoke_role(actor, target),
            "can_unlock": permissions.can_unlock(actor, target),
            "can_change": permissions.can_change_account(actor, target),
        },
        status=status,
    )


@login_required
def staff_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(permissions.can_view_accounts(request.user))
    return _staff_detail(request, get_object_or_404(_staff(), pk=pk))


def _staff() -> QuerySet[User]:
    return User.objects.select_related("organisation").filter(kind=AccountKind.STAFF)


@login_required
@require_POST
def staff_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per action on a staff account: grant, revoke, unlock, (de)activate."""
    actor = request.user
    assert isinstance(actor, User)
    _require(permissions.can_view_accounts(actor))
    target = get_object_or_404(_staff(), pk=pk)
    role_form = forms.RoleForm(request.POST)
    try:
        if action in ("grant", "revoke") and not role_form.is_valid():
            messages.error(request, _("请选择有效的角色。"))
            return _staff_detail(request, target, status=400)
        if action == "grant":
            services.role_grant(actor=actor, user=target, role=Role(role_form.cleaned_data["role"]))
        elif action == "revoke":
            services.role_revoke(
                actor=actor, user=target, role=Role(role_form.cleaned_data["role"])
            )
        elif action == "unlock":
            services.account_unlock(actor=actor, user=target)
        elif action in ("activate", "deactivate"):
            services.account_set_active(actor=actor, user=target, active=action == "activate")
        else:
            raise Http404
    except AccountError as error:
        if error.code in (AccountErrorCode.PERMISSION_DENIED, AccountErrorCode.ROLE_FORBIDDEN):
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return _staff_detail(request, target, status=400)
    messages.success(request, _("操作已完成。"))
    return redirect("accounts:staff-detail", pk=target.pk)
