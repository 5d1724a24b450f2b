"""The 12345 reference data in the admin: the system administrator changes categories and
time limits (audited, never deleted); no business role reaches these pages."""

import pytest
from django.test import Client

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.hotline.models import Category, TimeLimitRule, Urgency
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff

pytestmark = pytest.mark.django_db


def client_as(role: Role) -> Client:
    user = make_staff(str(role), make_orgs()["city"], role)
    client = Client()
    client.force_login(user)
    return client


def test_the_system_administrator_changes_a_time_limit_audited() -> None:
    client = client_as(Role.SYSTEM_ADMIN)
    rule = TimeLimitRule.objects.get(urgency=Urgency.NORMAL, complex=False, request_type="")
    url = f"/admin/hotline/timelimitrule/{rule.pk}/change/"

    response = client.post(
        url,
        {"urgency": rule.urgency, "request_type": "", "amount": "5", "unit": rule.unit},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.amount == 5
    event = AuditEvent.objects.get(action="hotline.timelimitrule.save")
    assert event.changes["amount"][1] == 5
    assert client.get(f"/admin/hotline/timelimitrule/{rule.pk}/delete/").status_code == 403


def test_the_system_administrator_adds_a_category() -> None:
    client = client_as(Role.SYSTEM_ADMIN)

    response = client.post(
        "/admin/hotline/category/add/",
        {"code": "99", "name": "其他诉求", "default_urgency": "normal", "sort_order": "0",
         "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(code="99").name == "其他诉求"
    assert AuditEvent.objects.filter(action="hotline.category.save").exists()


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.OPERATOR, Role.SUPERVISOR, Role.HANDLER])
def test_business_roles_do_not_reach_the_reference_data(role: Role) -> None:
    client = client_as(role)

    for page in ("/admin/hotline/timelimitrule/", "/admin/hotline/category/"):
        response = client.get(page)
        assert response.status_code == 302  # not admin staff: to the admin's login
        assert response["Location"].startswith("/admin/login/")
