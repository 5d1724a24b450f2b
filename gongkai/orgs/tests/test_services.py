from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEvent
from gongkai.orgs.errors import OrgError, OrgErrorCode
from gongkai.orgs.models import Kind, Level, Organisation, OrganisationAlias, OrganisationName
from gongkai.orgs.selectors import Outcome, org_resolve
from gongkai.orgs.services import (
    org_alias_add,
    org_alias_remove,
    org_create,
    org_merge,
    org_rename,
    org_update,
)

Org = Callable[[str], Organisation]
REFORM = date(2018, 11, 24)
LATER = date(2020, 1, 1)


@pytest.fixture
def city(db: None) -> Organisation:
    return org_create(
        actor=None,
        code="110000",
        name="北京市人民政府",
        short_name="市政府",
        level=Level.CITY,
        kind=Kind.GOVERNMENT,
    )


def department(city: Organisation, code: str, name: str, short_name: str) -> Organisation:
    return org_create(
        actor=None,
        code=code,
        name=name,
        short_name=short_name,
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
        parent=city,
    )


def snapshot() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        OrganisationName.objects.count(),
        OrganisationAlias.objects.count(),
        AuditEvent.objects.count(),
    )


def test_create_records_the_first_name_aliases_and_an_audit_event(city: Organisation) -> None:
    created = org_create(
        actor=None,
        code="110000-MOCK",
        name="北京市测试管理局",
        short_name="市测试局",
        level=Level.CITY,
        kind=Kind.DIRECT,
        parent=city,
        established_on=date(2019, 3, 1),
        aliases=["市测局"],
    )

    (name,) = created.names.all()
    assert (name.name, name.short_name, name.valid_from, name.valid_to) == (
        "北京市测试管理局",
        "市测试局",
        date(2019, 3, 1),
        None,
    )
    assert [alias.alias for alias in created.aliases.all()] == ["市测局"]
    event = AuditEvent.objects.get(action="orgs.organisation.create", object_id=str(created.pk))
    assert event.changes["aliases"] == [None, ["市测局"]]
    assert event.changes["parent"] == [None, city.pk]
    assert event.changes["established_on"] == [None, "2019-03-01"]
    assert org_resolve("市测局").single() == created


@pytest.mark.parametrize("code", ["110000/FGW", "fgw", "110000--X", ""])
def test_create_refuses_a_bad_code_and_saves_nothing(city: Organisation, code: str) -> None:
    before = snapshot()

    with pytest.raises(ValidationError) as raised:
        department(city, code, "北京市测试局", "市测试局")

    assert "code" in raised.value.message_dict
    assert snapshot() == before


def test_update_changes_and_audits_only_what_differs(city: Organisation) -> None:
    fgw = department(city, "110000-FGW", "北京市发展和改革委员会", "市发展改革委")
    events = AuditEvent.objects.count()

    org_update(
        actor=None, organisation=fgw, parent=city, level=Level.CITY, kind=Kind.DEPARTMENT,
        sort_order=0,
    )  # fmt: skip
    assert AuditEvent.objects.count() == events

    org_update(
        actor=None, organisation=fgw, parent=city, level=Level.CITY, kind=Kind.DIRECT,
        sort_order=5,
    )  # fmt: skip
    event = AuditEvent.objects.latest("seq")
    assert event.action == "orgs.organisation.update"
    assert event.changes == {"kind": ["department", "direct"], "sort_order": [0, 5]}
    fgw.refresh_from_db()
    assert (fgw.kind, fgw.sort_order) == (Kind.DIRECT, 5)


def test_update_refuses_a_parent_below_the_organisation(city: Organisation) -> None:
    fgw = department(city, "110000-FGW", "北京市发展和改革委员会", "市发展改革委")
    before = snapshot()

    with pytest.raises(ValidationError) as raised:
        org_update(
            actor=None, organisation=city, parent=fgw, level=Level.CITY, kind=Kind.GOVERNMENT,
            sort_order=0,
        )  # fmt: skip

    assert raised.value.message_dict["parent"] == ["上级机构不能是本机构或其下级机构。"]
    assert snapshot() == before
    city.refresh_from_db()
    assert city.parent is None


