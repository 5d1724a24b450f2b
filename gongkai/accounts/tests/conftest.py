import pytest

from gongkai.accounts import services
from gongkai.accounts.models import AccountKind, Role, User
from gongkai.orgs.models import Kind, Level, Organisation

PASSWORD = "Gongkai#2026"


@pytest.fixture
def tree(db: None) -> dict[str, Organisation]:
    """市政府 → (市发展改革委, 东城区政府 → (东城区发展改革委, 东华门街道)), 西城区政府."""
    city = Organisation.objects.create(
        code="110000",
        name="北京市人民政府",
        short_name="市政府",
        level=Level.CITY,
        kind=Kind.GOVERNMENT,
    )
    fgw = Organisation.objects.create(
        code="110000-FGW",
        name="北京市发展和改革委员会",
        short_name="市发展改革委",
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
        parent=city,
    )
    dongcheng = Organisation.objects.create(
        code="110101",
        name="北京市东城区人民政府",
        short_name="东城区政府",
        level=Level.DISTRICT,
        kind=Kind.GOVERNMENT,
        parent=city,
    )
    dc_fgw = Organisation.objects.create(
        code="110101-FGW",
        name="北京市东城区发展和改革委员会",
        short_name="东城区发展改革委",
        level=Level.DISTRICT,
        kind=Kind.DEPARTMENT,
        parent=dongcheng,
    )
    street = Organisation.objects.create(
        code="110101001",
        name="北京市东城区人民政府东华门街道办事处",
        short_name="东华门街道",
        level=Level.STREET,
        kind=Kind.AGENCY,
        parent=dongcheng,
    )
    xicheng = Organisation.objects.create(
        code="110102",
        name="北京市西城区人民政府",
        short_name="西城区政府",
        level=Level.DISTRICT,
        kind=Kind.GOVERNMENT,
        parent=city,
    )
    return {
        "city": city,
        "fgw": fgw,
        "dongcheng": dongcheng,
        "dc_fgw": dc_fgw,
        "street": street,
        "xicheng": xicheng,
    }


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
