"""``gongkai publishing import FILE.jsonl``: bad lines are reported with their numbers and
reasons, the others imported; a second run changes nothing; a dry run writes nothing."""

import json
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    Disclosure,
    Document,
    GazetteEntry,
    GazetteIssue,
    Interpretation,
    Validity,
)

from .workflow_support import make_staff

pytestmark = pytest.mark.usefixtures("beijing")


def line(**overrides: Any) -> str:
    """A valid line: a 2018 通知 of 市政府办公厅; a field set to ``None`` is left out."""
    fields: dict[str, Any] = {
        "index_no": "110000-BGT/2018-00016",
        "title": "北京市2018年政务公开工作要点",
        "organisation": "市政府办公厅",
        "doc_no": "京政办发[2018]16号",
        "genre": "通知",
        "topic": "综合政务/政务公开",
        "written_on": "2018-05-11",
        "published_at": "2018-05-14 09:30",
        "summary": "部署2018年全市政务公开工作。",
        "body": "<p>各区人民政府，市政府各委、办、局，各市属机构：</p>",
    }
    fields |= overrides
    return json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False)


@dataclass
class Run:
    out: str
    err: str
    status: int


@pytest.fixture
def author() -> str:
    make_staff("archivist", Organisation.objects.get(code="110000-BGT"), Role.OPENNESS_OFFICE)
    return "archivist"


def run(path: Path, *args: str, author: str = "archivist") -> Run:
    out, err = StringIO(), StringIO()
    status = 0
    try:
        call_command(
            "publishing", "import", str(path), "--author", author, *args, stdout=out, stderr=err
        )
    except CommandError as error:
        status = error.returncode
        err.write(str(error))
    return Run(out.getvalue(), err.getvalue(), status)


