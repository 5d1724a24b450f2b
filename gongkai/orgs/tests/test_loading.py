"""Loading the reference data file (an empty database for each test)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from gongkai.core.models import AuditEvent
from gongkai.orgs.errors import OrgError, OrgErrorCode
from gongkai.orgs.models import Organisation, OrganisationAlias, OrganisationName
from gongkai.orgs.services import org_load_reference_data


def snapshot() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        OrganisationName.objects.count(),
        OrganisationAlias.objects.count(),
        AuditEvent.objects.count(),
    )


def test_loading_twice_changes_nothing_and_audits_nothing(db: None) -> None:
    first = org_load_reference_data()
    after_first = snapshot()

    assert org_load_reference_data() == 0
    assert snapshot() == after_first
    organisations, names, _aliases, events = after_first
    renames = names - organisations
    merges = AuditEvent.objects.filter(action="orgs.organisation.merge").count()
    assert first == organisations + renames + merges
    assert events == first


def test_the_load_command_reports_what_it_did(db: None) -> None:
    first, second = StringIO(), StringIO()

    call_command("orgs", "load", stdout=first)
    call_command("orgs", "load", stdout=second)

    assert first.getvalue().startswith("已载入机构参考数据：新增或变更 ")
    assert second.getvalue() == "机构参考数据已是最新，未作变更。\n"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "reference.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("organisations: [", "while parsing"),
        ("organisations: {}", "organisations 应为列表"),
        ("organisations: [{code: X1, name: 甲, kind: government}]", "level 或 kind 无效"),
        ("organisations: [{code: 110000, name: 甲, level: city, kind: government}]", "请加引号"),
        (
            "organisations: [{code: X1, name: 甲, level: city, kind: government, nmae: 乙}]",
            "含有未知字段：nmae",
        ),
        (
            "organisations: [{code: X1, name: 甲, level: city, kind: government},"
            " {code: X1, name: 乙, level: city, kind: government}]",
            "机构代码重复：X1",
        ),
        (
            "merges: [{into: X1, sources: [X2], effective_on: 2018-11-24, notice: 方案}]",
            "引用了不存在的机构代码：X1、X2",
        ),
        (
            "organisations: [{code: X1, name: 甲, level: city, kind: government,"
            " renamed: [{effective_on: 2018, name: 乙, notice: 方案}]}]",
            "YYYY-MM-DD",
        ),
    ],
)
def test_a_bad_reference_file_is_refused_with_a_clear_message(
    db: None, tmp_path: Path, text: str, problem: str
) -> None:
    with (
        override_settings(GONGKAI_ORGS_REFERENCE_DATA=write(tmp_path, text)),
        pytest.raises(OrgError) as raised,
    ):
        org_load_reference_data()

    assert raised.value.code is OrgErrorCode.BAD_REFERENCE_DATA
    assert raised.value.message.startswith("机构参考数据文件“")
    assert problem in raised.value.message
    assert Organisation.objects.count() == 0
