"""Renderings of an annual report that look like the published ones: HTML (the public page, the
body of the published document, the standalone file the PDF is printed from), DOCX, XLSX and
PDF.

The title is "<organisation>20XX年政府信息公开工作年度报告"; the six sections follow in the
format's order; tables 二, 三 and 四 carry their printed headers with the cells merged as
printed. Each table is laid out once, as a ``Grid`` (rows of cells with their spans, as in
HTML), which every format draws.
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .content import Figures, Number, ReportContent, Source, display_number
from .layout import OVERVIEW, SECTIONS, RowLabel, report_format

PDF_FONTS = '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    head: bool = False
    """A heading or a row label (``th``), not a figure."""
    value: Number | None = None
    """A figure, as a number (what an XLSX cell holds)."""


@dataclass(frozen=True)
class Grid:
    width: int
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    note: str = ""

    @property
    def height(self) -> int:
        return len(self.head) + len(self.body)

    def placed(self) -> list[tuple[int, int, Cell]]:
        """Every cell with the row and column (from 0) of its top left corner."""
        taken: set[tuple[int, int]] = set()
        found = []
        for row, cells in enumerate((*self.head, *self.body)):
            column = 0
            for cell in cells:
                while (row, column) in taken:
                    column += 1
                found.append((row, column, cell))
                taken.update(
                    (row + down, column + across)
                    for down in range(cell.rowspan)
                    for across in range(cell.colspan)
                )
                column += cell.colspan
        return found


def _figure(value: Number | None, *, colspan: int = 1) -> Cell:
    return Cell(display_number(value), colspan=colspan, value=value)


def table2_grid(figures: Figures) -> Grid:
    """Four sub-tables in one of four columns; a sub-table with one figure per row spans it
    over the three figure columns."""
    layout = report_format()
    rows: list[tuple[Cell, ...]] = []
    for group in layout.table2:
        span = 3 if len(group.columns) == 1 else 1
        rows.append((Cell(group.heading, colspan=4, head=True),))
        rows.append(
            (
                Cell(layout.table2_content, head=True),
                *(Cell(column.label, colspan=span, head=True) for column in group.columns),
            )
        )
        for row in group.rows:
            figures_of_row = [
                _figure(figures.table2[group.cell_key(row, column)].value, colspan=span)
                for column in group.columns
            ]
            rows.append((Cell(row.label, head=True), *figures_of_row))
    labels = layout.table2_cells()
    computed = [
        labels[key][0] + labels[key][1]
        for key, cell in figures.table2.items()
        if cell.source == Source.COMPUTED
    ]
    note = (
        _("注：%(cells)s由平台根据已发布的政府信息统计，其余数据由本机关填报。")
        % {"cells": "、".join(computed)}
        if computed
        else ""
    )
    return Grid(width=4, head=(), body=tuple(rows), note=note)


def table3_grid(figures: Figures) -> Grid:
    """Three label columns under the corner note, then the applicant columns under
    申请人情况 with 法人或其他组织 over its five."""
    layout = report_format()
    depth = max(_depth(row) for row in layout.table3_rows)
    columns = layout.table3_columns
    organisations = [column for column in columns if column.organisation]
    second: list[Cell] = []
    for column in columns:
        if not column.organisation:
            second.append(Cell(column.label, rowspan=2, head=True))
        elif column is organisations[0]:
            second.append(Cell(layout.table3_organisations, colspan=len(organisations), head=True))
    head = (
        (
            Cell(layout.table3_corner, rowspan=3, colspan=depth, head=True),
            Cell(layout.table3_applicants, colspan=len(columns), head=True),
        ),
        tuple(second),
        tuple(Cell(column.label, head=True) for column in organisations),
    )
    body = [
        row
        for label in layout.table3_rows
        for row in _table3_rows(label, level=1, depth=depth, figures=figures)
    ]
    return Grid(width=depth + len(columns), head=head, body=tuple(body))


def _depth(label: RowLabel) -> int:
    return 1 + max((_depth(child) for child in label.children), default=0)


def _table3_rows(
    label: RowLabel, *, level: int, depth: int, figures: Figures
) -> list[tuple[Cell, ...]]:
    """A numbered row spans the label columns left of it; a group spans its rows."""
    if not label.children:
        values = figures.table3[label.key]
        return [
            (
                Cell(label.label, colspan=depth - level + 1, head=True),
                *(_figure(value) for value in values),
            )
        ]
    rows = [
        row
        for child in label.children
        for row in _table3_rows(child, level=level + 1, depth=depth, figures=figures)
    ]
    rows[0] = (Cell(label.label, rowspan=len(rows), head=True), *rows[0])
    return rows


def table4_grid(figures: Figures) -> Grid:
    """行政复议 over its five results (spanning two header rows); 行政诉讼 over its two groups,
    each over its five results; one row of figures."""
    layout = report_format()
    groups = layout.table4_groups
    size = len(layout.table4_columns)
    first: list[Cell] = []
    second: list[Cell] = []
    third: list[Cell] = []
    for index, group in enumerate(groups):
        if not group.parent:
            first.append(Cell(group.label, colspan=size, head=True))
            second.extend(
                Cell(column.label, rowspan=2, head=True) for column in layout.table4_columns
            )
            continue
        if index == 0 or groups[index - 1].parent != group.parent:
            siblings = [other for other in groups if other.parent == group.parent]
            first.append(Cell(group.parent, colspan=size * len(siblings), head=True))
        second.append(Cell(group.label, colspan=size, head=True))
        third.extend(Cell(column.label, head=True) for column in layout.table4_columns)
    values = tuple(_figure(value) for group in groups for value in figures.table4[group.key])
    return Grid(
        width=size * len(groups), head=(tuple(first), tuple(second), tuple(third)), body=(values,)
    )


@dataclass(frozen=True)
class Part:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]
    parts: list[Part]
    grid: Grid | None = None


def sections(content: ReportContent) -> list[Section]:
    """The report's six sections in the format's order."""
    layout = report_format()
    grids = {
        "table2": table2_grid(content.figures),
        "table3": table3_grid(content.figures),
        "table4": table4_grid(content.figures),
    }
    texts = {"overview": "overview", "problems": "problems", "other": "other_matters"}
    found = []
    for key in SECTIONS:
        heading = layout.sections[key]
        if key in grids:
            found.append(Section(heading, [], [], grids[key]))
            continue
        parts = (
            [
                Part(layout.overview[part], content.paragraphs(f"overview_{part}"))
                for part in OVERVIEW
            ]
            if key == "overview"
            else []
        )
        found.append(Section(heading, content.paragraphs(texts[key]), parts))
    return found


# ---- HTML and PDF -----------------------------------------------------------------------------


def report_body_html(content: ReportContent) -> str:
    """The sections without the title: inside a page, and the published document's body."""
    return render_to_string("reports/_report.html", {"sections": sections(content)})


