"""Reads of the organisation tree: name resolution, jurisdictions, the directory and search."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import OrgError, OrgErrorCode
from .models import Organisation, OrganisationAlias, OrganisationName
from .names import normalise_name
from .reference import CollectiveSpec, reference_data


class Outcome(StrEnum):
    SINGLE = "single"  # one organisation
    COLLECTIVE = "collective"  # a collective reference: all of ``organisations``
    NEEDS_CHOICE = "needs_choice"  # staff must choose among ``organisations``
    UNRESOLVED = "unresolved"  # unknown: keep ``text`` as written

    @property
    def label(self) -> str:
        return str(_OUTCOME_LABELS[self])


_OUTCOME_LABELS = {
    Outcome.SINGLE: _("唯一机构"),
    Outcome.COLLECTIVE: _("集合称谓"),
    Outcome.NEEDS_CHOICE: _("需人工选择"),
    Outcome.UNRESOLVED: _("未能识别"),
}


class MatchKind(StrEnum):
    NAME = "name"
    SHORT_NAME = "short_name"
    ALIAS = "alias"


@dataclass(frozen=True)
class NameMatch:
    """The stored name that matched: whose it is and when it was in use ([from, to))."""

    organisation: Organisation  # may be a predecessor of the resolved organisation
    text: str
    kind: MatchKind
    valid_from: date | None = None  # None: before our records
    valid_to: date | None = None  # None: still in use (aliases are always in use)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "organisation": _org_dict(self.organisation),
            "text": self.text,
            "kind": self.kind.value,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass(frozen=True)
class Resolution:
    """What a name written in a document refers to."""

    text: str  # as written
    outcome: Outcome
    organisations: tuple[Organisation, ...] = ()  # the one, the members or the candidates
    match: NameMatch | None = None  # for SINGLE: the name that matched
    collective: CollectiveSpec | None = None  # for a collective reference

    @property
    def organisation(self) -> Organisation | None:
        return self.organisations[0] if self.outcome is Outcome.SINGLE else None

    @property
    def needs_choice(self) -> bool:
        return self.outcome is Outcome.NEEDS_CHOICE

    @property
    def is_historical(self) -> bool:
        """The text is a former name, or the name of an organisation since merged away."""
        return self.match is not None and (
            self.match.valid_to is not None or self.match.organisation != self.organisation
        )

    def single(self) -> Organisation:
        """The one organisation; raises ``OrgError`` for any other outcome."""
        if self.organisation is None:
            raise OrgError(OrgErrorCode.NOT_SINGLE, text=self.text, outcome=self.outcome.label)
        return self.organisation

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "outcome": self.outcome.value,
            "organisations": [_org_dict(org) for org in self.organisations],
            "match": self.match.as_dict() if self.match else None,
            "historical": self.is_historical,
            "collective": self.collective.name if self.collective else None,
        }


def _org_dict(org: Organisation) -> dict[str, object]:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "is_active": org.is_active,
    }


def org_resolve(
    name: str, *, on: date | None = None, context_org: Organisation | None = None
) -> Resolution:
    """Resolve a full name, short name, alias, former name or collective reference.

    ``on`` is the date of the document (default: today): names in use that day are preferred,
    and an organisation merged away after that day is returned itself rather than its
    successor. ``context_org`` is the organisation whose document it is: among several
    organisations with the same name (区政府, 八里庄街道) the ones nearest to it win, and
    collective references such as 区政府各部门 are taken within its government.
    """
    key = normalise_name(name)
    if not key:
        return Resolution(text=name, outcome=Outcome.UNRESOLVED)
    for collective in reference_data().collectives:
        if key in collective.keys:
            outcome = Outcome.NEEDS_CHOICE if collective.needs_choice else Outcome.COLLECTIVE
            members = _collective_members(collective, on=on, context_org=context_org)
            return Resolution(name, outcome, members, collective=collective)
    day = on or timezone.localdate()
    matches = _name_matches(key)
    matches = [match for match in matches if match.valid_on(day)] or matches
    found: dict[int, tuple[Organisation, NameMatch]] = {}
    for match in matches:
        result = _successor_on(match.organisation, day)
        found.setdefault(result.pk, (result, match))
    candidates = [org for org, _match in found.values()]
    if len(candidates) > 1 and context_org is not None:
        candidates = _nearest(candidates, context_org)
    if not candidates:
        return Resolution(name, Outcome.UNRESOLVED)
    if len(candidates) == 1:
        return Resolution(name, Outcome.SINGLE, (candidates[0],), found[candidates[0].pk][1])
    return Resolution(name, Outcome.NEEDS_CHOICE, _in_tree_order(candidates))


def org_resolve_code_or_name(
    text: str, *, on: date | None = None, context_org: Organisation | None = None
) -> Resolution:
    """An organisation by its code (110101-FGW) if ``text`` is one, else ``org_resolve``'s
    reading of the name — how imported records name organisations."""
    by_code = Organisation.objects.filter(code=text).first()
    if by_code is not None:
        return Resolution(text=text, outcome=Outcome.SINGLE, organisations=(by_code,))
    return org_resolve(text, on=on, context_org=context_org)


def _name_matches(key: str) -> list[NameMatch]:
    """Every stored name equal to ``key``: current names first, then full, short, alias."""
    matches = []
    for row in OrganisationName.objects.filter(Q(name_key=key) | Q(short_key=key)).select_related(
        "organisation"
    ):
        kind, text = (
            (MatchKind.NAME, row.name)
            if row.name_key == key
            else (MatchKind.SHORT_NAME, row.short_name)
        )
        matches.append(NameMatch(row.organisation, text, kind, row.valid_from, row.valid_to))
    for alias in OrganisationAlias.objects.filter(key=key).select_related("organisation"):
        matches.append(NameMatch(alias.organisation, alias.alias, MatchKind.ALIAS))
    order = list(MatchKind)
    return sorted(matches, key=lambda m: (m.valid_to is not None, order.index(m.kind)))


def _successor_on(org: Organisation, day: date) -> Organisation:
    """Follow merges that took effect by ``day`` to the organisation that carries on."""
    seen = {org.pk}
    while org.successor_id is not None and org.dissolved_on is not None and org.dissolved_on <= day:
        org = Organisation.objects.get(pk=org.successor_id)
        if org.pk in seen:  # a cycle entered by hand: stop rather than loop
            break
        seen.add(org.pk)
    return org


def _ancestors(org: Organisation) -> list[Organisation]:
    """``org`` and its parents up to the root (one query per level; stops at a cycle)."""
    chain, seen = [org], {org.pk}
    while chain[-1].parent_id is not None and chain[-1].parent_id not in seen:
        chain.append(Organisation.objects.get(pk=chain[-1].parent_id))
        seen.add(chain[-1].pk)
    return chain


def _nearest(candidates: list[Organisation], context_org: Organisation) -> list[Organisation]:
    """The candidates inside the smallest subtree around ``context_org`` that has any."""
    for ancestor in _ancestors(context_org):
        inside = org_subtree_ids(ancestor)
        nearest = [org for org in candidates if org.pk in inside]
        if nearest:
            return nearest
    return candidates


def _collective_members(
    collective: CollectiveSpec, *, on: date | None, context_org: Organisation | None
) -> tuple[Organisation, ...]:
    organisations = Organisation.objects.all()
    if collective.members:
        organisations = organisations.filter(code__in=collective.members)
    else:
        organisations = organisations.filter(level=collective.level, kind__in=collective.kinds)
        scope = _scope_government(collective.scope_level, context_org)
        if scope is not None:
            organisations = organisations.filter(pk__in=org_subtree_ids(scope))
    return _in_tree_order(_existing_on(organisations, on))


def _in_tree_order(organisations: Iterable[Organisation]) -> tuple[Organisation, ...]:
    """In the order of the directory: each organisation followed by those under it."""
    positions: dict[int, int] = {}

    def visit(nodes: list[TreeNode]) -> None:
        for node in nodes:
            positions[node.organisation.pk] = len(positions)
            visit(node.children)

    visit(org_tree(include_inactive=True))
    return tuple(sorted(organisations, key=lambda org: positions[org.pk]))


def _scope_government(level: str, context_org: Organisation | None) -> Organisation | None:
    """The government of ``level`` that contains ``context_org``; None: the whole city."""
    if context_org is None:
        return None
    return next(
        (org for org in _ancestors(context_org) if org.is_jurisdiction and org.level == level),
        None,
    )


def _existing_on(organisations: QuerySet[Organisation], on: date | None) -> QuerySet[Organisation]:
    if on is None:
        return organisations.filter(is_active=True)
    return organisations.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=on),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on),
    )


def org_government(org: Organisation) -> Organisation:
    """The government whose jurisdiction ``org`` falls in.

    A 人民政府 or a territorial 派出机构 (街道办事处, 北京经济技术开发区管委会) is its own;
    any other body belongs to the nearest such ancestor. An organisation with none above it
    (only if the tree was built by hand) is its own root.
    """
    chain = _ancestors(org)
    return next((ancestor for ancestor in chain if ancestor.is_jurisdiction), chain[-1])


def org_subtree_ids(root: Organisation) -> set[int]:
    """``root`` and every organisation below it, active or not (one query per level)."""
    ids = {root.pk}
    level = {root.pk}
    while level:
        level = set(
            Organisation.objects.filter(parent_id__in=level)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids |= level
    return ids


def org_jurisdiction_ids(org: Organisation) -> set[int]:
    """The organisations in the jurisdiction of ``org``'s government."""
    return org_subtree_ids(org_government(org))


