import pytest
from django.contrib.auth import get_user_model

from gongkai.accounts.models import User
from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.portal import navigation, workbench

PASSWORD = "Gongkai#2026"


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(
        code="T1", name="测试机构", short_name="测试", level=Level.CITY, kind=Kind.GOVERNMENT
    )


@pytest.fixture
def staff_user(organisation: Organisation) -> User:
    return get_user_model().objects.create_user(
        username="staff1",
        email="staff1@example.org",
        password=PASSWORD,
        kind="staff",
        organisation=organisation,
        full_name="王敏",
    )


@pytest.fixture
def public_user(db: None) -> User:
    return get_user_model().objects.create_user(
        username="citizen1",
        email="citizen1@example.org",
        password=PASSWORD,
        kind="public",
        full_name="李华",
    )


@pytest.fixture
def nav_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, navigation.NavItem]:
    """The navigation registry as the apps left it; changes are undone after the test."""
    items = dict(navigation._items)
    monkeypatch.setattr(navigation, "_items", items)
    return items


@pytest.fixture
def todo_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, workbench.TodoProvider]:
    """An empty to-do registry; the apps' providers are restored after the test."""
    providers: dict[str, workbench.TodoProvider] = {}
    monkeypatch.setattr(workbench, "_providers", providers)
    return providers
