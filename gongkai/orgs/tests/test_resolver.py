from collections.abc import Callable
from datetime import date

import pytest

from gongkai.orgs.errors import OrgError, OrgErrorCode
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import MatchKind, Outcome, org_resolve, org_resolve_code_or_name

DISTRICTS = {
    "110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111",
    "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119",
}  # fmt: skip
REFORM = date(2018, 11, 24)
SEED_DATE = date(2018, 5, 11)

Org = Callable[[str], Organisation]


def codes(organisations: tuple[Organisation, ...]) -> set[str]:
    return {org.code for org in organisations}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("北京市发展和改革委员会", MatchKind.NAME),
        ("市发展改革委", MatchKind.SHORT_NAME),
        ("市发改委", MatchKind.ALIAS),
        (" 市 发展改革委 ", MatchKind.SHORT_NAME),
        ("市发展改革委等", MatchKind.SHORT_NAME),
    ],
)
def test_current_names_resolve_to_the_organisation(org: Org, text: str, kind: MatchKind) -> None:
    resolution = org_resolve(text)

    assert resolution.outcome is Outcome.SINGLE
    assert resolution.single() == org("110000-FGW")
    assert resolution.match is not None
    assert resolution.match.kind is kind
    assert resolution.match.valid_to is None
    assert not resolution.is_historical
    assert resolution.text == text


@pytest.mark.parametrize("text", ["市环保局", "北京市环境保护局"])
def test_a_former_name_resolves_to_the_renamed_organisation(org: Org, text: str) -> None:
    resolution = org_resolve(text)

    assert resolution.single() == org("110000-STHJJ")
    assert resolution.single().name == "北京市生态环境局"
    assert resolution.is_historical
    assert resolution.match is not None
    assert resolution.match.text == text
    assert resolution.match.organisation == org("110000-STHJJ")
    assert (resolution.match.valid_from, resolution.match.valid_to) == (None, REFORM)


def test_a_merged_organisation_resolves_to_its_successor(org: Org) -> None:
    resolution = org_resolve("市工商局")

    assert resolution.single() == org("110000-SCJGJ")
    assert resolution.is_historical
    assert resolution.match is not None
    assert resolution.match.organisation == org("110000-GSJ")
    assert resolution.match.valid_to == REFORM


def test_on_a_date_before_the_merge_the_merged_organisation_itself(org: Org) -> None:
    assert org_resolve("市工商局", on=SEED_DATE).single() == org("110000-GSJ")
    assert org_resolve("市工商局", on=REFORM).single() == org("110000-SCJGJ")


def test_the_tax_merge_of_june_2018(org: Org) -> None:
    assert org_resolve("市地税局", on=SEED_DATE).single() == org("110000-DSWJ")
    assert org_resolve("市地税局", on=date(2018, 6, 15)).single() == org("110000-SWZJ")
    assert org_resolve("市国税局").single() == org("110000-SWZJ")


def test_a_new_name_before_it_was_used_still_finds_the_organisation(org: Org) -> None:
    assert org_resolve("市生态环境局", on=SEED_DATE).single() == org("110000-STHJJ")


def test_merged_into_a_renamed_body(org: Org) -> None:
    resolution = org_resolve("中关村管委会")

    assert resolution.single() == org("110000-KW")
    assert resolution.single().short_name == "市科委、中关村管委会"


@pytest.mark.parametrize("text", ["各区政府", "各区人民政府", " 各区政府等 "])
def test_collective_district_governments(beijing: None, text: str) -> None:
    resolution = org_resolve(text)

    assert resolution.outcome is Outcome.COLLECTIVE
    assert [org.code for org in resolution.organisations] == sorted(DISTRICTS)
    assert resolution.collective is not None
    assert resolution.collective.name == "各区政府"
    assert resolution.organisation is None


def test_related_district_governments_need_a_choice(beijing: None) -> None:
    resolution = org_resolve("相关区政府")

    assert resolution.outcome is Outcome.NEEDS_CHOICE
    assert resolution.needs_choice
    assert codes(resolution.organisations) == DISTRICTS


def test_the_pilot_districts(beijing: None) -> None:
    resolution = org_resolve("各试点区政府")

    assert resolution.outcome is Outcome.COLLECTIVE
    assert codes(resolution.organisations) == {"110101", "110102", "110105", "110108", "110114"}


