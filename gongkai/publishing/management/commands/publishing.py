"""``gongkai publishing``: scheduled jobs of government information.

    gongkai publishing publish-due   -> publishes the approved documents whose scheduled
                                        publication time has come, and says how many

Run it every few minutes (cron or a Celery beat entry).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.publishing.services import publish_due


class Command(BaseCommand):
    help = gettext_lazy("政府信息的定时任务。")  # type: ignore[assignment]
    missing_args_message = gettext_lazy("请指定子命令：publish-due。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        commands.add_parser("publish-due", help=_("发布定时发布时间已到的政府信息"))

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"publish-due": self.publish_due}
        handlers[options["subcommand"]](options)

    def publish_due(self, options: dict[str, Any]) -> None:
        count = publish_due(now=timezone.now())
        self.stdout.write(_("已发布 %(count)d 件到达定时发布时间的政府信息。") % {"count": count})
