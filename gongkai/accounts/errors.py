"""Error codes of the accounts app, each with the Chinese message shown to the user."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class AccountErrorCode(StrEnum):
    BAD_CREDENTIALS = "accounts.bad_credentials"
    LOCKED = "accounts.locked"
    INACTIVE = "accounts.inactive"
    IDENTIFIER_TAKEN = "accounts.identifier_taken"
    IDENTIFIER_REQUIRED = "accounts.identifier_required"
    BAD_PHONE = "accounts.bad_phone"
    ROLE_FORBIDDEN = "accounts.role_forbidden"
    ROLE_CONFLICT = "accounts.role_conflict"
    NOT_STAFF = "accounts.not_staff"
    PERMISSION_DENIED = "accounts.permission_denied"


class AccountError(CoreError):
    """A refused account operation; ``message`` is the Chinese text for the user."""

    messages = {
        AccountErrorCode.BAD_CREDENTIALS: _("用户名或密码错误。"),
        AccountErrorCode.LOCKED: _(
            "连续登录失败次数过多，账户已锁定，请于%(until)s后再试，或联系安全管理员解锁。"
        ),
        AccountErrorCode.INACTIVE: _("该账户已停用，请联系系统管理员。"),
        AccountErrorCode.IDENTIFIER_TAKEN: _("该%(what)s已被注册。"),
        AccountErrorCode.IDENTIFIER_REQUIRED: _("请填写手机号码或电子邮箱。"),
        AccountErrorCode.BAD_PHONE: _("请输入11位中国大陆手机号码。"),
        AccountErrorCode.ROLE_FORBIDDEN: _("您无权授予或撤销该角色。"),
        AccountErrorCode.ROLE_CONFLICT: _(
            "%(role)s与该账户已有的角色%(other)s不能由同一人兼任（三员分立）。"
        ),
        AccountErrorCode.NOT_STAFF: _("只有工作人员账户可以被授予角色。"),
        AccountErrorCode.PERMISSION_DENIED: _("您没有执行此操作的权限。"),
    }