def write(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(
        b"\n".join(item if isinstance(item, bytes) else item.encode() for item in lines)
    )
    return path


def test_good_lines_are_imported_and_the_summary_says_so(tmp_path: Path, author: str) -> None:
    path = write(
        tmp_path,
        line(co_issuers=["市发展改革委", "110000-CZJ"]),
        "",
        line(
            index_no="110000-NYJ/2017-00003",
            title="关于做好2017年春耕生产工作的通知",
            organisation="市农业局",  # merged away in 2018: its own documents of 2017
            doc_no=None,
            topic="农业、畜牧业、渔业",
            written_on="2017-03-01",
            published_at="2017-03-03",
            validity="失效",
        ),
    )

    result = run(path)

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == ["导入 2 件，跳过已存在 0 件，错误 0 行"]
    seed = Document.objects.get(index_no="110000-BGT/2018-00016")
    assert (seed.doc_no, seed.organisation.code, seed.created_by.username) == (
        "京政办发〔2018〕16号",
        "110000-BGT",
        "archivist",
    )
    assert sorted(seed.co_issuers.values_list("code", flat=True)) == ["110000-CZJ", "110000-FGW"]
    spring = Document.objects.get(index_no="110000-NYJ/2017-00003")
    assert (spring.organisation.code, spring.validity, spring.topic.parent.name) == (
        "110000-NYJ",
        Validity.EXPIRED,
        "农业、林业、水利",
    )
    assert timezone.localtime(spring.published_at).isoformat() == "2017-03-03T00:00:00+08:00"
    assert timezone.localtime(seed.published_at).isoformat() == "2018-05-14T09:30:00+08:00"
    # The command line acts as the system.
    assert set(
        AuditEvent.objects.filter(action="publishing.document.import").values_list(
            "actor_id", flat=True
        )
    ) == {None}


BAD_LINES = [
    ("{不是 JSON", "第 2 行：不是有效的 JSON："),
    ("[1, 2]", "第 3 行：每行应是一个 JSON 对象（{…}）。"),
    (
        line(index_no="x/1", title=None, summary=" "),
        "第 4 行：缺少必填字段：title（标题）、summary（内容概述）。",
    ),
    (line(index_no="x/2", colour="红"), "第 5 行：有无法识别的字段：colour。"),
    (
        line(index_no="x/3", organisation="市某某局"),
        "第 6 行：无法识别机构“市某某局”：请使用机构代码，或机构的全称、简称（含曾用名）。",
    ),
    (
        line(index_no="x/4", organisation="区政府"),
        "第 7 行：“区政府”可能指多个机构（北京市东城区人民政府、北京市西城区人民政府、",
    ),
    (
        line(index_no="x/5", doc_no="京政办发2018年16号"),
        "第 8 行：发文字号“京政办发2018年16号”格式不正确",
    ),
    (
        line(index_no="x/6", written_on="2018-02-30"),
        "第 9 行：字段 written_on（成文日期）的值“2018-02-30”不是有效日期，应为 YYYY-MM-DD 格式",
    ),
    (
        line(index_no="x/7", published_at="5月14日"),
        "第 10 行：字段 published_at（发布日期）的值“5月14日”不是有效的日期或时间",
    ),
    (
        line(index_no="x/8", disclosure="依申请公开"),
        "第 11 行：公开属性为“依申请公开”的政府信息须选择依据（政府信息公开条例的条款）。",
    ),
    (
        line(index_no="x/9", topic="其他"),
        "第 12 行：主题分类“其他”有多个（国务院组织机构 / 其他、综合政务 / 其他、",
    ),
    (line(index_no="x/10", genre="讲话"), "第 13 行：没有名为“讲话”的体裁。"),
    (
        line(index_no="x/11", validity="有效"),
        "第 14 行：字段 validity（有效性）的值“有效”无效，可选：现行有效、已修改、失效、废止。",
    ),
    (line(index_no="x/12", title=12), "第 15 行：字段 title（标题）应为文本。"),
    ("\xff\xfe".encode("latin-1"), "第 16 行：不是有效的 UTF-8 文本。"),
    (
        line(index_no="x/13", published_at="2018-05-01"),
        "第 17 行：发布日期 2018-05-01 早于成文日期 2018-05-11。",
    ),
    (
        line(index_no="x/14", genre="解读"),
        "第 18 行：解读体裁专用于政策解读",
    ),
    (
        line(
            index_no="x/15",
            genre="解读",
            interpretation={"policies": ["110000-BGT/2099-00001"], "form": "文字解读"},
        ),
        "第 19 行：所解读的政策“110000-BGT/2099-00001”不存在：须先导入或发布该索引号的文件。",
    ),
    (
        line(index_no="x/16", gazette={"year": "2018", "number": 1, "published_on": "2018-06-01"}),
        "第 20 行：字段 gazette.year（公报年份）应为整数。",
    ),
    (line(index_no="bad index"), "第 21 行：索引号“bad index”格式不正确"),
    (
        line(index_no="x/17", title="长" * 301),
        "第 22 行：title（标题）：确保该变量包含不超过 300 字符",
    ),
    (
        line(
            index_no="x/18", gazette={"year": 2018, "number": 10**30, "published_on": "2018-06-01"}
        ),
        f"第 23 行：公报期号应为 1 至 32767 的整数（收到 {10**30}）。",
    ),
    ("[" * 100_000, "第 24 行：不是有效的 JSON：嵌套层级过深。"),
]


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_imported(
    tmp_path: Path, author: str
) -> None:
    good = line(index_no="110000-BGT/2018-00017", title="第二件")
    path = write(tmp_path, line(), *(bad for bad, _reason in BAD_LINES), good)

    result = run(path)

    assert result.status == 1
    reported = result.err.splitlines()
    for (_bad, reason), message in zip(BAD_LINES, reported, strict=False):
        assert message.startswith(reason)
    assert reported[len(BAD_LINES)] == "有 23 行未能导入，原因见上文。"
    assert result.out.splitlines() == ["导入 2 件，跳过已存在 0 件，错误 23 行"]
    assert sorted(Document.objects.values_list("index_no", flat=True)) == [
        "110000-BGT/2018-00016",
        "110000-BGT/2018-00017",
    ]


def test_a_second_run_skips_what_exists(tmp_path: Path, author: str) -> None:
    path = write(tmp_path, line(), line(index_no="x/1", organisation="市某某局"))
    run(path)
    events = AuditEvent.objects.count()

    again = run(path)

    assert again.status == 1
    assert again.out.splitlines() == ["导入 0 件，跳过已存在 1 件，错误 1 行"]
    assert Document.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path: Path, author: str) -> None:
    policy = "110000-BGT/2018-00016"
    interpretation = line(
        index_no="110000-BGT/2018-00018",
        title="负责人解读《北京市2018年政务公开工作要点》",
        genre="解读",
        doc_no=None,
        interpretation={"policies": [policy], "form": "负责人解读", "leader_name": "王建华"},
    )
    path = write(tmp_path, line(), line(), interpretation, line(index_no="x/1", genre="讲话"))
    events = AuditEvent.objects.count()

    dry = run(path, "--dry-run")

    assert dry.status == 1
    assert dry.out.splitlines() == [
        "试运行：只校验，未写入任何数据。",
        "导入 2 件，跳过已存在 1 件，错误 1 行",
    ]
    assert dry.err.splitlines()[0] == "第 4 行：没有名为“讲话”的体裁。"
    assert not Document.objects.exists()
    assert AuditEvent.objects.count() == events

    real = run(path)

    assert real.out.splitlines() == ["导入 2 件，跳过已存在 1 件，错误 1 行"]
    made = Interpretation.objects.get()
    assert (made.form, made.leader_name) == ("leader", "王建华")
    assert list(made.policies.values_list("index_no", flat=True)) == [policy]


def test_gazette_placements_and_withheld_documents(tmp_path: Path, author: str) -> None:
    path = write(
        tmp_path,
        line(gazette={"year": 2018, "number": 11, "published_on": "2018-06-05", "position": 2}),
        line(
            index_no="110000-BGT/2018-00020",
            title="关于印发某项工作方案的请示",
            genre="请示",
            doc_no=None,
            disclosure="不予公开",
            legal_basis="art16-process",
            disclosure_reason="过程性信息",
        ),
        line(
            index_no="110000-BGT/2018-00021",
            disclosure="不予公开",
            legal_basis="art99",
            disclosure_reason="理由",
        ),
    )

    result = run(path)

    assert result.err.splitlines()[0].startswith(
        "第 3 行：没有代码为“art99”的公开属性依据，可选：art14-secret、"
    )
    assert GazetteIssue.objects.get().published_on == date(2018, 6, 5)
    assert GazetteEntry.objects.get().sort_order == 2
    withheld = Document.objects.get(index_no="110000-BGT/2018-00020")
    assert (withheld.disclosure, withheld.legal_basis.code) == (
        Disclosure.WITHHELD,
        "art16-process",
    )


def test_an_unusable_file_or_author_imports_nothing(tmp_path: Path, author: str) -> None:
    missing = run(tmp_path / "none.jsonl")
    assert missing.status == 2
    assert missing.err.startswith(f"无法读取文件 {tmp_path / 'none.jsonl'}：")

    nobody = run(write(tmp_path, line()), author="nobody")
    assert nobody.status == 2
    assert nobody.err == "找不到在用的工作人员账户“nobody”。"
    assert not Document.objects.exists()
