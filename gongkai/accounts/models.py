"""Public and staff accounts, and the roles granted to staff."""

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.privacy import mask_contact


class AccountKind(models.TextChoices):
    PUBLIC = "public", _("公众")
    STAFF = "staff", _("工作人员")


class Role(models.TextChoices):
    HANDLER = "handler", _("经办人")
    REVIEWER = "reviewer", _("审核人")
    OPENNESS_OFFICE = "openness_office", _("公开办")
    OPERATOR = "operator", _("话务员")
    DISPATCHER = "dispatcher", _("派单员")
    SUPERVISOR = "supervisor", _("督办员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class User(AbstractUser):
    """An account. Staff belong to one organisation; public users to none."""

    kind = models.CharField(
        _("账户类型"), max_length=16, choices=AccountKind.choices, default=AccountKind.PUBLIC
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, null=True, blank=True, unique=True)
    email = models.EmailField(_("电子邮箱"), null=True, blank=True, unique=True)  # type: ignore[assignment]
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    failed_logins = models.PositiveIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        permissions = [("unlock_user", _("解除账户锁定"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="public", organisation__isnull=True)
                | models.Q(kind="staff", organisation__isnull=False),
                name="accounts_staff_have_org_public_not",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.login_label

    @property
    def login_label(self) -> str:
        """The login name as others may see it: a public user's phone or e-mail is masked."""
        return mask_contact(self.username) if self.kind == AccountKind.PUBLIC else self.username

    def audit_label(self) -> str:
        """Name and login name for the audit log (core's AuditActor protocol)."""
        return (
            self.login_label if str(self) == self.login_label else f"{self}（{self.login_label}）"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Unique but optional: store "no phone / no e-mail" as NULL, never as "".
        self.phone = self.phone or None
        self.email = self.email or None
        # No superusers: they would bypass the separation of the three administrators.
        self.is_superuser = False
        super().save(*args, **kwargs)

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The roles this account holds (cached on the instance; services reset it)."""
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def audit_identity(self) -> tuple[str, str]:
        """(roles, organisation) as the audit log records them (core's AuditActor protocol)."""
        roles = "、".join(str(Role(r).label) for r in sorted(self.role_codes))
        if not roles:
            roles = str(AccountKind(self.kind).label)
        return roles, self.organisation.name if self.organisation else ""


class RoleAssignment(models.Model):
    """A role held by a staff account. Scope follows from the role and the user's organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
