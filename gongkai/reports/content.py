"""What an annual report says: its narrative and the figures of tables 二, 三 and 四, the checks
the format implies, and the figures' JSON form (the command's output, and what a submitted
report freezes).

The checks (regulatory-facts.md §2.3, §2.4):

* table 三, per column: 一 + 二 = （七）总计 + 四 (the rule printed in the table's corner);
* table 三, per column: （七）总计 = the sum of the outcome rows （一）–（六）;
* table 三, per row: the 总计 column = the sum of the six applicant columns;
* table 四, per group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结;
* table 二: every cell has a value (computed or entered);
* every narrative part but the opening of 一 is written.

Figures computed from consistent data always pass the table checks; they fail on inconsistent
records (an application closed before it was received, closed without an outcome, of an
applicant type outside the six, an appeal with an unknown result) and so show them.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from gongkai.foi.selectors import ROWS

from .layout import OVERVIEW, TABLE2_CELLS, TABLE3_ROWS, report_format

NARRATIVE = ("overview", *(f"overview_{key}" for key in OVERVIEW), "problems", "other_matters")
"""The narrative fields of a report: the opening of 一, its five parts, 五 and 六."""
OPTIONAL_NARRATIVE = frozenset({"overview"})
FEES = "fees_amount"
"""The one cell of table 二 that is an amount (万元, with decimals); the others are counts."""

Number = int | Decimal


class Source(StrEnum):
    COMPUTED = "computed"  # counted by the platform
    ENTERED = "entered"  # entered by staff (or an override of a computed value)
    MISSING = "missing"  # neither yet


@dataclass(frozen=True)
class Table2Cell:
    value: Number | None
    source: Source


@dataclass(frozen=True)
class Figures:
    table2: dict[str, Table2Cell]
    """``layout.TABLE2_CELLS`` → the cell."""
    table3: dict[str, tuple[int, ...]]
    """``layout.TABLE3_ROWS`` → seven values, in the order of ``layout.TABLE3_COLUMNS``."""
    table4: dict[str, tuple[int, ...]]
    """``layout.TABLE4_GROUPS`` → five values, in the order of ``layout.TABLE4_COLUMNS``."""

    def failures(self) -> list[str]:
        """Every check that fails, as a Chinese sentence."""
        return self.table2_failures() + self.table3_failures() + self.table4_failures()

    def table2_failures(self) -> list[str]:
        labels = report_format().table2_cells()
        return [
            _("表二“%(row)s”的“%(column)s”尚未填报。")
            % {"row": labels[key][0], "column": labels[key][1]}
            for key in TABLE2_CELLS
            if self.table2[key].source == Source.MISSING
        ]

    def table3_failures(self) -> list[str]:
        layout = report_format()
        failures = []
        for index, column in enumerate(layout.table3_columns):
            value = {row: self.table3[row][index] for row in TABLE3_ROWS}
            left = value["new"] + value["carried_in"]
            right = value["total"] + value["carried_out"]
            if left != right:
                failures.append(
                    _(
                        "表三“%(column)s”列：第一项加第二项之和（%(left)d）不等于"
                        "第三项总计加第四项之和（%(right)d）。"
                    )
                    % {"column": column.label, "left": left, "right": right}
                )
            outcomes = sum(value[row] for row in ROWS)
            if outcomes != value["total"]:
                failures.append(
                    _("表三“%(column)s”列：总计（%(total)d）不等于各项办理结果之和（%(sum)d）。")
                    % {"column": column.label, "total": value["total"], "sum": outcomes}
                )
        labels = layout.table3_labels()
        for row in TABLE3_ROWS:
            *applicants, total = self.table3[row]
            if total != sum(applicants):
                failures.append(
                    _("表三“%(row)s”行：总计（%(total)d）不等于各类申请人之和（%(sum)d）。")
                    % {"row": labels[row], "total": total, "sum": sum(applicants)}
                )
        return failures

    def table4_failures(self) -> list[str]:
        failures = []
        for group in report_format().table4_groups:
            *results, total = self.table4[group.key]
            if total != sum(results):
                failures.append(
                    _(
                        "表四“%(group)s”：总计（%(total)d）不等于结果维持、结果纠正、其他结果、"
                        "尚未审结之和（%(sum)d）。"
                    )
                    % {"group": group.parent + group.label, "total": total, "sum": sum(results)}
                )
        return failures

    def as_json(self) -> dict[str, Any]:
        layout = report_format()
        cells = layout.table2_cells()
        labels = layout.table3_labels()
        return {
            "table2": {
                key: {
                    "row": cells[key][0],
                    "column": cells[key][1],
                    "value": None if cell.value is None else _json_number(cell.value),
                    "source": cell.source.value,
                }
                for key, cell in self.table2.items()
            },
            "table3": {
                "columns": [column.key for column in layout.table3_columns],
                "rows": [
                    {"key": row, "label": labels[row], "values": list(self.table3[row])}
                    for row in TABLE3_ROWS
                ],
            },
            "table4": {
                "columns": [column.key for column in layout.table4_columns],
                "rows": [
                    {
                        "key": group.key,
                        "label": group.label,
                        "parent": group.parent,
                        "values": list(self.table4[group.key]),
                    }
                    for group in layout.table4_groups
                ],
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figures":
        """The figures ``as_json`` wrote (a submitted report's frozen tables)."""
        return cls(
            table2={
                key: Table2Cell(
                    value=_number(key, data["table2"][key]["value"]),
                    source=Source(data["table2"][key]["source"]),
                )
                for key in TABLE2_CELLS
            },
            table3={row["key"]: tuple(row["values"]) for row in data["table3"]["rows"]},
            table4={row["key"]: tuple(row["values"]) for row in data["table4"]["rows"]},
        )


def _json_number(value: Number) -> int | str:
    """Counts as JSON integers; the amount as a decimal string (exact)."""
    return value if isinstance(value, int) else format(value.normalize(), "f")


def _number(key: str, value: int | str | None) -> Number | None:
    if value is None:
        return None
    return Decimal(value) if key == FEES else int(value)


def display_number(value: Number | None) -> str:
    """A figure as printed: counts as they are, the amount without trailing zeros."""
    if value is None:
        return ""
    return str(_json_number(value))


@dataclass(frozen=True)
class ReportContent:
    """Everything a rendering of a report shows."""

    organisation: str
    year: int
    texts: dict[str, str]
    """``NARRATIVE`` field → the text staff wrote."""
    figures: Figures

    @property
    def title(self) -> str:
        return report_format().report_title(self.organisation, self.year)

    def paragraphs(self, field: str) -> list[str]:
        """A narrative field's paragraphs: its non-empty lines."""
        return [line.strip() for line in self.texts[field].splitlines() if line.strip()]

    def failures(self) -> list[str]:
        """The figures' failed checks, then the narrative parts not yet written."""
        layout = report_format()
        headings = {
            "overview": layout.sections["overview"],
            **{
                f"overview_{key}": layout.sections["overview"] + heading
                for key, heading in layout.overview.items()
            },
            "problems": layout.sections["problems"],
            "other_matters": layout.sections["other"],
        }
        missing = [
            _("“%(heading)s”尚未填写。") % {"heading": headings[field]}
            for field in NARRATIVE
            if field not in OPTIONAL_NARRATIVE and not self.paragraphs(field)
        ]
        return self.figures.failures() + missing
