"""``gongkai annual-report``: the JSON form with the official labels, the file exports and the
Chinese refusals with a non-zero exit."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from gongkai.reports.layout import TABLE3_ROWS

from .support import application, complete_report, make_people

pytestmark = pytest.mark.django_db

COLUMNS = [
    "natural",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other",
    "total",
]


@pytest.fixture
def people():
    people = make_people()
    application(people.orgs["fgw"], received_on=date(2025, 3, 1), applicant_type="research")
    application(people.orgs["dc_fgw"], received_on=date(2025, 3, 1))
    return people


def run(*args: str) -> str:
    out = StringIO()
    call_command("annual-report", *args, stdout=out)
    return out.getvalue()


def test_the_command_is_found_by_its_hyphenated_name():
    assert get_commands()["annual-report"] == "gongkai.reports"


def test_json_has_the_tables_keys_and_official_labels(people):
    data = json.loads(run("--org", "110000-FGW", "--year", "2025", "--format", "json"))
    assert (data["org"], data["year"]) == ("110000-FGW", 2025)
    table3 = data["table3"]
    assert table3["columns"] == COLUMNS
    assert [row["key"] for row in table3["rows"]] == list(TABLE3_ROWS)
    assert [row["key"] for row in table3["rows"]][:6] == [
        "new",
        "carried_in",
        "granted",
        "partial",
        "d1",
        "d2",
    ]
    labels = {row["key"]: row["label"] for row in table3["rows"]}
    assert labels["new"] == "一、本年新收政府信息公开申请数量"
    assert labels["partial"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert labels["d1"] == "1.属于国家秘密"
    assert labels["o1"] == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert labels["total"] == "（七）总计"
    assert labels["carried_out"] == "四、结转下年度继续办理"
    rows = {row["key"]: row["values"] for row in table3["rows"]}
    assert all(
        len(values) == 7 and all(isinstance(v, int) for v in values) for values in rows.values()
    )
    assert rows["new"] == [0, 0, 1, 0, 0, 0, 1]
    assert rows["carried_out"] == [0, 0, 1, 0, 0, 0, 1]
    assert [row["key"] for row in data["table4"]["rows"]] == [
        "reconsideration", "litigation_direct", "litigation_after",
    ]  # fmt: skip
    assert data["table4"]["columns"] == ["upheld", "corrected", "other", "pending", "total"]
    assert data["table2"]["licensing_decisions"] == {
        "row": "行政许可", "column": "本年处理决定数量", "value": None, "source": "missing",
    }  # fmt: skip
    assert "表二“行政许可”的“本年处理决定数量”尚未填报。" in data["failures"]


def test_json_uses_the_report_and_the_scope(people):
    complete_report(people.office, people.orgs["city"])
    data = json.loads(run("--org", "110000", "--year", "2025"))
    assert data["table2"]["licensing_decisions"]["value"] == 1236
    assert data["table2"]["fees_amount"]["value"] == "12.5"
    assert data["table3"]["rows"][0]["values"][-1] == 0
    data = json.loads(run("--org", "110000", "--year", "2025", "--scope", "jurisdiction"))
    assert (data["scope"], data["table3"]["rows"][0]["values"][-1]) == ("jurisdiction", 2)
    assert data["failures"] == []


@pytest.mark.parametrize(("fmt", "start"), [("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_files_are_written(people, tmp_path, fmt, start):
    path = tmp_path / f"report.{fmt}"
    out = run("--org", "110000-FGW", "--year", "2025", "--format", fmt, "--output", str(path))
    assert str(path) in out
    assert path.read_bytes().startswith(start)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "NOPE", "--year", "2025"], "找不到机构代码为“NOPE”的机构。"),
        (["--year", "2025"], "找不到机构代码为“”的机构。"),
        (["--org", "110000-FGW", "--year", "20x5"], "年度“20x5”无效"),
        (["--org", "110000-FGW", "--year", "2019"], "年度“2019”无效"),
        (["--org", "110000-FGW", "--year", "2025", "--format", "odt"], "不支持的格式“odt”"),
        (["--org", "110000-FGW", "--year", "2025", "--format", "pdf"], "请用 --output 指定"),
        (["--org", "110000-FGW", "--year", "2025", "--scope", "city"], "统计范围应为"),
    ],
)
def test_bad_input_is_refused_in_chinese_with_exit_status_2(people, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert error.value.returncode == 2


def test_an_unwritable_output_is_refused(people, tmp_path):
    with pytest.raises(CommandError) as error:
        run(
            "--org",
            "110000-FGW",
            "--year",
            "2025",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "no" / "x.docx"),
        )
    assert "无法写入文件" in str(error.value)
