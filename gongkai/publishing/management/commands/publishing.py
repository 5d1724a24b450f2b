"""``gongkai publishing``: scheduled jobs and the archive import of government information.

    gongkai publishing publish-due   -> publishes the approved documents whose scheduled
                                        publication time has come, and says how many
    gongkai publishing import FILE.jsonl --author USERNAME [--dry-run]
                                     -> imports documents published before, one JSON object
                                        per line (format: ``publishing/importer.py``)

Run ``publish-due`` every few minutes (cron or a Celery beat entry).

``import`` reports each bad line on stderr with its number and reason, imports the others and
ends with the line "导入 N 件，跳过已存在 M 件，错误 K 行". Exit status: 0 when every line was
imported or skipped as existing, 1 when some lines failed, 2 when the file or the author
cannot be used (nothing is imported then). ``--author`` names the staff account recorded as
起草人 of the imported documents; ``--dry-run`` checks every line and writes nothing.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.accounts.permissions import is_staff_user
from gongkai.publishing.importer import import_lines
from gongkai.publishing.services import publish_due


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "政府信息的定时任务和历史文件导入。"
    missing_args_message = gettext_lazy("请指定子命令：publish-due 或 import。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        commands.add_parser("publish-due", help=_("发布定时发布时间已到的政府信息"))
        importer = commands.add_parser(
            "import", help=_("从 JSONL 文件导入已发布的政府信息（每行一件，按索引号去重）")
        )
        importer.add_argument("file", metavar="FILE.jsonl", help=_("要导入的 JSONL 文件"))
        importer.add_argument(
            "--author",
            required=True,
            metavar=_("用户名"),
            help=_("记为导入文件起草人的工作人员账户"),
        )
        importer.add_argument("--dry-run", action="store_true", help=_("只校验，不写入数据库"))

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"publish-due": self.publish_due, "import": self.import_file}
        handlers[options["subcommand"]](options)

    def publish_due(self, options: dict[str, Any]) -> None:
        count = publish_due(now=timezone.now())
        self.stdout.write(_("已发布 %(count)d 件到达定时发布时间的政府信息。") % {"count": count})

    def import_file(self, options: dict[str, Any]) -> None:
        author = User.objects.filter(username=options["author"]).first()
        if author is None or not is_staff_user(author):
            raise CommandError(
                _("找不到在用的工作人员账户“%(user)s”。") % {"user": options["author"]},
                returncode=2,
            )
        path = Path(options["file"])
        try:
            with path.open("rb") as lines:
                report = import_lines(lines, author=author, dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(problem)s") % {"path": path, "problem": error.strerror},
                returncode=2,
            ) from None
        for line in report.errors:
            self.stderr.write(str(line))
        if options["dry_run"]:
            self.stdout.write(_("试运行：只校验，未写入任何数据。"))
        self.stdout.write(report.summary)
        if report.errors:
            raise CommandError(
                _("有 %(count)d 行未能导入，原因见上文。") % {"count": len(report.errors)},
                returncode=1,
            )
