"""Who may see or do what. Every view, API and query of the project asks here.

Roles grant Django permissions (``ROLE_PERMISSIONS``) and a scope of organisations
(``ROLE_SCOPES``). The three administrator roles of 等保2.0 are kept apart: each holds only
its own permissions, a user holds at most one of them, and none holds a business role.
"""

from django.contrib.auth.models import AnonymousUser

from .models import Role, User

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
    Role.DISPATCHER: frozenset(),
    Role.SUPERVISOR: frozenset(),
}


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_gongkai_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._gongkai_roles = cached  # type: ignore[union-attr]
    return cached


def role_permissions(user: User | AnonymousUser) -> set[str]:
    return set().union(*(ROLE_PERMISSIONS[r] for r in user_roles(user)))
