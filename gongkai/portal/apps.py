from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from .navigation import register_nav_item

        register_nav_item("home", _("首页"), "portal:home", 0)
        register_nav_item(
            "orgs.directory",
            _("机构目录"),
            "orgs:directory",
            10,
            description=_("查询本市各级人民政府及其工作部门。"),
        )
        register_nav_item("workbench", _("工作台"), "portal:workbench", 900, audience="staff")
