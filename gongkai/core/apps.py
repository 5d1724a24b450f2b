from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from .demo import register_demo_loader
        from .models import CalendarDay, CalendarYear

        register_demo_loader("core.calendar", 10, _load_demo_calendar)
        for model in (CalendarDay, CalendarYear):
            for signal in (post_save, post_delete):
                signal.connect(_calendar_row_changed, sender=model, dispatch_uid=f"core.{model}")


def _calendar_row_changed(**kwargs: Any) -> None:
    from .calendar import renew_revision

    renew_revision()


def _load_demo_calendar() -> str:
    from .models import CalendarYear
    from .services import calendar_seed_builtin

    created = calendar_seed_builtin()
    years = sorted(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True))
    known = f"{years[0]}–{years[-1]} 年" if years else "无"
    return f"工作日日历：已公布年份 {known}，本次新增 {created} 条节假日/调休记录。"
