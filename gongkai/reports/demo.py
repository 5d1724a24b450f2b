"""Demo annual reports for ``gongkai demo`` (loader order 150: after the demo accounts (90), the
documents of ``publishing`` (95) and the applications of ``foi``).

The 2025 reports of 北京市人民政府 (with every organisation in its jurisdiction), 市发展改革委
and 市教委 (each alone), from ``data/demo.yaml``: written, submitted by the organisation's
经办人 and published by the city's openness office (``gkb``), all through the services. Their
tables are computed from whatever applications, appeals and documents exist, and the narrative
quotes the computed figures.

A published report is left alone, so running the demo again changes nothing. A report that
cannot be published (a check fails on the data at hand) is not kept, and the loader says why.
"""

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.orgs.models import Organisation

from . import services
from .content import NARRATIVE, Figures
from .models import AnnualReport, Stage
from .selectors import live_figures, report_stage

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
OFFICE = "gkb"  # the city openness office's demo account: it publishes the reports


@cache
def demo_material() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return data


def load_demo_reports() -> str:
    office = User.objects.filter(username=OFFICE).first()
    if office is None:
        return "年度报告：没有演示账户，未生成演示年度报告。"
    material = demo_material()
    lines = ["演示年度报告："]
    for entry in material["reports"]:
        organisation = Organisation.objects.get(code=entry["organisation"])
        try:
            with transaction.atomic():
                report = _publish(entry, organisation, material["year"], office)
        except CoreError as error:
            lines.append(f"  {organisation.name}{material['year']}年：未能发布（{error.message}）")
            continue
        lines.append(
            f"  {report}：{report_stage(report).label}（/ndbg/{organisation.code}/{report.year}/）"
        )
    return "\n".join(lines)


def _publish(
    entry: dict[str, Any], organisation: Organisation, year: int, office: User
) -> AnnualReport:
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    if report is not None and report_stage(report) == Stage.PUBLISHED:
        return report
    submitter = User.objects.get(username=entry["submitter"])
    if report is None:
        report = services.report_create(actor=submitter, organisation=organisation, year=year)
    if report_stage(report) != Stage.IN_REVIEW:
        cells: dict[str, Any] = {
            key: Decimal(value) if key == "fees_amount" else value
            for key, value in entry["table2"].items()
        }
        report = services.report_update(
            actor=submitter, report=report, scope=entry["scope"], **cells
        )
        figures = _placeholders(live_figures(report))
        texts = {field: entry[field].strip().format(**figures) for field in NARRATIVE}
        report = services.report_update(actor=submitter, report=report, **texts)
        report = services.report_submit(actor=submitter, report=report)
    return services.report_publish(actor=office, report=report)


def _placeholders(figures: Figures) -> dict[str, int]:
    table3, table4, table2 = figures.table3, figures.table4, figures.table2
    return {
        "received": table3["new"][-1],
        "carried_in": table3["carried_in"][-1],
        "closed": table3["total"][-1],
        "granted": table3["granted"][-1],
        "partial": table3["partial"][-1],
        "carried_out": table3["carried_out"][-1],
        "reconsiderations": table4["reconsideration"][-1],
        "litigations": table4["litigation_direct"][-1] + table4["litigation_after"][-1],
        "corrected": sum(values[1] for values in table4.values()),
        "normative_issued": int(table2["normative_issued"].value or 0),
        "normative_current": int(table2["normative_current"].value or 0),
    }
