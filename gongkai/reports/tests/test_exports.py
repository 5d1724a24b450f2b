"""The renderings: the tables' printed layout, and each export opening in its own reader."""

from datetime import date
from io import BytesIO

import docx
import openpyxl
import pytest

from gongkai.reports.exports import (
    EXPORTS,
    report_html,
    sections,
    table2_grid,
    table3_grid,
    table4_grid,
)
from gongkai.reports.layout import report_format
from gongkai.reports.selectors import report_content

from .support import application, complete_report, make_people

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
TITLE = "北京市发展和改革委员会2025年政府信息公开工作年度报告"


@pytest.fixture
def content():
    people = make_people()
    application(
        people.orgs["fgw"],
        received_on=date(2025, 3, 1),
        applicant_type="commercial",
        closed_on=date(2025, 3, 9),
        outcome="partial",
    )
    return report_content(complete_report(people.handler, people.orgs["fgw"]))


def covered(grid) -> list[tuple[int, int]]:
    return [
        (row + down, column + across)
        for row, column, cell in grid.placed()
        for down in range(cell.rowspan)
        for across in range(cell.colspan)
    ]


def test_each_table_fills_its_rectangle_exactly_once(content):
    for grid, height, width in (
        (table2_grid(content.figures), 14, 4),
        (table3_grid(content.figures), 3 + 25, 10),
        (table4_grid(content.figures), 4, 15),
    ):
        cells = covered(grid)
        assert (grid.height, grid.width) == (height, width)
        assert sorted(cells) == [(row, column) for row in range(height) for column in range(width)]


def test_the_printed_headers(content):
    table3 = {(row, column): cell for row, column, cell in table3_grid(content.figures).placed()}
    assert (table3[0, 0].rowspan, table3[0, 0].colspan) == (3, 3)
    assert table3[0, 0].text == report_format().table3_corner
    assert (table3[0, 3].text, table3[0, 3].colspan) == ("申请人情况", 7)
    assert (table3[1, 3].text, table3[1, 3].rowspan) == ("自然人", 2)
    assert (table3[1, 4].text, table3[1, 4].colspan) == ("法人或其他组织", 5)
    assert (table3[1, 9].text, table3[1, 9].rowspan) == ("总计", 2)
    assert [table3[2, column].text for column in range(4, 9)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    ]  # fmt: skip
    assert (table3[3, 0].text, table3[3, 0].colspan) == ("一、本年新收政府信息公开申请数量", 3)
    assert (table3[5, 0].text, table3[5, 0].rowspan) == ("三、本年度办理结果", 22)
    assert (table3[7, 1].text, table3[7, 1].rowspan) == ("（三）不予公开", 8)
    assert table3[7, 2].text == "1.属于国家秘密"
    assert [table3[6, column].text for column in range(3, 10)] == [
        "0",
        "1",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]
    table4 = {(row, column): cell for row, column, cell in table4_grid(content.figures).placed()}
    assert (table4[0, 0].text, table4[0, 5].text, table4[0, 5].colspan) == (
        "行政复议",
        "行政诉讼",
        10,
    )
    assert (table4[1, 0].text, table4[1, 0].rowspan) == ("结果维持", 2)
    assert (table4[1, 5].text, table4[1, 10].text) == ("未经复议直接起诉", "复议后起诉")
    assert table4[2, 14].text == "总计"
    table2 = {(row, column): cell for row, column, cell in table2_grid(content.figures).placed()}
    assert (table2[0, 0].text, table2[0, 0].colspan) == ("第二十条第（一）项", 4)
    assert [table2[1, column].text for column in range(4)] == [
        "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
    ]  # fmt: skip
    assert (table2[13, 0].text, table2[13, 1].text, table2[13, 1].colspan) == (
        "行政事业性收费",
        "12.5",
        3,
    )


def test_the_sections_follow_the_format(content):
    assert [section.heading for section in sections(content)] == SECTION_HEADINGS
    assert [part.heading for part in sections(content)[0].parts] == [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ]
    assert sections(content)[4].paragraphs == ["政策解读形式较为单一。", "下一步将丰富解读形式。"]


def test_html_is_a_page_with_the_title_and_the_tables(content):
    html = report_html(content)
    assert f"<h1>{TITLE}</h1>" in html
    assert '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif' in html
    assert [html.index(heading) for heading in SECTION_HEADINGS] == sorted(
        html.index(heading) for heading in SECTION_HEADINGS
    )
    assert 'rowspan="3" colspan="3"' in html
    assert "由平台根据已发布的政府信息统计" in html


def test_docx_opens_with_the_sections_and_merged_tables(content):
    document = docx.Document(BytesIO(EXPORTS["docx"].render(content)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == TITLE
    assert [text for text in texts if text in SECTION_HEADINGS] == SECTION_HEADINGS
    table2, table3, table4 = document.tables
    assert (len(table3.rows), len(table3.columns)) == (28, 10)
    assert table3.cell(0, 0).text == table3.cell(2, 2).text == report_format().table3_corner
    assert table3.cell(5, 0).text == table3.cell(26, 0).text == "三、本年度办理结果"
    assert [table3.cell(6, column).text for column in range(3, 10)] == [
        "0",
        "1",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]
    assert table4.cell(0, 5).text == table4.cell(0, 14).text == "行政诉讼"
    assert table2.cell(13, 1).text == table2.cell(13, 3).text == "12.5"


def test_xlsx_opens_with_one_sheet_per_table_merged_as_printed(content):
    workbook = openpyxl.load_workbook(BytesIO(EXPORTS["xlsx"].render(content)))
    assert workbook.sheetnames == SECTION_HEADINGS[1:4]
    table3 = workbook[SECTION_HEADINGS[2]]
    assert table3["A1"].value == TITLE
    merged = {str(cells) for cells in table3.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A8:A29", "B10:B17", "A6:C6"} <= merged
    assert [table3.cell(9, column).value for column in range(4, 11)] == [0, 1, 0, 0, 0, 0, 1]
    table4 = workbook[SECTION_HEADINGS[3]]
    assert {"A3:E3", "F3:O3", "A4:A5", "F4:J4", "K4:O4"} <= {
        str(c) for c in table4.merged_cells.ranges
    }
    assert workbook[SECTION_HEADINGS[1]]["B16"].value == 12.5


def test_pdf_is_printed_from_the_html(content):
    assert EXPORTS["pdf"].render(content).startswith(b"%PDF")
