from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "gongkai.hotline"
    label = "hotline"
    verbose_name = _("12345接诉即办")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader

        from .demo import load_demo_categories, load_demo_orders, load_demo_suggest

        register_demo_loader("hotline.categories", 30, load_demo_categories)
        register_demo_loader("hotline.orders", 160, load_demo_orders)
        register_demo_loader("hotline.suggest", 170, load_demo_suggest)
        _register_public_side()
        _register_staff_side()


def _register_public_side() -> None:
    """The public side: the message board in the navigation, published messages in the search."""
    from gongkai.portal.navigation import register_nav_item
    from gongkai.search.registry import register_source

    from .indexing import SOURCE

    register_source(SOURCE)
    register_nav_item(
        "hotline.board",
        _("12345网民留言"),
        "hotline:board",
        35,
        description=_("向12345留言，查看已公开的留言和答复、各单位接诉即办考核结果。"),
    )


def _register_staff_side() -> None:
    """The staff side: the work-order queues in the navigation, their to-dos on the workbench."""
    from gongkai.portal.navigation import register_nav_item
    from gongkai.portal.workbench import register_todo_provider

    from .permissions import has_hotline_role
    from .todos import hotline_todos

    register_todo_provider("hotline.orders", _("12345工单"), hotline_todos)
    register_nav_item(
        "hotline.staff",
        _("12345工单办理"),
        "hotline_staff:index",
        920,
        audience="staff",
        visible=has_hotline_role,
    )
