from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries

from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.orgs.selectors import (
    org_detail,
    org_government,
    org_inactive,
    org_jurisdiction_ids,
    org_search,
    org_subtree_ids,
    org_tree,
)

Org = Callable[[str], Organisation]
# 东城区's government, its departments in the reference data's order, and its 17 streets.
DONGCHENG_DEPARTMENTS = [
    "110101-BGS", "110101-FGW", "110101-JW", "110101-CZJ", "110101-JTW", "110101-RSJ",
    "110101-ZJW", "110101-CGW", "110101-CGZFJ", "110101-MZJ", "110101-SWJ", "110101-YLLHJ",
    "110101-TYJ", "110101-SCJGJ", "110101-WJW", "110101-YBJ", "110101-YJGLJ", "110101-STHJJ",
    "110101-TYJRSWJ", "110101-WHLYJ", "110101-ZWFWJ",
]  # fmt: skip
DONGCHENG_STREETS = [f"110101{n:03d}" for n in range(1, 18)]
DONGCHENG = {"110101", *DONGCHENG_DEPARTMENTS, *DONGCHENG_STREETS}


def codes(ids: set[int]) -> set[str]:
    return set(Organisation.objects.filter(pk__in=ids).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("code", "government"),
    [
        ("110000", "110000"),
        ("110000-FGW", "110000"),
        ("110000-YJJ", "110000"),  # 部门管理机构 under 市市场监管局
        ("110000-BB", "110000"),
        ("110101", "110101"),
        ("110101-FGW", "110101"),
        ("110101001", "110101001"),  # a 街道办事处 is its own jurisdiction
        ("110112119", "110112119"),  # so is a 镇人民政府
        ("110000-JKQ", "110000-JKQ"),
    ],
)
def test_the_government_of_an_organisation(org: Org, code: str, government: str) -> None:
    assert org_government(org(code)) == org(government)


def test_an_organisation_without_a_government_above_is_its_own(db: None) -> None:
    loose = Organisation.objects.create(
        code="T1", name="测试局", level=Level.CITY, kind=Kind.DEPARTMENT
    )

    assert org_government(loose) == loose


def test_subtree_one_query_per_level(
    org: Org, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    dongcheng = org("110101")

    with django_assert_num_queries(2):  # the district's children, then theirs (none)
        ids = org_subtree_ids(dongcheng)

    assert codes(ids) == DONGCHENG


def test_the_whole_tree_is_the_city_subtree(org: Org) -> None:
    assert org_subtree_ids(org("110000")) == set(Organisation.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("110101-FGW", DONGCHENG),
        ("110101", DONGCHENG),
        ("110101001", {"110101001"}),
    ],
)
def test_jurisdictions(org: Org, code: str, expected: set[str]) -> None:
    assert codes(org_jurisdiction_ids(org(code))) == expected


def test_a_city_department_has_the_city_as_jurisdiction(org: Org) -> None:
    assert org_jurisdiction_ids(org("110000-FGW")) == org_subtree_ids(org("110000"))


def test_the_tree_in_one_query(
    beijing: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        (root,) = org_tree()

    assert root.organisation.code == "110000"
    children = [node.organisation.code for node in root.children]
    assert children[0] == "110000-BGT"
    assert "110000-GSJ" not in children
    dongcheng = next(node for node in root.children if node.organisation.code == "110101")
    assert [node.organisation.code for node in dongcheng.children] == [
        *DONGCHENG_DEPARTMENTS,
        *DONGCHENG_STREETS,
    ]


def test_the_tree_with_inactive_organisations(beijing: None) -> None:
    (root,) = org_tree(include_inactive=True)

    assert "110000-GSJ" in [node.organisation.code for node in root.children]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("环保", ["110000-STHJJ"]),  # a former name
        # the city first, then by position among their siblings
        (
            "市场监管",
            [
                "110000-SCJGJ",
                "110102-SCJGJ",
                "110105-SCJGJ",
                "110101-SCJGJ",
                "110108-SCJGJ",
                "110112-SCJGJ",
            ],
        ),
        ("工商", ["110000-GSJ"]),
        ("110101-fgw", ["110101-FGW"]),
        ("发改委", ["110000-FGW", "110101-FGW", "110108-FGW", "110112-FGW"]),
        ("  ", []),
        ("火星", []),
    ],
)
def test_search(beijing: None, query: str, expected: list[str]) -> None:
    assert [org.code for org in org_search(query)] == expected


def test_search_lists_active_organisations_first(beijing: None) -> None:
    found = [org.code for org in org_search("文化")]

    assert found[:2] == ["110000-WHLYJ", "110000-WZB"]
    assert {code[:6] for code in found[2:-1]} == {"110101", "110102", "110105", "110108", "110112"}
    assert found[-1] == "110000-WHJ"  # merged into 110000-WHLYJ in 2018


def test_inactive_organisations_with_their_successors(beijing: None) -> None:
    inactive = org_inactive()

    assert [org.dissolved_on.isoformat() for org in inactive if org.dissolved_on][-2:] == [
        "2018-06-15",
        "2018-06-15",
    ]
    assert {org.successor.code for org in inactive if org.successor} == {
        "110000-SWZJ", "110000-KW", "110000-NYNCJ", "110000-SCJGJ", "110000-WHLYJ",
        "110000-SFJ", "110000-MZJ", "110000-ZWFWJ",
    }  # fmt: skip


def test_detail_has_history_merges_and_children(beijing: None) -> None:
    scj = org_detail("110000-SCJGJ")

    assert scj is not None
    assert [org.code for org in scj.merged_from] == ["110000-GSJ", "110000-ZJJ", "110000-SYJJ"]
    assert [org.code for org in scj.active_children] == ["110000-YJJ", "110000-ZSCQJ"]
    assert org_detail("NOPE") is None
