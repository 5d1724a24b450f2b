"""按责转办: where the dispatch catalogue (``data/dispatch.yaml``) sends an order.

The catalogue has a rule per category (a leaf uses its own, else its nearest ancestor's) and
keyword rules applied in the file's order of precedence: an emergency is transferred to
110/119/120/122 instead of being dispatched; words may raise the urgency; words may send an
order of some categories elsewhere. A rule's target is resolved against the order's place:

* ``street`` (属地): the order's street or township, else its district government (条例 art. 12);
* ``district``: the district's department of that name (``org_resolve`` within the district),
  else the municipal counterpart ``city``;
* ``city``: the municipal body named.

The schema is documented at the top of the YAML file. The dispatcher sees the result as a
suggestion with its reason and confirms or changes it.

Next to it the dispatcher sees the learned suggestion (``suggest``, trained by ``gongkai
hotline train`` on the dispatches the lead organisations accepted) with its confidence. It
learns where orders went in the catalogue's terms where the place decides (``target_key``:
``street``, 区城市管理委 …), so that what it learned about one street or district applies to
every other; its answers are resolved against the new order's place as the catalogue's are.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_resolve
from gongkai.search.text import normalise

from . import suggest
from .models import Urgency, WorkOrder

CATALOGUE = Path(__file__).resolve().parent / "data" / "dispatch.yaml"
_URGENCY_RANK = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.EMERGENCY: 2}


@dataclass(frozen=True)
class Route:
    """The catalogue's answer for an order."""

    organisation: Organisation | None
    """Where to dispatch; None when the order is to be transferred or no rule applies."""
    reason: str
    transfer: str = ""
    """The emergency line the call belongs to ("110", "119", "120", "122"), if any."""
    urgency: str = ""
    """A higher urgency the words of the request call for, if any."""
    confidence: float | None = None
    """For a learned suggestion: the model's probability (0–1)."""


@cache
def _catalogue() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {str(rule["category"]): rule for rule in data["rules"]}, data["keywords"]


class Names:
    """The organisations the catalogue's and the model's names mean, each name looked up once
    per district: make one per page (a queue asks the same few names for many orders)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int | None], Organisation | None] = {}

    def resolve(self, name: str, context: Organisation | None = None) -> Organisation | None:
        """``org_resolve``'s single organisation for ``name`` near ``context``, if any."""
        key = (name, context.pk if context is not None else None)
        if key not in self._known:
            self._known[key] = org_resolve(name, context_org=context).organisation
        return self._known[key]

    def coded(self, code: str) -> Organisation | None:
        """The active organisation of that code."""
        key = (f"code:{code}", None)
        if key not in self._known:
            self._known[key] = Organisation.objects.filter(code=code, is_active=True).first()
        return self._known[key]


def _matches(rule: dict[str, Any], text: str) -> bool:
    return any(normalise(word) in text for word in rule["words"])


def route(order: WorkOrder, names: Names | None = None) -> Route:
    """Where the catalogue sends ``order`` (by its category, place and words)."""
    rules, keywords = _catalogue()
    text = normalise(f"{order.title} {order.content}")
    for rule in keywords:
        if "transfer" in rule and _matches(rule, text):
            return Route(
                None, _("紧急情况，转%(line)s") % {"line": rule["transfer"]}, rule["transfer"]
            )
    raised = ""
    for rule in keywords:
        current = _URGENCY_RANK[Urgency(raised or order.urgency)]
        higher = "urgency" in rule and _URGENCY_RANK[Urgency(rule["urgency"])] > current
        if higher and _matches(rule, text):
            raised = rule["urgency"]
    code = order.category.code if order.category else ""
    target = next(
        (
            rule
            for rule in keywords
            if "within" in rule
            and any(code.startswith(c) for c in rule["within"])
            and _matches(rule, text)
        ),
        None,
    )
    prefix = _("关键词：") if target is not None else ""
    if target is None:
        target = next((rules[code[:n]] for n in range(len(code), 0, -2) if code[:n] in rules), None)
    if target is None and order.category is not None and order.category.local:
        target = {"level": "street"}  # a category added after the catalogue: its own flag
    if target is None:
        return Route(None, _("派单目录中没有该类别"), urgency=raised)
    organisation, where = _resolve(target, order, names or Names())
    return Route(organisation, prefix + where, urgency=raised)


