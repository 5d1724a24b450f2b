"""``gongkai annual-report``: an organisation's annual report for a year.

    gongkai annual-report --org ORG_CODE --year 2025 --format json
        -> prints {"org", "organisation", "year", "scope", "table2", "table3", "table4",
           "failures"}: table 三 as {"columns": [7 keys], "rows": [{"key", "label",
           "values": [7 integers]}, ... 25 rows]}, table 四 likewise (5 values per group),
           table 二 by cell ({"row", "column", "value", "source"}), and the checks that fail
    gongkai annual-report --org ORG_CODE --year 2025 --format docx|xlsx|pdf|html --output PATH
        -> writes the report in that format

The organisation's report for the year gives the narrative, the entered cells of table 二 and
the scope; a report submitted or published gives the tables frozen at its submission. Without a
report the tables are computed for the organisation alone, with an empty narrative.
``--scope jurisdiction`` (or ``organisation``) computes them now for that scope instead.

Exit status 0; 2 for an unknown organisation, a bad year or format, or a file that cannot be
written, with a Chinese message and no traceback. (The module's name is the command's:
Django imports it by name, hyphen included.)
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation
from gongkai.reports.errors import ReportError, ReportErrorCode
from gongkai.reports.exports import EXPORTS
from gongkai.reports.models import AnnualReport, Scope
from gongkai.reports.selectors import live_figures, report_content, report_figures
from gongkai.reports.services import check_year

FORMATS = ("json", *EXPORTS)


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "输出或导出机关的政府信息公开工作年度报告。"

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked in ``handle``, so that a missing or bad value gets a Chinese message.
        parser.add_argument("--org", default="", metavar="ORG_CODE", help=_("机构代码"))
        parser.add_argument("--year", default="", metavar="YYYY", help=_("年度"))
        parser.add_argument(
            "--format", default="json", metavar="|".join(FORMATS), help=_("输出格式")
        )
        parser.add_argument("--output", default="", metavar="PATH", help=_("导出文件的路径"))
        parser.add_argument(
            "--scope",
            default="",
            metavar="|".join(Scope.values),
            help=_("统计范围：仅本机关，或本机关及所属和所辖的全部机构（按当前数据重新统计）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except ReportError as error:
            raise CommandError(error.message, returncode=2) from None

    def _handle(self, options: dict[str, Any]) -> None:
        code = options["org"].strip().upper()
        organisation = Organisation.objects.filter(code=code).first() if code else None
        if organisation is None:
            raise ReportError(ReportErrorCode.UNKNOWN_ORGANISATION, value=options["org"])
        year = check_year(options["year"])
        fmt = options["format"].strip().lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("不支持的格式“%(format)s”，可选：%(formats)s。")
                % {"format": options["format"], "formats": "、".join(FORMATS)},
                returncode=2,
            )
        if options["scope"] and options["scope"] not in Scope.values:
            raise CommandError(
                _("统计范围应为 %(scopes)s。") % {"scopes": "、".join(Scope.values)}, returncode=2
            )
        if fmt != "json" and not options["output"]:
            raise CommandError(_("导出文件时请用 --output 指定文件路径。"), returncode=2)
        report = AnnualReport.objects.filter(organisation=organisation, year=year).select_related(
            "organisation", "document"
        ).first() or AnnualReport(organisation=organisation, year=year)
        if options["scope"]:
            report.scope = options["scope"]
            figures = live_figures(report)
        else:
            figures = report_figures(report)
        if fmt == "json":
            data = {
                "org": organisation.code,
                "organisation": organisation.name,
                "year": year,
                "scope": report.scope,
                **figures.as_json(),
                "failures": figures.failures(),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        path = Path(options["output"])
        try:
            path.write_bytes(EXPORTS[fmt].render(report_content(report, figures)))
        except OSError as error:
            raise CommandError(
                _("无法写入文件 %(path)s：%(problem)s") % {"path": path, "problem": error.strerror},
                returncode=2,
            ) from None
        self.stdout.write(_("已导出：%(path)s") % {"path": path})