@dataclass
class TreeNode:
    organisation: Organisation
    children: list["TreeNode"] = field(default_factory=list)


def org_tree(*, include_inactive: bool = False) -> list[TreeNode]:
    """The organisation tree for display, in one query; roots first, children in order."""
    organisations = Organisation.objects.order_by("level", "sort_order", "code")
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    nodes = {org.pk: TreeNode(org) for org in organisations}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.organisation.parent_id or 0)
        (parent.children if parent else roots).append(node)
    return roots


def org_search(query: str, *, limit: int = 50) -> list[Organisation]:
    """Organisations whose code, name, short name, former name or alias contains ``query``;
    active ones first."""
    key = normalise_name(query)
    if not key:
        return []
    by_name = OrganisationName.objects.filter(
        Q(name_key__contains=key) | Q(short_key__contains=key)
    ).values("organisation_id")
    by_alias = OrganisationAlias.objects.filter(key__contains=key).values("organisation_id")
    return list(
        Organisation.objects.filter(
            Q(pk__in=by_name) | Q(pk__in=by_alias) | Q(code__iexact=key)
        ).order_by("-is_active", "level", "sort_order", "code")[:limit]
    )


def org_active(*, level: str | None = None) -> QuerySet[Organisation]:
    """Organisations in existence, in tree order of level, optionally of one level."""
    organisations = Organisation.objects.filter(is_active=True).select_related("parent")
    return organisations.filter(level=level) if level else organisations


