"""Every write to accounts: registration, login bookkeeping, staff accounts and roles."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NoReturn

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gongkai.core.audit import audit_record
from gongkai.orgs.models import Organisation

from . import permissions
from .errors import AccountError, AccountErrorCode
from .models import AccountKind, Role, RoleAssignment, User
from .selectors import PHONE_RE, normalise_phone, user_by_identifier


def _require(allowed: bool) -> None:
    if not allowed:
        raise AccountError(AccountErrorCode.PERMISSION_DENIED)


def _check_contacts(*, phone: str | None, email: str | None, exclude: User | None = None) -> None:
    others = User.objects.exclude(pk=exclude.pk) if exclude else User.objects.all()
    if phone is not None:
        if not PHONE_RE.match(phone):
            raise AccountError(AccountErrorCode.BAD_PHONE)
        if others.filter(phone=phone).exists() or others.filter(username=phone).exists():
            raise AccountError(AccountErrorCode.IDENTIFIER_TAKEN, what=_("手机号码"))
    if email is not None and (
        others.filter(email__iexact=email).exists() or others.filter(username=email).exists()
    ):
        raise AccountError(AccountErrorCode.IDENTIFIER_TAKEN, what=_("电子邮箱"))


@transaction.atomic
def account_register_public(
    *, password: str, phone: str = "", email: str = "", full_name: str = ""
) -> User:
    """Register a public account with a mobile number or an e-mail address (or both)."""
    phone_value = normalise_phone(phone) or None
    email_value = email.strip().lower() or None
    if phone_value is None and email_value is None:
        raise AccountError(AccountErrorCode.IDENTIFIER_REQUIRED)
    _check_contacts(phone=phone_value, email=email_value)
    user = User(
        username=phone_value or email_value or "",
        phone=phone_value,
        email=email_value,
        full_name=full_name.strip(),
        kind=AccountKind.PUBLIC,
    )
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action="accounts.user.register", target=user, summary="公众账户注册")
    return user


def account_login(*, request: HttpRequest, identifier: str, password: str) -> User:
    """Log in by user name, mobile number or e-mail; count failures and lock the account.

    After ``GONGKAI_LOGIN_MAX_FAILURES`` consecutive failures the account is locked for
    ``GONGKAI_LOGIN_LOCKOUT_MINUTES``. Every outcome is audited.
    """
    user = user_by_identifier(identifier)
    if user is None:
        audit_record(actor=None, action="accounts.login.unknown", summary="未知账户登录失败")
        raise AccountError(AccountErrorCode.BAD_CREDENTIALS)
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        raise AccountError(AccountErrorCode.LOCKED, until=_local_time(user.locked_until))
    if not user.check_password(password):
        _login_failed(user=user, now=now)
    if not user.is_active:
        raise AccountError(AccountErrorCode.INACTIVE)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit_record(actor=user, action="accounts.login", target=user, summary="登录成功")
    login(request, user, backend="gongkai.accounts.backends.RoleBackend")
    return user


def _login_failed(*, user: User, now: datetime) -> NoReturn:
    """Count a failed password; the count is committed before the error is raised."""
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    locked_until = now + timedelta(minutes=settings.GONGKAI_LOGIN_LOCKOUT_MINUTES)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        locked = user.failed_logins >= limit
        if locked:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=locked_until)
            audit_record(
                actor=None,
                action="accounts.user.lock",
                target=user,
                summary=f"连续{limit}次登录失败，账户锁定",
            )
        else:
            audit_record(
                actor=None, action="accounts.login.failed", target=user, summary="密码错误"
            )
    if locked:
        raise AccountError(AccountErrorCode.LOCKED, until=_local_time(locked_until))
    raise AccountError(AccountErrorCode.BAD_CREDENTIALS)


def _local_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


@transaction.atomic
def account_unlock(*, actor: User | None, user: User) -> User:
    """Lift a lockout (security admins; ``actor=None`` for the command line)."""
    if actor is not None:
        _require(permissions.can_unlock(actor, user))
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.refresh_from_db()
    audit_record(actor=actor, action="accounts.user.unlock", target=user, summary="解除账户锁定")
    return user


@transaction.atomic
def account_create_staff(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    organisation: Organisation,
    password: str,
    phone: str = "",
    email: str = "",
) -> User:
    """Create a staff account in ``organisation`` (system admins; ``actor=None`` for the CLI)."""
    if actor is not None:
        _require(permissions.can_manage_accounts(actor))
    phone_value = normalise_phone(phone) or None
    email_value = email.strip().lower() or None
    _check_contacts(phone=phone_value, email=email_value)
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        organisation=organisation,
        kind=AccountKind.STAFF,
        phone=phone_value,
        email=email_value,
    )
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.create",
        target=user,
        summary=f"创建工作人员账户（{organisation.name}）",
    )
    return user


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool) -> User:
    _require(permissions.can_change_account(actor, user))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.user.activate" if active else "accounts.user.deactivate",
            target=user,
            summary="启用账户" if active else "停用账户",
            changes={"is_active": [not active, active]},
        )
    return user


@transaction.atomic
def account_change_password(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise AccountError(AccountErrorCode.BAD_CREDENTIALS)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=user, action="accounts.user.password", target=user, summary="修改密码")
    return user


@transaction.atomic
def staff_move_on_merge(
    *, actor: User | None, sources: Sequence[Organisation], into: Organisation
) -> int:
    """Move the staff of merged organisations to their successor; roles stay as they are.

    Connected to ``orgs.signals.organisations_merged`` (runs inside the merge's transaction).
    Returns the number of accounts moved.
    """
    moved = 0
    for user in User.objects.filter(organisation__in=sources).select_related("organisation"):
        before = user.organisation
        assert before is not None
        user.organisation = into
        user.save(update_fields=["organisation"])
        audit_record(
            actor=actor,
            action="accounts.user.move",
            target=user,
            summary=f"机构撤并，所属机构由“{before.name}”变更为“{into.name}”",
            changes={"organisation": [before.name, into.name]},
        )
        moved += 1
    return moved


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role) -> RoleAssignment:
    """Grant ``role`` to a staff account (security admins; ``actor=None`` for the CLI)."""
    if actor is not None and not permissions.can_grant_role(actor, user):
        raise AccountError(AccountErrorCode.ROLE_FORBIDDEN)
    if user.kind != AccountKind.STAFF:
        raise AccountError(AccountErrorCode.NOT_STAFF)
    held = frozenset(user.role_assignments.values_list("role", flat=True))
    conflict = permissions.role_conflict(held, role)
    if conflict is not None:
        raise AccountError(
            AccountErrorCode.ROLE_CONFLICT, role=role.label, other=Role(conflict).label
        )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if created:
        _sync_admin_site_access(user)
        audit_record(
            actor=actor,
            action="accounts.role.grant",
            target=user,
            summary=f"授予角色：{role.label}",
            changes={"roles": [sorted(held), sorted(held | {role})]},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: Role) -> None:
    if not permissions.can_revoke_role(actor, user):
        raise AccountError(AccountErrorCode.ROLE_FORBIDDEN)
    held = frozenset(user.role_assignments.values_list("role", flat=True))
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        _sync_admin_site_access(user)
        audit_record(
            actor=actor,
            action="accounts.role.revoke",
            target=user,
            summary=f"撤销角色：{role.label}",
            changes={"roles": [sorted(held), sorted(held - {role})]},
        )


def _sync_admin_site_access(user: User) -> None:
    """Administrators reach Django's admin site (calendar, organisations); nobody else does."""
    is_admin = user.role_assignments.filter(role__in=permissions.ADMIN_ROLES).exists()
    if user.is_staff != is_admin:
        User.objects.filter(pk=user.pk).update(is_staff=is_admin)
        user.is_staff = is_admin
    user.__dict__.pop("role_codes", None)
