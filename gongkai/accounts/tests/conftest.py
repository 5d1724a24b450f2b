import pytest

from gongkai.accounts import services
from gongkai.accounts.models import AccountKind, Role, User
from gongkai.orgs.models import Organisation

PASSWORD = "Gongkai#2026"


# key: code, full name, short name, level, kind, parent key
TREE = {
    "city": ("110000", "北京市人民政府", "市政府", "city", "government", None),
    "fgw": ("110000-FGW", "北京市发展和改革委员会", "市发展改革委", "city", "department", "city"),
    "dongcheng": ("110101", "北京市东城区人民政府", "东城区政府", "district", "government", "city"),
    "dc_fgw": ("110101-FGW", "北京市东城区发展和改革委员会", "东城区发展改革委",
               "district", "department", "dongcheng"),
    "street": ("110101001", "北京市东城区人民政府东华门街道办事处", "东华门街道",
               "street", "agency", "dongcheng"),
    "xicheng": ("110102", "北京市西城区人民政府", "西城区政府", "district", "government", "city"),
}  # fmt: skip


@pytest.fixture
def tree(db: None) -> dict[str, Organisation]:
    """市政府 → (市发展改革委, 东城区政府 → (东城区发展改革委, 东华门街道)), 西城区政府."""
    orgs: dict[str, Organisation] = {}
    for key, (code, name, short_name, level, kind, parent) in TREE.items():
        orgs[key] = Organisation.objects.create(
            code=code,
            name=name,
            short_name=short_name,
            level=level,
            kind=kind,
            parent=orgs[parent] if parent else None,
        )
    return orgs


@pytest.fixture
def make_staff(tree: dict[str, Organisation]):
    def make(username: str, org: str = "fgw", *roles: Role) -> User:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            kind=AccountKind.STAFF,
            organisation=tree[org],
            full_name=username,
        )
        for role in roles:
            services.role_grant(actor=None, user=user, role=role)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def security_admin(make_staff) -> User:
    return make_staff("secadmin", "city", Role.SECURITY_ADMIN)


@pytest.fixture
def system_admin(make_staff) -> User:
    return make_staff("sysadmin", "city", Role.SYSTEM_ADMIN)
