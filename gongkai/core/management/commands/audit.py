"""``gongkai audit verify``: check the audit log's hash chain (exit status 1 when broken)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.audit import audit_verify_chain
from gongkai.core.errors import AuditChainBroken


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "审计日志工具。"
    missing_args_message = gettext_lazy("请指定子命令：verify。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        commands.add_parser("verify", help=_("校验审计链是否完整、未被篡改"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = audit_verify_chain()
        except AuditChainBroken as exc:
            raise CommandError(_("审计链校验失败：%(problem)s") % {"problem": exc.message}) from exc
        self.stdout.write(_("审计链完整：共 %(count)d 条记录，校验通过。") % {"count": count})
