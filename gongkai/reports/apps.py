from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("年度报告")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gongkai.core.demo import register_demo_loader
        from gongkai.core.pagecache import pages_changed
        from gongkai.portal.navigation import register_nav_item

        from .demo import load_demo_reports
        from .models import AnnualReport
        from .permissions import has_report_role

        register_nav_item(
            "reports.index",
            _("年度报告"),
            "reports:index",
            28,
            description=_("各机关历年政府信息公开工作年度报告，可在线阅读和下载。"),
        )
        register_nav_item(
            "reports.staff",
            _("年度报告管理"),
            "reports:staff-list",
            915,
            audience="staff",
            visible=has_report_role,
        )
        # After the demo applications of foi: the reports count whatever applications exist.
        register_demo_loader("reports", 150, load_demo_reports)
        # Cached public pages show the published reports.
        post_save.connect(pages_changed, sender=AnnualReport, dispatch_uid="reports.pages.save")
        post_delete.connect(pages_changed, sender=AnnualReport, dispatch_uid="reports.pages.delete")
