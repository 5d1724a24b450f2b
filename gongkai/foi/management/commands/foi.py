"""``gongkai foi``: scheduled jobs of disclosure on request.

    gongkai foi refresh   -> recomputes the clock of every open application (a lapsed
                             correction or payment period closes it as o1/o2) and says how
                             many changed

Run ``refresh`` once a day, shortly after midnight (cron or a Celery beat entry). Open clocks
are also recomputed at once whenever the working-day calendar changes.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.foi.services import refresh_open_clocks


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "依申请公开的定时任务。"
    missing_args_message = gettext_lazy("请指定子命令：refresh。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        commands.add_parser("refresh", help=_("重新计算所有未办结申请的期限"))

    def handle(self, *args: Any, **options: Any) -> None:
        changed = refresh_open_clocks()
        self.stdout.write(
            _("已重新计算未办结申请的期限，%(count)d 件有变化。") % {"count": changed}
        )
