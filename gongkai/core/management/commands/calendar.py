"""``gongkai calendar``: ask the working-day calendar, or import a year's holiday notice.

    gongkai calendar is-workday 2025-09-28       -> true
    gongkai calendar add-workdays 2025-09-26 20  -> 2025-10-30   (" provisional" appended when a
                                                    counted day lies in an unpublished year)
    gongkai calendar import-year FILE            -> imports one year (format: core/calendar_data.py)

``is-workday`` prints only ``true`` / ``false``; a provisional answer adds a note on stderr.
Bad input is reported in Chinese on stderr with exit status 1.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import calendar
from gongkai.core.calendar_data import parse_date, read_years_file
from gongkai.core.errors import CalendarError, CalendarErrorCode
from gongkai.core.services import calendar_import_year


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "查询工作日日历，或导入某一年度的节假日安排。"
    missing_args_message = gettext_lazy("请指定子命令：is-workday、add-workdays 或 import-year。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        is_workday = commands.add_parser(
            "is-workday", help=_("某日是否为工作日（输出 true/false）")
        )
        is_workday.add_argument("date", help=_("日期，格式 YYYY-MM-DD"))
        add = commands.add_parser("add-workdays", help=_("某日之后的第 N 个工作日"))
        add.add_argument("date", help=_("起算日期（当日不计入），格式 YYYY-MM-DD"))
        add.add_argument("n", help=_("工作日数，不小于 0 的整数"))
        load = commands.add_parser("import-year", help=_("从 YAML 或 JSON 文件导入一个年度"))
        load.add_argument("file", help=_("文件路径，格式见 gongkai/core/data/example-import.yaml"))

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {
            "is-workday": self.is_workday,
            "add-workdays": self.add_workdays,
            "import-year": self.import_year,
        }
        try:
            handlers[options["subcommand"]](options)
        except CalendarError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def is_workday(self, options: dict[str, Any]) -> None:
        day = parse_date(options["date"])
        answer = calendar.is_workday_explained(day)
        self.stdout.write("true" if answer.is_workday else "false")
        if answer.provisional:
            self.stderr.write(
                _("注意：%(year)d 年的节假日安排尚未公布，结果为临时推算。") % {"year": day.year}
            )

    def add_workdays(self, options: dict[str, Any]) -> None:
        start = parse_date(options["date"])
        result = calendar.add_workdays_explained(start, _parse_count(options["n"]))
        suffix = " provisional" if result.provisional else ""
        self.stdout.write(f"{result.date.isoformat()}{suffix}")

    def import_year(self, options: dict[str, Any]) -> None:
        years = read_years_file(Path(options["file"]))
        if len(years) != 1:
            raise CalendarError(CalendarErrorCode.ONE_YEAR_ONLY, count=len(years))
        (data,) = years
        calendar_import_year(actor=None, year=data.year, data=data.days, notice=data.notice)
        self.stdout.write(
            _("已导入 %(year)d 年的节假日安排（%(days)d 天），该年度已标记为已公布。")
            % {"year": data.year, "days": len(data.days)}
        )


def _parse_count(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError as exc:
        raise CalendarError(CalendarErrorCode.BAD_COUNT, value=value) from exc
