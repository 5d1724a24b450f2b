"""``gongkai demo`` loads every app's demo data; running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from gongkai.accounts.demo import DEMO_PASSWORD, DEMO_STAFF
from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEvent, CalendarDay
from gongkai.orgs.models import Organisation, OrganisationName

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, OrganisationName, User, AuditEvent, CalendarDay)
    }


def test_demo_is_idempotent_and_prints_the_logins():
    out = io.StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == first
    assert first["User"] == len(DEMO_STAFF) + 1
    printed = out.getvalue()
    assert f"密码均为 {DEMO_PASSWORD}" in printed
    for staff in DEMO_STAFF:
        assert staff.username in printed


def test_demo_staff_cover_every_role_and_several_organisations():
    call_command("demo", stdout=io.StringIO())
    staff = User.objects.filter(kind="staff")
    held = {code for user in staff for code in user.role_codes}
    assert held == set(Role)
    assert staff.values("organisation").distinct().count() >= 5
    assert User.objects.get(username="fgw_jb").check_password(DEMO_PASSWORD)
