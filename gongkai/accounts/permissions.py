"""Who may see or do what. Every view, API and query of the project asks here.

Roles grant Django permissions (``ROLE_PERMISSIONS``) and a scope of organisations
(``ROLE_SCOPES``): a handler or reviewer acts for their own organisation only; the openness
office, dispatchers and supervisors act across the jurisdiction of their government (a district's
openness office over the district's departments and streets; the city's over everything).
The three administrator roles of 等保2.0 are kept apart: each holds only its own permissions,
a user holds at most one of them, and none of them holds a business role.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_jurisdiction_ids

from .models import AccountKind, Role, User

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            "orgs.view_organisation",
            "orgs.add_organisation",
            "orgs.change_organisation",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "core.view_calendarday",
            "core.add_calendarday",
            "core.change_calendarday",
            "core.delete_calendarday",
            "core.view_calendaryear",
            "core.add_calendaryear",
            "core.change_calendaryear",
            "publishing.view_topic",
            "publishing.add_topic",
            "publishing.change_topic",
            "publishing.view_genre",
            "publishing.add_genre",
            "publishing.change_genre",
            "publishing.view_legalbasis",
            "publishing.add_legalbasis",
            "publishing.change_legalbasis",
            "publishing.view_reviewterm",
            "publishing.add_reviewterm",
            "publishing.change_reviewterm",
            "publishing.delete_reviewterm",
            "search.view_indexstate",
            "search.change_indexstate",
            "foi.view_lettertemplate",
            "foi.change_lettertemplate",
            "hotline.view_category",
            "hotline.add_category",
            "hotline.change_category",
            "hotline.view_timelimitrule",
            "hotline.add_timelimitrule",
            "hotline.change_timelimitrule",
            "participation.view_consultationtype",
            "participation.add_consultationtype",
            "participation.change_consultationtype",
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {
            "accounts.view_user",
            "accounts.unlock_user",
            "accounts.view_roleassignment",
            "accounts.add_roleassignment",
            "accounts.delete_roleassignment",
        }
    ),
    Role.AUDIT_ADMIN: frozenset({"core.view_auditevent"}),
    Role.HANDLER: frozenset(),
    Role.REVIEWER: frozenset(),
    Role.OPENNESS_OFFICE: frozenset(),
    Role.OPERATOR: frozenset(),
    Role.DISPATCHER: frozenset(),
    Role.SUPERVISOR: frozenset(),
}


class Scope(StrEnum):
    OWN = "own"
    JURISDICTION = "jurisdiction"
    ALL = "all"


ROLE_SCOPES: dict[str, Scope] = {
    Role.HANDLER: Scope.OWN,
    Role.REVIEWER: Scope.OWN,
    Role.OPENNESS_OFFICE: Scope.JURISDICTION,
    Role.OPERATOR: Scope.JURISDICTION,
    Role.DISPATCHER: Scope.JURISDICTION,
    Role.SUPERVISOR: Scope.JURISDICTION,
    Role.SYSTEM_ADMIN: Scope.ALL,
    Role.SECURITY_ADMIN: Scope.ALL,
    Role.AUDIT_ADMIN: Scope.ALL,
}


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class OrgScope:
    """The organisations a user may act for in some role: all of them, or a set of ids."""

    everything: bool
    ids: frozenset[int]

    def __contains__(self, org: object) -> bool:
        if not isinstance(org, Organisation):
            return False
        return self.everything or org.pk in self.ids

    def filter(self, queryset: QuerySet[M], field: str = "pk") -> QuerySet[M]:
        """Restrict ``queryset`` to the scope; ``field`` names the organisation on its rows."""
        if self.everything:
            return queryset
        return queryset.filter(**{f"{field}__in": self.ids})


NO_SCOPE = OrgScope(everything=False, ids=frozenset())


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    return user.role_codes


def role_permissions(user: User | AnonymousUser) -> set[str]:
    return set().union(*(ROLE_PERMISSIONS[r] for r in user_roles(user)))


def org_scope(user: User | AnonymousUser, *, role: Role) -> OrgScope:
    """The organisations ``user`` may act for when acting as ``role``."""
    if role not in user_roles(user) or not isinstance(user, User):
        return NO_SCOPE
    scope = ROLE_SCOPES[role]
    if scope is Scope.ALL:
        return OrgScope(everything=True, ids=frozenset())
    if user.organisation is None:
        return NO_SCOPE
    if scope is Scope.OWN:
        return OrgScope(everything=False, ids=frozenset({user.organisation.pk}))
    return OrgScope(everything=False, ids=frozenset(org_jurisdiction_ids(user.organisation)))


def org_scope_any(user: User | AnonymousUser, *, roles: Iterable[Role]) -> OrgScope:
    """The organisations ``user`` may act for in any of ``roles``."""
    scopes = [org_scope(user, role=role) for role in roles]
    if any(scope.everything for scope in scopes):
        return OrgScope(everything=True, ids=frozenset())
    return OrgScope(everything=False, ids=frozenset().union(*(scope.ids for scope in scopes)))


def can_act_for(user: User | AnonymousUser, org: Organisation, *, role: Role) -> bool:
    return org in org_scope(user, role=role)


def is_staff_user(user: User | AnonymousUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and user.kind == AccountKind.STAFF


def role_conflict(held: frozenset[str], role: Role) -> str | None:
    """The held role that may not be combined with ``role`` (三员分立), if any."""
    for other in sorted(held - {role}):
        if role in ADMIN_ROLES or other in ADMIN_ROLES:
            return other
    return None


def can_grant_role(actor: User | AnonymousUser, target: User) -> bool:
    """Security admins grant and revoke roles, never their own."""
    return (
        actor.has_perm("accounts.add_roleassignment")
        and isinstance(actor, User)
        and actor.pk != target.pk
    )


def can_revoke_role(actor: User | AnonymousUser, target: User) -> bool:
    return (
        actor.has_perm("accounts.delete_roleassignment")
        and isinstance(actor, User)
        and actor.pk != target.pk
    )


def can_manage_accounts(actor: User | AnonymousUser) -> bool:
    """System admins create staff accounts and (de)activate them; never their own."""
    return actor.has_perm("accounts.change_user")


def can_change_account(actor: User | AnonymousUser, target: User) -> bool:
    return can_manage_accounts(actor) and actor.pk != target.pk


def can_unlock(actor: User | AnonymousUser, target: User) -> bool:
    return actor.has_perm("accounts.unlock_user") and actor.pk != target.pk


def can_view_accounts(actor: User | AnonymousUser) -> bool:
    return actor.has_perm("accounts.view_user")
