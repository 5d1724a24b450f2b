"""Every organisation named in the seed's "(…负责落实)" brackets resolves."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from gongkai.orgs.selectors import Outcome, org_resolve

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_5ed541572c8b026e.txt"
SEED_DATE = date(2018, 5, 11)  # the day 市政府办公厅 issued the document

BRACKET = re.compile(r"[(（]([^()（）]*落实)[)）]")
SEPARATOR = re.compile(r"[、,，]")
VERB = re.compile(r"(分别)?(牵头|负责)(落实)?$")
COLLECTIVE = {"各区政府", "市政府各部门", "各试点区政府"}
CHOICE = {"相关区政府", "市政府相关部门"}


def seed_names() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"the seed document is not at {SEED}")
    names = []
    for bracket in BRACKET.findall(SEED.read_text(encoding="utf-8")):
        for item in SEPARATOR.split(bracket):
            name = VERB.sub("", item.strip()).removesuffix("等相关部门")
            if name and name not in names:
                names.append(name)
    return names


def test_the_seed_names_are_all_found() -> None:
    names = seed_names()

    assert len(names) >= 50
    assert {"市规划国土委", "通州区政府", "北京经济技术开发区管委会", "市信访办"} <= set(names)
    assert "市政务服务办等" in names  # "…等分别负责落实": the resolver copes with the "等"


def test_every_seed_name_resolves(beijing: None) -> None:
    unresolved, wrong = [], []
    for name in seed_names():
        resolution = org_resolve(name)
        expected = (
            Outcome.COLLECTIVE
            if name in COLLECTIVE
            else Outcome.NEEDS_CHOICE
            if name in CHOICE
            else Outcome.SINGLE
        )
        if resolution.outcome is Outcome.UNRESOLVED:
            unresolved.append(name)
        elif resolution.outcome is not expected:
            wrong.append((name, resolution.outcome))
    assert unresolved == []
    assert wrong == []


def test_seed_names_on_the_seed_date_are_the_organisations_of_that_day(beijing: None) -> None:
    for name in seed_names():
        for org in org_resolve(name, on=SEED_DATE).organisations:
            assert org.established_on is None or org.established_on <= SEED_DATE, (name, org)
            assert org.dissolved_on is None or org.dissolved_on > SEED_DATE, (name, org)
