from datetime import date

import pytest
from django.utils import timezone

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.core.models import CalendarYear
from gongkai.core.selectors import calendar_years_awaiting_notice
from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.portal.todos import account_todos, calendar_todos

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_staff():
    org = Organisation.objects.create(
        code="110000", name="北京市人民政府", level=Level.CITY, kind=Kind.GOVERNMENT
    )

    def make(username: str, role: Role) -> User:
        user = User.objects.create_user(
            username=username, kind=AccountKind.STAFF, organisation=org, full_name=username
        )
        user.role_assignments.create(role=role)
        return User.objects.get(pk=user.pk)

    return make


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 30), []),
        (date(2026, 10, 1), [2027]),
        (date(2027, 3, 1), [2027]),
    ],
)
def test_years_awaiting_their_notice(today, expected):
    # The migration loads 2004-2026 as published; 2027 is not known yet.
    assert calendar_years_awaiting_notice(today=today) == expected


def test_a_published_year_is_not_awaited():
    CalendarYear.objects.create(year=2027, notice="国务院办公厅通知", source="admin")
    assert calendar_years_awaiting_notice(today=date(2026, 11, 26)) == []


def test_calendar_todos_are_the_system_admins(make_staff, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 26))
    todos = calendar_todos(make_staff("sys", Role.SYSTEM_ADMIN))
    assert [t.title for t in todos] == [
        "录入2027年节假日安排（国务院办公厅通知），未录入前该年期限为临时推算"
    ]
    assert calendar_todos(make_staff("h", Role.HANDLER)) is None


def test_locked_accounts_are_the_security_admins(make_staff):
    locked = make_staff("locked", Role.HANDLER)
    User.objects.filter(pk=locked.pk).update(
        locked_until=timezone.now() + timezone.timedelta(minutes=5)
    )
    todos = account_todos(make_staff("sec", Role.SECURITY_ADMIN))
    assert [t.title for t in todos] == ["账户 locked 因连续登录失败被锁定"]
    assert todos[0].url == f"/accounts/staff/{locked.pk}/"
    assert account_todos(make_staff("aud", Role.AUDIT_ADMIN)) is None