def test_all_city_departments(beijing: None) -> None:
    members = codes(org_resolve("市政府各部门").organisations)

    assert {"110000-BGT", "110000-FGW", "110000-SCJGJ", "110000-YJJ", "110000-XWB"} <= members
    excluded = {"110000", "110000-BB", "110000-WXB", "110000-SWZJ", "110000-GSJ", "110000-JKQ"}
    assert not members & (excluded | DISTRICTS)


def test_city_departments_on_the_seed_date(beijing: None) -> None:
    members = codes(org_resolve("市政府各部门", on=SEED_DATE).organisations)

    assert {"110000-GSJ", "110000-ZGC", "110000-FGW"} <= members
    assert not members & {"110000-SCJGJ", "110000-WHLYJ", "110000-YBJ"}


def test_related_city_departments_need_a_choice(beijing: None) -> None:
    related = org_resolve("市政府相关部门")

    assert related.outcome is Outcome.NEEDS_CHOICE
    assert codes(related.organisations) == codes(org_resolve("市政府各部门").organisations)


def test_district_collectives_are_taken_in_the_context_government(org: Org) -> None:
    departments = org_resolve("区政府各部门", context_org=org("110101001"))
    streets = org_resolve("各街道（乡镇）", context_org=org("110101-FGW"))

    found = codes(departments.organisations)
    assert {"110101-BGS", "110101-FGW", "110101-JW", "110101-CZJ", "110101-CGW"} <= found
    assert all(code.startswith("110101-") for code in found)
    assert codes(streets.organisations) == {f"110101{n:03d}" for n in range(1, 18)}


def test_district_collectives_without_context_span_the_city(beijing: None) -> None:
    departments = codes(org_resolve("区政府各部门").organisations)

    assert {"110101-FGW", "110108-FGW", "110112-FGW"} <= departments
    assert all(code[:6] in DISTRICTS for code in departments)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("区政府", "110101001", "110101"),
        ("区政府", "110101", "110101"),
        ("区发展改革委", "110112001", "110112-FGW"),
        ("区政府办", "110108-CZJ", "110108-BGS"),
        ("八里庄街道", "110108", "110108005"),
        ("八里庄街道", "110105001", "110105015"),
    ],
)
def test_relative_names_resolve_near_the_context(
    org: Org, text: str, context: str, expected: str
) -> None:
    assert org_resolve(text, context_org=org(context)).single() == org(expected)


def test_relative_names_without_context_need_a_choice(org: Org) -> None:
    district = org_resolve("区政府")
    street = org_resolve("八里庄街道")
    city_context = org_resolve("区政府", context_org=org("110000-FGW"))

    assert district.outcome is Outcome.NEEDS_CHOICE
    assert codes(district.organisations) == DISTRICTS
    assert codes(street.organisations) == {"110105015", "110108005"}
    assert codes(city_context.organisations) == DISTRICTS


@pytest.mark.parametrize("text", [" 市火星局 ", "、", "", "Bureau of Mars"])
def test_unknown_names_are_kept_as_written(beijing: None, text: str) -> None:
    resolution = org_resolve(text)

    assert resolution.outcome is Outcome.UNRESOLVED
    assert resolution.text == text
    assert resolution.organisations == ()
    assert resolution.match is None
    with pytest.raises(OrgError) as raised:
        resolution.single()
    assert raised.value.code is OrgErrorCode.NOT_SINGLE
    assert "未能识别" in raised.value.message


def test_the_resolution_as_json_data(org: Org) -> None:
    assert org_resolve("市环保局").as_dict() == {
        "text": "市环保局",
        "outcome": "single",
        "organisations": [
            {
                "code": "110000-STHJJ",
                "name": "北京市生态环境局",
                "short_name": "市生态环境局",
                "is_active": True,
            }
        ],
        "match": {
            "organisation": {
                "code": "110000-STHJJ",
                "name": "北京市生态环境局",
                "short_name": "市生态环境局",
                "is_active": True,
            },
            "text": "市环保局",
            "kind": "short_name",
            "valid_from": None,
            "valid_to": "2018-11-24",
        },
        "historical": True,
        "collective": None,
    }


def test_a_code_or_a_name(org: Org) -> None:
    by_code = org_resolve_code_or_name("110101-FGW")
    by_name = org_resolve_code_or_name("区发展改革委", context_org=org("110101"))

    assert by_code.single() == org("110101-FGW")
    assert by_name.single() == org("110101-FGW")
    assert org_resolve_code_or_name("110199-NONE").outcome is Outcome.UNRESOLVED
