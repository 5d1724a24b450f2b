"""The hotline's reference data: the category tree, the dispatch catalogue and the sample
requests load and agree with each other and with the organisation directory."""

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gongkai.core.privacy import scan
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Outcome, org_government, org_resolve

DATA = Path(__file__).resolve().parents[1] / "data"
DISTRICTS = {
    "东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区",
    "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区",
}  # fmt: skip
TOP_LEVEL = {
    "市容环境", "住房", "交通", "供暖", "物业", "劳动社保", "市场监管", "教育", "医疗卫生",
    "城乡建设", "公共安全", "水电气热", "环境保护", "民政", "文化旅游", "政务服务", "农业农村",
    "其他",
}  # fmt: skip
URGENCY = ("normal", "urgent", "emergency")
TYPES = {"consult", "help", "complaint", "report", "suggestion", "praise"}
LEVELS = {"street", "district", "city"}
TRANSFER_LINES = {"110", "119", "120", "122"}


@cache
def load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def nodes(items: list[dict[str, Any]], parent: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every node of the tree with its parent's code, depth first."""
    for node in items:
        yield parent, node
        yield from nodes(node.get("children", []), node["code"])


def leaves() -> dict[str, dict[str, Any]]:
    return {
        node["code"]: node
        for _parent, node in nodes(load("categories.yaml")["categories"])
        if "children" not in node
    }


def rule_for(code: str) -> dict[str, Any] | None:
    """The catalogue rule of a leaf: its own, else its nearest ancestor's."""
    rules = {rule["category"]: rule for rule in load("dispatch.yaml")["rules"]}
    prefixes = (code[:end] for end in range(len(code), 0, -2))
    return next((rules[prefix] for prefix in prefixes if prefix in rules), None)


def expected_urgency(request: dict[str, Any]) -> str:
    default = leaves()[request["category"]]["urgency"]
    found = [default if request["type"] in {"complaint", "help", "report"} else "normal"]
    for rule in load("dispatch.yaml")["keywords"]:
        if "urgency" in rule and any(word in request["text"] for word in rule["words"]):
            found.append(rule["urgency"])
    return max(found, key=URGENCY.index)


def test_the_category_tree_has_stable_nested_codes() -> None:
    tree = load("categories.yaml")["categories"]
    everything = list(nodes(tree))
    codes = [node["code"] for _parent, node in everything]

    assert len(codes) == len(set(codes))
    assert {node["name"] for node in tree} == TOP_LEVEL
    for parent, node in everything:
        assert re.fullmatch(r"(\d\d){1,3}", node["code"]), node
        assert node["code"][: len(parent)] == parent, node
        assert len(node["code"]) == len(parent) + 2, node
        assert node["name"], node
        assert node["name"].strip() == node["name"], node
    assert 80 <= len(leaves()) <= 120
    assert max(len(code) for code in codes) == 6  # some branches have three levels


def test_every_leaf_says_who_handles_it_how_urgent_and_how_complex() -> None:
    for code, leaf in leaves().items():
        assert set(leaf) == {"code", "name", "local", "urgency", "complex"}, code
        assert isinstance(leaf["local"], bool), code
        assert isinstance(leaf["complex"], bool), code
        assert leaf["urgency"] in URGENCY, code
    by_name = {leaf["name"]: leaf for leaf in leaves().values()}
    assert by_name["占道经营"]["local"]
    assert by_name["噪音扰民"]["local"]
    assert not by_name["社保缴费与转移"]["local"]
    assert by_name["停水"]["urgency"] == "urgent"
    assert by_name["燃气安全"]["urgency"] == "emergency"


def test_every_leaf_has_a_dispatch_rule_of_its_kind() -> None:
    rules = load("dispatch.yaml")["rules"]
    all_codes = {node["code"] for _parent, node in nodes(load("categories.yaml")["categories"])}
    categories = [rule["category"] for rule in rules]

    assert len(categories) == len(set(categories))
    assert set(categories) <= all_codes
    for code, leaf in leaves().items():
        rule = rule_for(code)
        assert rule is not None, code
        assert rule["level"] in LEVELS, rule
        if leaf["local"]:
            assert rule == {"category": rule["category"], "level": "street"}, code
        elif rule["level"] == "district":
            assert set(rule) == {"category", "level", "org", "city"}, rule
            assert rule["org"].startswith("区"), rule
            assert rule["city"].startswith("市"), rule
        else:
            assert rule["level"] == "city", code
            assert set(rule) == {"category", "level", "org"}, rule


def test_keyword_rules_have_one_action_each() -> None:
    all_codes = {node["code"] for _parent, node in nodes(load("categories.yaml")["categories"])}
    for rule in load("dispatch.yaml")["keywords"]:
        assert rule["words"], rule
        for word in rule["words"]:
            assert isinstance(word, str), rule
            assert word, rule
            assert word.strip() == word, rule
        actions = {"transfer", "urgency", "level"} & set(rule)
        assert len(actions) == 1, rule
        if "transfer" in rule:
            assert set(rule) == {"words", "transfer"}, rule
            assert rule["transfer"] in TRANSFER_LINES, rule
        elif "urgency" in rule:
            assert set(rule) == {"words", "urgency"}, rule
            assert rule["urgency"] in URGENCY[1:], rule
        else:
            assert set(rule) <= {"words", "within", "level", "org", "city"}, rule
            assert rule["within"], rule
            assert set(rule["within"]) <= all_codes, rule
            assert rule["level"] in {"district", "city"}, rule
            assert rule["org"], rule
            assert rule["level"] == "city" or rule["city"].startswith("市"), rule


def test_the_sample_requests_are_varied_and_consistent() -> None:
    requests = load("requests.yaml")["requests"]
    texts = [request["text"] for request in requests]
    per_category = Counter(request["category"] for request in requests)

    assert len(requests) >= 600
    assert len(set(texts)) == len(texts)
    assert set(per_category) == set(leaves())
    assert min(per_category.values()) >= 5
    assert {request["type"] for request in requests} == TYPES
    assert {request["district"] for request in requests} == DISTRICTS
    for request in requests:
        assert set(request) == {"text", "category", "type", "urgency", "district"}, request
        assert 20 <= len(request["text"]) <= 150, request
        assert request["urgency"] == expected_urgency(request), request


def test_no_sample_request_is_an_emergency_for_another_line_or_holds_personal_data() -> None:
    transfer_words = [
        word for rule in load("dispatch.yaml")["keywords"] if "transfer" in rule
        for word in rule["words"]
    ]  # fmt: skip
    for request in load("requests.yaml")["requests"]:
        text = request["text"]
        assert not [word for word in transfer_words if word in text], text
        assert scan(text) == [], text


def test_every_organisation_named_by_the_catalogue_resolves(beijing: None) -> None:
    dispatch = load("dispatch.yaml")
    targets = [
        *dispatch["rules"],
        *(rule for rule in dispatch["keywords"] if "level" in rule),
    ]
    dongcheng = Organisation.objects.get(code="110101")
    resolved_in_dongcheng = {}
    for target in targets:
        if target["level"] == "street":
            continue
        city_name = target["org"] if target["level"] == "city" else target["city"]
        resolution = org_resolve(city_name)
        assert resolution.outcome is Outcome.SINGLE, city_name
        assert resolution.single().is_active, city_name
        assert resolution.single().level == "city", city_name
        if target["level"] == "district":
            # A district's department resolves within that district; where the district has no
            # such body (东城区 has no 农业农村局), the name is not one of its organisations and
            # the catalogue falls back to the municipal counterpart.
            relative = org_resolve(target["org"], context_org=dongcheng)
            if relative.outcome is Outcome.SINGLE:
                assert org_government(relative.single()) == dongcheng, target
                resolved_in_dongcheng[target["org"]] = relative.single().code
            else:
                assert dongcheng not in map(org_government, relative.organisations), target

    assert resolved_in_dongcheng == {
        "区教委": "110101-JW",
        "区发展改革委": "110101-FGW",
        "区政府": "110101",
        "区交通委": "110101-JTW",
        "区人力资源社会保障局": "110101-RSJ",
        "区住房城乡建设委": "110101-ZJW",
        "区城市管理委": "110101-CGW",
        "区城管执法局": "110101-CGZFJ",
        "区民政局": "110101-MZJ",
        "区水务局": "110101-SWJ",
        "区园林绿化局": "110101-YLLHJ",
        "区体育局": "110101-TYJ",
        "区市场监管局": "110101-SCJGJ",
        "区卫生健康委": "110101-WJW",
        "区医保局": "110101-YBJ",
        "区应急局": "110101-YJGLJ",
        "区生态环境局": "110101-STHJJ",
        "区退役军人局": "110101-TYJRSWJ",
        "区文化和旅游局": "110101-WHLYJ",
        "区政务服务局": "110101-ZWFWJ",
    }