def org_inactive() -> list[Organisation]:
    """Organisations merged away or dissolved, with their successors, latest first."""
    return list(
        Organisation.objects.filter(is_active=False)
        .select_related("successor")
        .order_by("-dissolved_on", "sort_order", "code")
    )


def org_detail(code: str) -> Organisation | None:
    """One organisation with everything its public page shows: its names, aliases,
    predecessors (``merged_from``, in the order they were merged) and the active
    organisations under it (``active_children``)."""
    return (
        Organisation.objects.select_related("parent", "successor")
        .prefetch_related(
            "names",
            "aliases",
            Prefetch(
                "predecessors",
                queryset=Organisation.objects.order_by("dissolved_on", "sort_order", "code"),
                to_attr="merged_from",
            ),
            Prefetch(
                "children",
                queryset=Organisation.objects.filter(is_active=True).order_by(
                    "level", "sort_order", "code"
                ),
                to_attr="active_children",
            ),
        )
        .filter(code=code)
        .first()
    )


def org_name_groups() -> list[tuple[str, ...]]:
    """For each organisation, every name it is known by: full and short names (current and
    former) and aliases, without repeats (search treats each group as synonyms)."""
    groups: dict[int, dict[str, None]] = {}
    rows: Iterable[tuple[int, str]] = [
        *Organisation.objects.values_list("pk", "name"),
        *Organisation.objects.exclude(short_name="").values_list("pk", "short_name"),
        *OrganisationName.objects.values_list("organisation_id", "name"),
        *OrganisationName.objects.exclude(short_name="").values_list(
            "organisation_id", "short_name"
        ),
        *OrganisationAlias.objects.values_list("organisation_id", "alias"),
    ]
    for pk, name in rows:
        groups.setdefault(pk, {})[name] = None
    return [tuple(names) for names in groups.values()]
