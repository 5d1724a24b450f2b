"""The national format of the annual report (国办公开办函〔2021〕30号): its title, the order of its
sections and the labels of tables 二, 三 and 四, read from ``data/format.yaml``.

The keys are fixed by code: table 二's cells are fields of ``AnnualReport``, table 三's columns
are foi's applicant types and its outcome rows foi's report rows (``foi.selectors.ROWS``), table
四's groups and results foi's ``AppealKind`` and ``AppealResult``. A file whose keys differ is a
configuration error; the labels are free to be corrected there.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured

from gongkai.foi.models import AppealKind, AppealResult, ApplicantType
from gongkai.foi.selectors import ROWS

DATA_FILE = Path(__file__).resolve().parent / "data" / "format.yaml"

SECTIONS = ("overview", "table2", "table3", "table4", "problems", "other")
"""The six sections, in the order the format prescribes (§2.1)."""
OVERVIEW = ("proactive", "on_request", "management", "platform", "supervision")
"""The five sub-headings of 一、总体情况."""
TABLE2_CELLS = (
    "rules_issued",
    "rules_repealed",
    "rules_current",
    "normative_issued",
    "normative_repealed",
    "normative_current",
    "licensing_decisions",
    "penalty_decisions",
    "enforcement_decisions",
    "fees_amount",
)
"""Table 二's ten cells as ``<row>_<column>``, in reading order."""
TABLE3_COLUMNS = (*ApplicantType.values, "total")
TABLE3_ROWS = ("new", "carried_in", *ROWS, "total", "carried_out")
TABLE4_GROUPS = tuple(AppealKind.values)
TABLE4_COLUMNS = (*AppealResult.values, "total")


@dataclass(frozen=True)
class Labelled:
    key: str
    label: str


@dataclass(frozen=True)
class Table2Group:
    """A sub-table of table 二, headed by the article 20 item it reports."""

    heading: str
    columns: tuple[Labelled, ...]
    rows: tuple[Labelled, ...]

    def cell_key(self, row: Labelled, column: Labelled) -> str:
        return f"{row.key}_{column.key}"


@dataclass(frozen=True)
class RowLabel:
    """A row label of table 三: a numbered row (``key``) or a group of rows (``children``)."""

    label: str
    key: str = ""
    children: tuple["RowLabel", ...] = ()

    def leaves(self) -> list["RowLabel"]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class Table3Column:
    key: str
    label: str
    organisation: bool  # under 法人或其他组织


@dataclass(frozen=True)
class Table4Group:
    key: str
    label: str
    parent: str  # the super-heading (行政诉讼), empty if none


@dataclass(frozen=True)
class ReportFormat:
    title: str
    sections: dict[str, str]
    overview: dict[str, str]
    table2_content: str
    table2: tuple[Table2Group, ...]
    table3_corner: str
    table3_applicants: str
    table3_organisations: str
    table3_columns: tuple[Table3Column, ...]
    table3_rows: tuple[RowLabel, ...]
    table4_groups: tuple[Table4Group, ...]
    table4_columns: tuple[Labelled, ...]
    genre: str
    topic: tuple[str, str]
    rules_genres: tuple[str, ...]

    def report_title(self, organisation: str, year: int) -> str:
        return self.title.format(organisation=organisation, year=year)

    def table2_cells(self) -> dict[str, tuple[str, str]]:
        """Each cell of table 二 → (row label, column label)."""
        return {
            group.cell_key(row, column): (row.label, column.label)
            for group in self.table2
            for row in group.rows
            for column in group.columns
        }

    def table3_labels(self) -> dict[str, str]:
        """Each numbered row of table 三 → its label, in the table's order."""
        return {leaf.key: leaf.label for row in self.table3_rows for leaf in row.leaves()}


@cache
def report_format() -> ReportFormat:
    data: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    topic_parent, topic = data["publication"]["topic"]
    loaded = ReportFormat(
        title=data["title"],
        sections=dict(data["sections"]),
        overview=dict(data["overview"]),
        table2_content=data["table2"]["content"],
        table2=tuple(
            Table2Group(
                heading=group["heading"],
                columns=tuple(Labelled(**column) for column in group["columns"]),
                rows=tuple(Labelled(**row) for row in group["rows"]),
            )
            for group in data["table2"]["groups"]
        ),
        table3_corner=data["table3"]["corner"],
        table3_applicants=data["table3"]["applicants"],
        table3_organisations=data["table3"]["organisations"],
        table3_columns=tuple(
            Table3Column(column["key"], column["label"], column.get("organisation", False))
            for column in data["table3"]["columns"]
        ),
        table3_rows=tuple(_row_label(row) for row in data["table3"]["rows"]),
        table4_groups=tuple(
            Table4Group(group["key"], group["label"], group.get("parent", ""))
            for group in data["table4"]["groups"]
        ),
        table4_columns=tuple(Labelled(**column) for column in data["table4"]["columns"]),
        genre=data["publication"]["genre"],
        topic=(topic_parent, topic),
        rules_genres=tuple(data["rules_genres"]),
    )
    _check_keys(loaded)
    return loaded


def _row_label(data: dict[str, Any]) -> RowLabel:
    children = tuple(_row_label(child) for child in data.get("rows", ()))
    return RowLabel(label=data["label"], key=data.get("key", ""), children=children)


def _check_keys(loaded: ReportFormat) -> None:
    expected = {
        "sections": SECTIONS,
        "overview": OVERVIEW,
        "table2": TABLE2_CELLS,
        "table3 columns": TABLE3_COLUMNS,
        "table3 rows": TABLE3_ROWS,
        "table4 groups": TABLE4_GROUPS,
        "table4 columns": TABLE4_COLUMNS,
    }
    found = {
        "sections": tuple(loaded.sections),
        "overview": tuple(loaded.overview),
        "table2": tuple(loaded.table2_cells()),
        "table3 columns": tuple(column.key for column in loaded.table3_columns),
        "table3 rows": tuple(loaded.table3_labels()),
        "table4 groups": tuple(group.key for group in loaded.table4_groups),
        "table4 columns": tuple(column.key for column in loaded.table4_columns),
    }
    for part, keys in expected.items():
        if found[part] != keys:
            raise ImproperlyConfigured(
                f"{DATA_FILE}: the keys of {part} must be {list(keys)}, not {list(found[part])}"
            )
