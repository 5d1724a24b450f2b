import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.accounts.middleware import LAST_SEEN_KEY
from gongkai.accounts.models import Role, User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "用户名 / 手机号码 / 电子邮箱" in response.content.decode()


def test_login_redirects_staff_to_the_workbench(client, make_staff):
    make_staff("h")
    response = client.post(reverse("accounts:login"), {"identifier": "h", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workbench")


def test_login_ignores_an_outside_next(client, make_staff):
    make_staff("h")
    response = client.post(
        reverse("accounts:login"),
        {"identifier": "h", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("portal:workbench")


@override_settings(GONGKAI_LOGIN_MAX_FAILURES=3)
def test_wrong_password_gives_a_chinese_message_then_locks(client, make_staff):
    make_staff("h")
    for _ in range(2):
        response = client.post(reverse("accounts:login"), {"identifier": "h", "password": "x"})
        assert response.status_code == 400
        assert "用户名或密码错误。" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"identifier": "h", "password": "x"})
    assert response.status_code == 400
    assert "账户已锁定" in response.content.decode()


def test_empty_login_form_is_a_400_with_message(client, db):
    response = client.post(reverse("accounts:login"), {})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()


def test_register_then_login(client, db):
    response = client.post(
        reverse("accounts:register"),
        {"phone": "13800138000", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"identifier": "13800138000", "password": PASSWORD}
    )
    assert response["Location"] == reverse("portal:home")


def test_register_mismatched_passwords(client, db):
    response = client.post(
        reverse("accounts:register"),
        {"phone": "13800138000", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 400
    assert "两次输入的密码不一致。" in response.content.decode()
    assert not User.objects.exists()


def test_logout_needs_post(client, make_staff):
    make_staff("h")
    client.force_login(User.objects.get(username="h"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(GONGKAI_SESSION_IDLE_MINUTES=30)
def test_idle_session_times_out(client, make_staff):
    make_staff("h")
    client.post(reverse("accounts:login"), {"identifier": "h", "password": PASSWORD})
    assert client.get(reverse("accounts:password-change")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] -= 31 * 60
    session.save()
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SECURITY_ADMIN, 200),
        (Role.SYSTEM_ADMIN, 200),
        (Role.AUDIT_ADMIN, 403),
        (Role.HANDLER, 403),
        (Role.OPENNESS_OFFICE, 403),
    ],
)
def test_staff_list_access(client, make_staff, role, status):
    make_staff("someone", "city", role)
    client.force_login(User.objects.get(username="someone"))
    assert client.get(reverse("accounts:staff-list")).status_code == status


def test_staff_list_needs_login(client, db):
    response = client.get(reverse("accounts:staff-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_security_admin_grants_a_role_through_the_page(client, security_admin, make_staff):
    target = make_staff("h")
    client.force_login(User.objects.get(username="secadmin"))
    response = client.post(
        reverse("accounts:staff-action", args=[target.pk, "grant"]), {"role": Role.REVIEWER}
    )
    assert response.status_code == 302
    assert target.role_assignments.filter(role=Role.REVIEWER).exists()


def test_system_admin_cannot_grant_through_the_page(client, system_admin, make_staff):
    target = make_staff("h")
    client.force_login(User.objects.get(username="sysadmin"))
    response = client.post(
        reverse("accounts:staff-action", args=[target.pk, "grant"]), {"role": Role.REVIEWER}
    )
    assert response.status_code == 403
    assert not target.role_assignments.exists()


def test_role_conflict_is_a_400_with_message(client, security_admin, make_staff):
    target = make_staff("h", "fgw", Role.HANDLER)
    client.force_login(User.objects.get(username="secadmin"))
    response = client.post(
        reverse("accounts:staff-action", args=[target.pk, "grant"]), {"role": Role.AUDIT_ADMIN}
    )
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()


def test_unknown_role_is_a_400(client, security_admin, make_staff):
    target = make_staff("h")
    client.force_login(User.objects.get(username="secadmin"))
    response = client.post(
        reverse("accounts:staff-action", args=[target.pk, "grant"]), {"role": "king"}
    )
    assert response.status_code == 400


def test_system_admin_creates_staff_through_the_page(client, system_admin, tree):
    client.force_login(User.objects.get(username="sysadmin"))
    response = client.post(
        reverse("accounts:staff-create"),
        {
            "username": "liqiang",
            "full_name": "李强",
            "organisation": tree["street"].pk,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = User.objects.get(username="liqiang")
    assert response["Location"] == reverse("accounts:staff-detail", args=[user.pk])


def test_staff_create_denied_to_security_admin(client, security_admin, tree):
    client.force_login(User.objects.get(username="secadmin"))
    assert client.get(reverse("accounts:staff-create")).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SYSTEM_ADMIN, 200), (Role.AUDIT_ADMIN, 403), (Role.SECURITY_ADMIN, 403)],
)
def test_calendar_admin_page_is_the_system_admins(client, security_admin, make_staff, role, status):
    from gongkai.accounts import services

    user = make_staff("admin_user", "city")
    services.role_grant(actor=security_admin, user=user, role=role)
    client.force_login(User.objects.get(username="admin_user"))
    assert client.get("/admin/core/calendarday/").status_code == status


def test_business_roles_do_not_reach_the_admin_site(client, make_staff):
    make_staff("h", "fgw", Role.HANDLER, Role.OPENNESS_OFFICE)
    client.force_login(User.objects.get(username="h"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_login_goes_through_the_lockout_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_django_authenticate_is_closed(make_staff):
    from django.contrib.auth import authenticate

    make_staff("h")
    assert authenticate(username="h", password=PASSWORD) is None


def test_admin_password_change_goes_through_the_audited_page(client, system_admin):
    client.force_login(system_admin)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change")
