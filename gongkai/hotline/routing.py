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


@cache
def _catalogue() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {str(rule["category"]): rule for rule in data["rules"]}, data["keywords"]


def _matches(rule: dict[str, Any], text: str) -> bool:
    return any(normalise(word) in text for word in rule["words"])


def route(order: WorkOrder) -> Route:
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
    organisation, where = _resolve(target, order)
    return Route(organisation, prefix + where, urgency=raised)


def _resolve(rule: dict[str, Any], order: WorkOrder) -> tuple[Organisation | None, str]:
    if rule["level"] == "street":
        if order.street is not None:
            return order.street, _("属地事项")
        return order.district, _("属地事项，街道不明，由区政府组织办理")
    if rule["level"] == "district" and order.district is not None:
        found = org_resolve(rule["org"], context_org=order.district).organisation
        if found is not None and found.parent_id == order.district.pk:
            return found, _("区级部门职责")
    name = rule.get("city") or rule["org"]
    return org_resolve(name).organisation, _("市级部门职责")
