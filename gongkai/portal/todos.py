"""The workbench to-do items of the foundation: the administrators' own duties.

Domain apps register their providers in their own ``AppConfig.ready()``; ``core`` may not import
the portal, so its calendar duty is registered here.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.accounts.selectors import locked_accounts
from gongkai.core.selectors import calendar_years_awaiting_notice

from .workbench import TodoItem


def calendar_todos(user: User) -> list[TodoItem] | None:
    """For whoever maintains the calendar: years whose holiday notice is not entered yet."""
    if not user.has_perm("core.change_calendaryear"):
        return None
    return [
        TodoItem(
            title=_("录入%(year)d年节假日安排（国务院办公厅通知），未录入前该年期限为临时推算")
            % {"year": year},
            url=reverse("admin:core_calendaryear_changelist"),
        )
        for year in calendar_years_awaiting_notice(today=timezone.localdate())
    ]


def account_todos(user: User) -> list[TodoItem] | None:
    """For whoever may unlock accounts: the accounts locked now."""
    if not user.has_perm("accounts.unlock_user"):
        return None
    return [
        TodoItem(
            title=_("账户 %(name)s 因连续登录失败被锁定") % {"name": locked},
            url=reverse("accounts:staff-detail", args=[locked.pk]),
        )
        for locked in locked_accounts().filter(kind="staff")
    ]
