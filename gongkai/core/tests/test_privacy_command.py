"""``gongkai privacy scan|mask``, run as from a shell (in-process; no database needed)."""

import io
import json
import sys

import pytest
from django.core.management import ManagementUtility

TEXT = (
    "申请人：张三，手机13800138000，邮箱li@example.cn，"
    "统一社会信用代码91350200776049653A。\r\n第二行没有个人信息\n"
)
MASKED = (
    "申请人：张*，手机138****8000，邮箱l***@example.cn，"
    "统一社会信用代码91350200776049653A。\r\n第二行没有个人信息\n"
)


@pytest.fixture
def run(capsys):
    def run(*args):
        capsys.readouterr()
        try:
            ManagementUtility(["gongkai", "privacy", *args]).execute()
            status = 0
        except SystemExit as exc:
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "答复.txt"
    path.write_bytes(TEXT.encode())
    return path


def test_scan_json(run, sample):
    status, out, err = run("scan", str(sample), "--json")
    assert (status, err) == (0, "")
    expected = [
        {"type": "name", "start": 4, "end": 6, "text": "张三"},
        {"type": "mobile", "start": 9, "end": 20, "text": "13800138000"},
        {"type": "email", "start": 23, "end": 36, "text": "li@example.cn"},
    ]
    assert out == json.dumps(expected, ensure_ascii=False) + "\n"
    assert all(TEXT[item["start"] : item["end"]] == item["text"] for item in json.loads(out))


def test_scan_json_without_findings(run, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("京政发〔2018〕12号", encoding="utf-8")
    assert run("scan", str(path), "--json") == (0, "[]\n", "")


def test_scan_table(run, sample):
    status, out, _err = run("scan", str(sample))
    assert status == 0
    lines = out.splitlines()
    assert lines[1:4] == [
        "姓名\t4-6\t张*",
        "手机号码\t9-20\t138****8000",
        "电子邮箱\t23-36\tl***@example.cn",
    ]
    assert "13800138000" not in out
    assert lines[-1] == "共 3 处。"


def test_mask_prints_the_text_exactly(run, sample):
    assert run("mask", str(sample)) == (0, MASKED, "")


def test_mask_without_a_final_newline(run, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("电话010-65123456", encoding="utf-8")
    assert run("mask", str(path)) == (0, "电话010-******56", "")


def test_standard_input(run, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    assert run("mask", "-") == (0, MASKED, "")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "文件不存在"),
        (lambda tmp: tmp, "是目录"),
        (lambda tmp: _write(tmp / "gbk.txt", "张三".encode("gbk")), "不是有效的 UTF-8 文本"),
    ],
)
@pytest.mark.parametrize("subcommand", ["scan", "mask"])
def test_unreadable_files(run, tmp_path, make, message, subcommand):
    status, out, err = run(subcommand, str(make(tmp_path)))
    assert status == 1
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def _write(path, data):
    path.write_bytes(data)
    return path