def report_html(content: ReportContent) -> str:
    """A standalone page with print styles (the HTML export, and what the PDF prints)."""
    return render_to_string(
        "reports/print.html",
        {"title": content.title, "sections": sections(content), "fonts": PDF_FONTS},
    )


def report_pdf(content: ReportContent) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is made

    pdf: bytes = HTML(string=report_html(content)).write_pdf()
    return pdf


# ---- DOCX -------------------------------------------------------------------------------------


def report_docx(content: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    def paragraph(text: str, *, bold: bool = False, size: float | None = None) -> None:
        made = document.add_paragraph()
        run = made.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif not bold:
            made.paragraph_format.first_line_indent = Pt(24)

    paragraph(content.title, bold=True, size=18)
    for section in sections(content):
        paragraph(section.heading, bold=True)
        for text in section.paragraphs:
            paragraph(text)
        for part in section.parts:
            paragraph(part.heading, bold=True)
            for text in part.paragraphs:
                paragraph(text)
        if section.grid is None:
            continue
        grid = section.grid
        table = document.add_table(rows=grid.height, cols=grid.width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row, column, cell in grid.placed():
            target = table.cell(row, column)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(row + cell.rowspan - 1, column + cell.colspan - 1))
            target.text = cell.text
            for line in target.paragraphs:
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in line.runs:
                    run.font.size = Pt(9)
        if grid.note:
            paragraph(grid.note)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- XLSX -------------------------------------------------------------------------------------


def report_xlsx(content: ReportContent) -> bytes:
    """One sheet per table, named after its section, under the report's title."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections(content):
        grid = section.grid
        if grid is None:
            continue
        sheet = workbook.create_sheet(section.heading[:31])
        for line, text in enumerate((content.title, section.heading), start=1):
            sheet.cell(line, 1, text).font = Font(bold=True, size=14 if line == 1 else 12)
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=grid.width)
        top = 3
        for row in range(grid.height):
            for column in range(grid.width):
                sheet.cell(top + row, column + 1).border = border
        for row, column, cell in grid.placed():
            target = sheet.cell(top + row, column + 1, cell.text if cell.head else cell.value)
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            target.font = Font(bold=row < len(grid.head))
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=top + row,
                    start_column=column + 1,
                    end_row=top + row + cell.rowspan - 1,
                    end_column=column + cell.colspan,
                )
        if grid.note:
            sheet.cell(top + grid.height + 1, 1, grid.note)
        for column in range(1, grid.width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 24 if grid.width <= 4 else 12
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Export:
    render: Callable[[ReportContent], bytes]
    content_type: str
    label: str


EXPORTS: dict[str, Export] = {
    "html": Export(
        lambda content: report_html(content).encode(), "text/html; charset=utf-8", "HTML"
    ),
    "docx": Export(
        report_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": Export(
        report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
    "pdf": Export(report_pdf, "application/pdf", "PDF"),
}
"""The export formats by file extension."""
