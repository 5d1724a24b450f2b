from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from gongkai.core.signals import calendar_changed

        from .services import refresh_open_clocks

        # Open deadlines follow a changed calendar at once (the receiver recomputes them all).
        calendar_changed.connect(refresh_open_clocks, dispatch_uid="foi.refresh_open_clocks")
