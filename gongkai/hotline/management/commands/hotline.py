"""``gongkai hotline``: the three rates and the scheduled supervision of 12345 work orders.

    gongkai hotline rates --month 2026-10 [--json]
        -> each organisation's orders, 响应率, 解决率, 满意率 and score for the month (JSON: a
           list of {"org", "orders", "response_rate", "resolution_rate", "satisfaction_rate",
           "score"}; rates are shares 0–1, the score 0–100, null where nothing was measured)
    gongkai hotline supervise
        -> starts the automatic supervisions (overdue orders, many orders about one category in
           one street); run it every hour

Definitions: ``gongkai/hotline/selectors.py`` (``monthly_rates``) and the settings
``GONGKAI_HOTLINE_*``.
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.hotline.selectors import OrgRates, monthly_rates
from gongkai.hotline.services import supervise_automatically


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(
            _("月份“%(value)s”无效，请使用 YYYY-MM 格式，例如 2026-10。") % {"value": value}
        ) from None


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "12345 接诉即办的考核指标和定时督办。"
    missing_args_message = gettext_lazy("请指定子命令：rates 或 supervise。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        rates = commands.add_parser("rates", help=_("各单位某月的响应率、解决率、满意率和综合得分"))
        rates.add_argument("--month", required=True, metavar="YYYY-MM", help=_("月份"))
        rates.add_argument("--json", action="store_true", help=_("以 JSON 输出"))
        commands.add_parser("supervise", help=_("对超期和反复诉求的工单自动督办"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "supervise":
            count = supervise_automatically()
            self.stdout.write(_("新启动督办 %(count)d 件。") % {"count": count})
            return
        rates = monthly_rates(_month(options["month"]))
        if options["json"]:
            self.stdout.write(json.dumps([self._row(r) for r in rates], ensure_ascii=False))
            return
        for r in rates:
            score = "—" if r.score is None else f"{r.score:.1f}"
            self.stdout.write(
                f"{r.organisation.name}\t{r.orders}\t{_percent(r.response_rate)}\t"
                f"{_percent(r.resolution_rate)}\t{_percent(r.satisfaction_rate)}\t{score}"
            )

    @staticmethod
    def _row(rates: OrgRates) -> dict[str, Any]:
        return {
            "org": rates.organisation.code,
            "orders": rates.orders,
            "response_rate": _share(rates.response_rate),
            "resolution_rate": _share(rates.resolution_rate),
            "satisfaction_rate": _share(rates.satisfaction_rate),
            "score": None if rates.score is None else round(rates.score, 2),
        }