def _resolve(
    rule: dict[str, Any], order: WorkOrder, names: Names
) -> tuple[Organisation | None, str]:
    if rule["level"] == "street":
        if order.street is not None:
            return order.street, _("属地事项")
        return order.district, _("属地事项，街道不明，由区政府组织办理")
    if rule["level"] == "district":
        found = _in_district(rule["org"], order.district, names)
        if found is not None:
            return found, _("区级部门职责")
    return names.resolve(rule.get("city") or rule["org"]), _("市级部门职责")


def _in_district(name: str, district: Organisation | None, names: Names) -> Organisation | None:
    """The district government itself (区政府) or its department called ``name`` (a name
    relative to a district: 区城市管理委), if the directory has it."""
    if district is None:
        return None
    found = names.resolve(name, district)
    if found is not None and district.pk in (found.pk, found.parent_id):
        return found
    return None


# ---- The learned suggestion (``suggest``), in the catalogue's terms -------------------------

STREET = "street"
"""The target key of a 属地 dispatch: the order's own street or township."""
LEARNED_FLOOR = 0.05
"""Learned suggestions less likely than this are not shown: noise to a dispatcher."""


def target_key(order: WorkOrder) -> str:
    """Where ``order`` was dispatched (its lead), as the learned suggestion learns it: in the
    catalogue's terms where the place decides — ``street`` for the order's own street or
    township, the district government or one of its departments by a name relative to the
    district (区政府, 区城市管理委) — else the lead's code."""
    lead, district = order.lead, order.district
    if lead is None:
        return ""
    if lead.pk == order.street_id:
        return STREET
    if district is not None and district.pk in (lead.pk, lead.parent_id):
        prefix = district.short_name.removesuffix("政府")  # 东城区政府 → 东城区
        name = district.short_name if lead.pk == district.pk else lead.short_name
        if prefix and name.startswith(prefix):
            return "区" + name.removeprefix(prefix)  # 东城区城市管理委 → 区城市管理委
    return lead.code


@cache
def _counterparts() -> dict[str, str]:
    """The catalogue's municipal counterpart of each district department it names."""
    rules, keywords = _catalogue()
    return {
        rule["org"]: rule["city"]
        for rule in (*rules.values(), *keywords)
        if rule.get("level") == "district" and "city" in rule
    }


def _place(key: str, order: WorkOrder, names: Names) -> Organisation | None:
    """The organisation a learned target key means for ``order``: a district name in the
    order's district (else the catalogue's municipal counterpart), or the organisation of
    that code."""
    if key == STREET:
        return _resolve({"level": "street"}, order, names)[0]
    if key.startswith("区"):
        city = _counterparts().get(key)
        return _in_district(key, order.district, names) or (names.resolve(city) if city else None)
    return names.coded(key)


def learned(order: WorkOrder, *, k: int = 3, names: Names | None = None) -> list[Route]:
    """The trained suggestion's likeliest organisations for ``order``, most confident first
    (none without a trained model, see ``suggest.current``)."""
    model = suggest.current()
    if model is None:
        return []
    names = names or Names()
    routes: list[Route] = []
    for found in model.suggest(f"{order.title} {order.content}", k=k):
        if found.confidence < LEARNED_FLOOR:
            break  # most confident first: the rest are less likely still
        organisation = _place(found.target, order, names)
        if organisation is not None and all(r.organisation != organisation for r in routes):
            routes.append(Route(organisation, _("按历史派单学习"), confidence=found.confidence))
    return routes
