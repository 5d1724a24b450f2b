from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader
        from gongkai.orgs.signals import organisations_merged
        from gongkai.portal.navigation import register_nav_item

        from .demo import demo_report

        organisations_merged.connect(_move_staff, dispatch_uid="accounts.move_staff")
        register_demo_loader("accounts", 90, demo_report)
        register_nav_item(
            "accounts.staff",
            _("工作人员账户"),
            "accounts:staff-list",
            920,
            audience="staff",
            permission="accounts.view_user",
        )


def _move_staff(sender: object, *, sources: Any, into: Any, actor: Any, **kwargs: Any) -> None:
    from .services import staff_move_on_merge

    staff_move_on_merge(actor=actor, sources=sources, into=into)
