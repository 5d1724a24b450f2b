import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("orgs", *args, stdout=out)
    return out.getvalue()


def test_resolve_prints_the_organisation_and_the_former_name(beijing: None) -> None:
    assert run("resolve", "市环保局").splitlines() == [
        "市环保局 → 110000-STHJJ  北京市生态环境局（市生态环境局）",
        "  匹配该机构的曾用简称“市环保局”（启用日期：不详；停用日期：2018-11-24）",
    ]


def test_resolve_names_the_merged_organisation_a_former_name_belonged_to(beijing: None) -> None:
    assert run("resolve", "市工商局").splitlines()[1] == (
        "  匹配已撤并机构“北京市工商行政管理局”的曾用简称“市工商局”"
        "（启用日期：不详；停用日期：2018-11-24）"
    )


def test_resolve_a_current_name(beijing: None) -> None:
    assert run("resolve", "市教委") == "市教委 → 110000-JW  北京市教育委员会（市教委）\n"


def test_resolve_a_collective_reference(beijing: None) -> None:
    lines = run("resolve", "各试点区政府").splitlines()

    assert lines == [
        "各试点区政府 → 集合称谓，共 5 个机构：",
        "  110101  北京市东城区人民政府（东城区政府）",
        "  110102  北京市西城区人民政府（西城区政府）",
        "  110105  北京市朝阳区人民政府（朝阳区政府）",
        "  110108  北京市海淀区人民政府（海淀区政府）",
        "  110114  北京市昌平区人民政府（昌平区政府）",
    ]


def test_resolve_with_context_and_date_as_json(beijing: None) -> None:
    data = json.loads(run("resolve", "区政府", "--context", "110101001", "--json"))
    merged = json.loads(run("resolve", "市工商局", "--on", "2018-05-11", "--json"))

    assert data["outcome"] == "single"
    assert [org["code"] for org in data["organisations"]] == ["110101"]
    assert merged["organisations"][0]["code"] == "110000-GSJ"
    assert merged["organisations"][0]["is_active"] is False


def test_a_name_that_needs_a_choice(beijing: None) -> None:
    lines = run("resolve", "八里庄街道").splitlines()

    assert lines[0] == "八里庄街道 → 需人工选择，候选 2 个："
    assert len(lines) == 3


def test_an_unknown_name_exits_with_status_1(beijing: None) -> None:
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("orgs", "resolve", "市火星局", "--json", stdout=out)

    assert raised.value.returncode == 1
    assert str(raised.value) == "未能识别机构名称“市火星局”。"
    assert json.loads(out.getvalue())["outcome"] == "unresolved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("resolve", "市教委", "--on", "2018-13-01"), "日期“2018-13-01”无效，请使用 YYYY-MM-DD"),
        (("resolve", "市教委", "--context", "NOPE"), "找不到机构代码为“NOPE”的机构。"),
        (("resolve", "  "), "请提供要解析的机构名称"),
        (("resolve",), "请提供要解析的机构名称"),
        (("rename", "市教委"), "未知的子命令“rename”，可用的子命令为 resolve 和 load。"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    beijing: None, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        run(*args)

    assert raised.value.returncode == 2
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["resolve", "市教委", "--on", "20180511"], "CommandError: 日期“20180511”无效"),
        (["frobnicate"], "CommandError: 未知的子命令“frobnicate”"),
        ([], "error: 请指定子命令：resolve（解析机构名称）或 load（载入参考数据）。"),
    ],
)
def test_on_the_command_line_bad_input_gives_no_traceback(args: list[str], message: str) -> None:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "gongkai.config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "orgs", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
