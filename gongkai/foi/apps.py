from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader
        from gongkai.core.signals import calendar_changed
        from gongkai.portal.navigation import register_nav_item
        from gongkai.portal.workbench import register_todo_provider

        from .demo import load_demo_applications
        from .permissions import has_foi_role
        from .services import refresh_open_clocks
        from .todos import foi_todos

        # Open deadlines follow a changed calendar at once (the receiver recomputes them all).
        calendar_changed.connect(refresh_open_clocks, dispatch_uid="foi.refresh_open_clocks")
        # After the demo accounts (90) and documents (95): the demo applications are handled
        # by the demo staff.
        register_demo_loader("foi", 100, load_demo_applications)
        register_todo_provider("foi.deadlines", _("依申请公开办理期限"), foi_todos)
        register_nav_item(
            "foi.index",
            _("依申请公开"),
            "foi:index",
            30,
            description=_("在线申请获取政府信息，查询办理进度和答复。"),
        )
        register_nav_item(
            "foi.staff",
            _("依申请公开办理"),
            "foi:staff-queues",
            910,
            audience="staff",
            visible=has_foi_role,
        )
