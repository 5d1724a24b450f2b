from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from .navigation import register_nav_item
        from .todos import account_todos, calendar_todos
        from .workbench import register_todo_provider

        register_todo_provider("core.calendar", _("工作日日历"), calendar_todos)
        register_todo_provider("accounts.locked", _("账户安全"), account_todos)

        register_nav_item("home", _("首页"), "portal:home", 0)
        register_nav_item(
            "orgs.directory",
            _("机构目录"),
            "orgs:directory",
            10,
            description=_("查询本市各级人民政府及其工作部门。"),
        )
        register_nav_item("workbench", _("工作台"), "portal:workbench", 900, audience="staff")
        register_nav_item(
            "core.audit",
            _("审计日志"),
            "core:audit-list",
            910,
            audience="staff",
            permission="core.view_auditevent",
        )
        register_nav_item(
            "admin",
            _("管理后台"),
            "admin:index",
            930,
            audience="staff",
            description=_("组织机构、工作日日历的维护。"),
            permission="orgs.change_organisation",
        )
