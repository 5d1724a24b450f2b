import pytest

from gongkai.accounts import permissions, services
from gongkai.accounts.errors import AccountError, AccountErrorCode
from gongkai.accounts.models import Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_three_admin_roles_hold_only_their_own_permissions(make_staff):
    system = make_staff("sys", "city", Role.SYSTEM_ADMIN)
    security = make_staff("sec", "city", Role.SECURITY_ADMIN)
    audit = make_staff("aud", "city", Role.AUDIT_ADMIN)

    assert system.has_perm("orgs.change_organisation")
    assert system.has_perm("accounts.add_user")
    assert not system.has_perm("accounts.add_roleassignment")
    assert not system.has_perm("core.view_auditevent")

    assert security.has_perm("accounts.add_roleassignment")
    assert security.has_perm("accounts.unlock_user")
    assert not security.has_perm("accounts.add_user")
    assert not security.has_perm("orgs.change_organisation")
    assert not security.has_perm("core.view_auditevent")

    assert audit.has_perm("core.view_auditevent")
    assert not audit.has_perm("accounts.change_user")
    assert not audit.has_perm("accounts.add_roleassignment")
    assert not audit.has_perm("orgs.change_organisation")
    assert not audit.has_perm("core.change_calendarday")


def test_business_roles_grant_no_admin_permission(make_staff):
    handler = make_staff("h", "fgw", Role.HANDLER, Role.REVIEWER, Role.OPENNESS_OFFICE)
    assert permissions.role_permissions(handler) == set()
    assert not handler.has_perm("core.view_auditevent")


def test_inactive_user_has_no_roles(make_staff):
    user = make_staff("a", "city", Role.AUDIT_ADMIN)
    user.is_active = False
    assert not user.has_perm("core.view_auditevent")


@pytest.mark.parametrize(
    ("role", "org", "allowed", "denied"),
    [
        (Role.HANDLER, "fgw", ["fgw"], ["city", "dongcheng", "dc_fgw", "street"]),
        (Role.REVIEWER, "street", ["street"], ["dongcheng", "dc_fgw", "fgw"]),
        (
            Role.OPENNESS_OFFICE,
            "dongcheng",
            ["dongcheng", "dc_fgw", "street"],
            ["city", "fgw", "xicheng"],
        ),
        (Role.SUPERVISOR, "dc_fgw", ["dongcheng", "dc_fgw", "street"], ["fgw", "xicheng"]),
        (
            Role.DISPATCHER,
            "city",
            ["city", "fgw", "dongcheng", "dc_fgw", "street", "xicheng"],
            [],
        ),
    ],
)
def test_org_scope_by_role(make_staff, tree, role, org, allowed, denied):
    user = make_staff("u", org, role)
    for name in allowed:
        assert permissions.can_act_for(user, tree[name], role=role), name
    for name in denied:
        assert not permissions.can_act_for(user, tree[name], role=role), name


def test_scope_needs_the_role(make_staff, tree):
    user = make_staff("u", "fgw", Role.HANDLER)
    assert permissions.can_act_for(user, tree["fgw"], role=Role.HANDLER)
    assert not permissions.can_act_for(user, tree["fgw"], role=Role.REVIEWER)


def test_scope_filters_querysets(make_staff, tree):
    from gongkai.orgs.models import Organisation

    user = make_staff("u", "dongcheng", Role.OPENNESS_OFFICE)
    scope = permissions.org_scope(user, role=Role.OPENNESS_OFFICE)
    names = set(scope.filter(Organisation.objects.all()).values_list("short_name", flat=True))
    assert names == {"东城区政府", "东城区发展改革委", "东华门街道"}


def test_security_admin_grants_roles_to_others(security_admin, make_staff):
    user = make_staff("h", "fgw")
    services.role_grant(actor=security_admin, user=user, role=Role.HANDLER)
    assert set(user.role_assignments.values_list("role", flat=True)) == {Role.HANDLER}


def test_security_admin_cannot_grant_to_self(security_admin):
    with pytest.raises(AccountError) as error:
        services.role_grant(actor=security_admin, user=security_admin, role=Role.AUDIT_ADMIN)
    assert error.value.code == AccountErrorCode.ROLE_FORBIDDEN
    assert set(security_admin.role_assignments.values_list("role", flat=True)) == {
        Role.SECURITY_ADMIN
    }


def test_system_admin_cannot_grant_roles(system_admin, make_staff):
    user = make_staff("h", "fgw")
    with pytest.raises(AccountError) as error:
        services.role_grant(actor=system_admin, user=user, role=Role.HANDLER)
    assert error.value.code == AccountErrorCode.ROLE_FORBIDDEN
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("held", "new"),
    [
        (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN),
        (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN),
        (Role.AUDIT_ADMIN, Role.HANDLER),
        (Role.HANDLER, Role.SECURITY_ADMIN),
    ],
)
def test_admin_roles_are_separated(security_admin, make_staff, held, new):
    user = make_staff("u", "city", held)
    with pytest.raises(AccountError) as error:
        services.role_grant(actor=security_admin, user=user, role=new)
    assert error.value.code == AccountErrorCode.ROLE_CONFLICT
    assert "三员分立" in error.value.message
    assert set(user.role_assignments.values_list("role", flat=True)) == {held}


def test_business_roles_combine(security_admin, make_staff):
    user = make_staff("u", "fgw", Role.HANDLER)
    services.role_grant(actor=security_admin, user=user, role=Role.REVIEWER)
    assert set(user.role_assignments.values_list("role", flat=True)) == {
        Role.HANDLER,
        Role.REVIEWER,
    }


def test_public_accounts_get_no_roles(security_admin):
    public = User.objects.create_user(username="13800000001", password="x")
    with pytest.raises(AccountError) as error:
        services.role_grant(actor=security_admin, user=public, role=Role.HANDLER)
    assert error.value.code == AccountErrorCode.NOT_STAFF


def test_admin_site_access_follows_admin_roles(security_admin, make_staff):
    user = make_staff("u", "city")
    services.role_grant(actor=security_admin, user=user, role=Role.AUDIT_ADMIN)
    assert User.objects.get(pk=user.pk).is_staff
    services.role_revoke(actor=security_admin, user=user, role=Role.AUDIT_ADMIN)
    assert not User.objects.get(pk=user.pk).is_staff


def test_revoke_needs_security_admin(system_admin, make_staff):
    user = make_staff("u", "fgw", Role.HANDLER)
    with pytest.raises(AccountError):
        services.role_revoke(actor=system_admin, user=user, role=Role.HANDLER)
    assert user.role_assignments.filter(role=Role.HANDLER).exists()