def test_rename_keeps_the_old_name_in_the_history(city: Organisation) -> None:
    hbj = department(city, "110000-STHJJ", "北京市环境保护局", "市环保局")

    org_rename(
        actor=None,
        organisation=hbj,
        name="北京市生态环境局",
        short_name="市生态环境局",
        effective_on=REFORM,
        notice="《北京市机构改革方案》",
    )

    names = [(n.name, n.valid_from, n.valid_to, n.notice) for n in hbj.names.all()]
    assert names == [
        ("北京市环境保护局", None, REFORM, ""),
        ("北京市生态环境局", REFORM, None, "《北京市机构改革方案》"),
    ]
    hbj.refresh_from_db()
    assert (hbj.name, hbj.short_name, hbj.code) == (
        "北京市生态环境局",
        "市生态环境局",
        "110000-STHJJ",
    )
    old = org_resolve("市环保局")
    assert old.single() == hbj
    assert old.match is not None
    assert old.match.valid_to == REFORM
    event = AuditEvent.objects.latest("seq")
    assert event.action == "orgs.organisation.rename"
    assert event.changes == {
        "name": ["北京市环境保护局", "北京市生态环境局"],
        "short_name": ["市环保局", "市生态环境局"],
        "effective_on": [None, "2018-11-24"],
        "notice": [None, "《北京市机构改革方案》"],
    }


def test_a_second_rename_must_come_after_the_first(city: Organisation) -> None:
    hbj = department(city, "110000-STHJJ", "北京市环境保护局", "市环保局")
    org_rename(
        actor=None, organisation=hbj, name="北京市生态环境局", short_name="市生态环境局",
        effective_on=REFORM, notice="方案",
    )  # fmt: skip
    before = snapshot()

    with pytest.raises(OrgError) as raised:
        org_rename(
            actor=None, organisation=hbj, name="北京市生态局", short_name="市生态局",
            effective_on=REFORM, notice="方案",
        )  # fmt: skip

    assert raised.value.code is OrgErrorCode.RENAME_TOO_EARLY
    assert raised.value.message == (
        "更名日期 2018-11-24 应晚于现用名称“北京市生态环境局”的启用日期 2018-11-24。"
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "short_name", "notice", "code"),
    [
        ("北京市环境保护局", "市环保局", "方案", OrgErrorCode.NOTHING_TO_RENAME),
        ("北京市生态环境局", "市生态环境局", "  ", OrgErrorCode.NOTICE_REQUIRED),
    ],
)
def test_rename_refusals_change_nothing(
    city: Organisation, name: str, short_name: str, notice: str, code: OrgErrorCode
) -> None:
    hbj = department(city, "110000-STHJJ", "北京市环境保护局", "市环保局")
    before = snapshot()

    with pytest.raises(OrgError) as raised:
        org_rename(
            actor=None, organisation=hbj, name=name, short_name=short_name, effective_on=REFORM,
            notice=notice,
        )  # fmt: skip

    assert raised.value.code is code
    assert snapshot() == before


def test_rename_of_an_organisation_made_without_the_services(db: None) -> None:
    made = Organisation.objects.create(
        code="T1", name="测试委员会", short_name="测试委", level=Level.CITY, kind=Kind.DEPARTMENT
    )

    org_rename(
        actor=None, organisation=made, name="测试局", short_name="", effective_on=REFORM,
        notice="批复",
    )  # fmt: skip

    assert [(n.name, n.valid_to) for n in made.names.all()] == [
        ("测试委员会", REFORM),
        ("测试局", None),
    ]
    assert org_resolve("测试委").single() == made


def test_merge_keeps_the_sources_inactive_with_their_names(city: Organisation) -> None:
    gsj = department(city, "110000-GSJ", "北京市工商行政管理局", "市工商局")
    zjj = department(city, "110000-ZJJ", "北京市质量技术监督局", "市质监局")
    scj = org_create(
        actor=None, code="110000-SCJGJ", name="北京市市场监督管理局", short_name="市市场监管局",
        level=Level.CITY, kind=Kind.DIRECT, parent=city, established_on=REFORM,
    )  # fmt: skip

    org_merge(actor=None, sources=[gsj, zjj], into=scj, effective_on=REFORM, notice="方案")

    for source in (gsj, zjj):
        source.refresh_from_db()
        assert (source.is_active, source.successor, source.dissolved_on) == (False, scj, REFORM)
        assert source.dissolution_notice == "方案"
        assert [n.valid_to for n in source.names.all()] == [REFORM]
    assert org_resolve("市质监局").single() == scj
    assert org_resolve("北京市工商行政管理局", on=date(2018, 5, 11)).single() == gsj
    event = AuditEvent.objects.latest("seq")
    assert event.action == "orgs.organisation.merge"
    assert event.object_id == str(scj.pk)
    assert event.changes == {
        "sources": [None, ["110000-GSJ", "110000-ZJJ"]],
        "effective_on": [None, "2018-11-24"],
        "notice": [None, "方案"],
    }


