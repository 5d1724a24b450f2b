from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader
        from gongkai.portal.navigation import register_nav_item

        from .demo import demo_report

        register_demo_loader("accounts", 90, demo_report)
        register_nav_item(
            "accounts.staff",
            _("工作人员账户"),
            "accounts:staff-list",
            920,
            audience="staff",
            permission="accounts.view_user",
        )