@pytest.mark.parametrize(
    ("sources", "into", "code", "message"),
    [
        ([], "110000-SCJGJ", OrgErrorCode.MERGE_NO_SOURCES, "请选择要并入的机构。"),
        (
            ["110000-SCJGJ"],
            "110000-SCJGJ",
            OrgErrorCode.MERGE_INTO_SOURCE,
            "“北京市市场监督管理局”不能并入自身。",
        ),
        (
            ["110000-GSJ"],
            "110000-SCJGJ",
            OrgErrorCode.HAS_ACTIVE_CHILDREN,
            "“北京市工商行政管理局”仍有存续的下级机构（北京市工商局某分局），请先调整其上级机构。",
        ),
    ],
)
def test_merge_refusals_change_nothing(
    city: Organisation, sources: list[str], into: str, code: OrgErrorCode, message: str
) -> None:
    gsj = department(city, "110000-GSJ", "北京市工商行政管理局", "市工商局")
    department(city, "110000-SCJGJ", "北京市市场监督管理局", "市市场监管局")
    sub = department(city, "110000-SUB", "北京市工商局某分局", "某分局")
    org_update(
        actor=None, organisation=sub, parent=gsj, level=Level.CITY, kind=Kind.ADMINISTERED,
        sort_order=0,
    )  # fmt: skip
    by_code = {org.code: org for org in Organisation.objects.all()}
    before = snapshot()

    with pytest.raises(OrgError) as raised:
        org_merge(
            actor=None,
            sources=[by_code[source] for source in sources],
            into=by_code[into],
            effective_on=REFORM,
            notice="方案",
        )

    assert (raised.value.code, raised.value.message) == (code, message)
    assert snapshot() == before
    assert not Organisation.objects.filter(is_active=False).exists()


def test_a_merged_organisation_cannot_change_again(city: Organisation) -> None:
    gsj = department(city, "110000-GSJ", "北京市工商行政管理局", "市工商局")
    scj = department(city, "110000-SCJGJ", "北京市市场监督管理局", "市市场监管局")
    org_merge(actor=None, sources=[gsj], into=scj, effective_on=REFORM, notice="方案")

    with pytest.raises(OrgError) as raised:
        org_merge(actor=None, sources=[scj], into=gsj, effective_on=LATER, notice="方案")
    assert raised.value.code is OrgErrorCode.INACTIVE
    with pytest.raises(OrgError) as raised:
        org_rename(
            actor=None, organisation=gsj, name="新名", short_name="", effective_on=LATER,
            notice="方案",
        )  # fmt: skip
    assert raised.value.code is OrgErrorCode.INACTIVE


def test_aliases_are_added_and_removed_by_their_normal_form(city: Organisation) -> None:
    fgw = department(city, "110000-FGW", "北京市发展和改革委员会", "市发展改革委")

    org_alias_add(actor=None, organisation=fgw, alias="市发改委")
    assert org_resolve("市 发改委").single() == fgw
    with pytest.raises(OrgError) as raised:
        org_alias_add(actor=None, organisation=fgw, alias=" 市发改委 ")
    assert raised.value.code is OrgErrorCode.ALIAS_TAKEN

    org_alias_remove(actor=None, organisation=fgw, alias="市发改委等")
    assert org_resolve("市发改委").outcome is Outcome.UNRESOLVED
    with pytest.raises(OrgError) as raised:
        org_alias_remove(actor=None, organisation=fgw, alias="市发改委")
    assert raised.value.code is OrgErrorCode.ALIAS_NOT_FOUND
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["orgs.organisation.alias_add", "orgs.organisation.alias_remove"]
