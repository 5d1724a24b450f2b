import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from gongkai.accounts import services
from gongkai.accounts.errors import AccountError, AccountErrorCode
from gongkai.accounts.models import AccountKind, Role, User
from gongkai.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _request():
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/accounts/login/")
    request.session = SessionStore()
    return request


def _login(identifier: str, password: str = PASSWORD) -> User:
    return services.account_login(request=_request(), identifier=identifier, password=password)


class TestRegistration:
    def test_with_phone_normalises_prefix(self):
        user = services.account_register_public(phone="+86 138-0013-8000", password=PASSWORD)
        assert (user.username, user.phone, user.kind) == ("13800138000", "13800138000", "public")
        assert user.organisation is None
        assert AuditEvent.objects.filter(action="accounts.user.register").count() == 1

    def test_with_email(self):
        user = services.account_register_public(email="Li.Ming@Example.cn", password=PASSWORD)
        assert (user.username, user.email, user.phone) == (
            "li.ming@example.cn",
            "li.ming@example.cn",
            None,
        )

    def test_needs_phone_or_email(self):
        with pytest.raises(AccountError) as error:
            services.account_register_public(password=PASSWORD)
        assert error.value.message == "请填写手机号码或电子邮箱。"

    def test_rejects_a_bad_phone(self):
        with pytest.raises(AccountError) as error:
            services.account_register_public(phone="12345", password=PASSWORD)
        assert error.value.code == AccountErrorCode.BAD_PHONE

    def test_rejects_a_taken_phone(self):
        services.account_register_public(phone="13800138000", password=PASSWORD)
        with pytest.raises(AccountError) as error:
            services.account_register_public(phone="13800138000", password=PASSWORD)
        assert error.value.message == "该手机号码已被注册。"
        assert User.objects.count() == 1

    @pytest.mark.parametrize("weak", ["short1A", "alllowercaseletters", "12345678901"])
    def test_applies_password_rules(self, weak):
        with pytest.raises(ValidationError):
            services.account_register_public(phone="13800138000", password=weak)
        assert not User.objects.exists()


class TestLogin:
    def test_by_username_phone_or_email(self, make_staff):
        user = make_staff("wangfang")
        user.phone, user.email = "13900139000", "wf@example.cn"
        user.save()
        for identifier in ["wangfang", "13900139000", "+8613900139000", "WF@example.cn"]:
            assert _login(identifier) == user
        assert AuditEvent.objects.filter(action="accounts.login").count() == 4

    def test_unknown_account_gives_the_same_message(self, db):
        with pytest.raises(AccountError) as error:
            _login("nobody")
        assert error.value.message == "用户名或密码错误。"

    @override_settings(GONGKAI_LOGIN_MAX_FAILURES=3, GONGKAI_LOGIN_LOCKOUT_MINUTES=15)
    def test_lockout_after_repeated_failures(self, make_staff):
        user = make_staff("zhang")
        for _ in range(2):
            with pytest.raises(AccountError) as error:
                _login("zhang", "wrong")
            assert error.value.code == AccountErrorCode.BAD_CREDENTIALS
        assert User.objects.get(pk=user.pk).failed_logins == 2
        with pytest.raises(AccountError) as error:
            _login("zhang", "wrong")
        assert error.value.code == AccountErrorCode.LOCKED
        assert "账户已锁定" in error.value.message
        # The right password does not help while locked.
        with pytest.raises(AccountError) as error:
            _login("zhang")
        assert error.value.code == AccountErrorCode.LOCKED
        assert AuditEvent.objects.filter(action="accounts.user.lock").count() == 1

    @override_settings(GONGKAI_LOGIN_MAX_FAILURES=2)
    def test_unlock_by_security_admin(self, make_staff, security_admin):
        user = make_staff("zhang")
        for _ in range(2):
            with pytest.raises(AccountError):
                _login("zhang", "wrong")
        services.account_unlock(actor=security_admin, user=user)
        assert _login("zhang") == user

    def test_lock_expires(self, make_staff):
        user = make_staff("zhang")
        User.objects.filter(pk=user.pk).update(
            locked_until=timezone.now() - timezone.timedelta(seconds=1)
        )
        assert _login("zhang") == user

    def test_success_resets_the_failure_count(self, make_staff):
        user = make_staff("zhang")
        with pytest.raises(AccountError):
            _login("zhang", "wrong")
        _login("zhang")
        assert User.objects.get(pk=user.pk).failed_logins == 0

    def test_inactive_account_is_refused(self, make_staff):
        user = make_staff("zhang")
        user.is_active = False
        user.save()
        with pytest.raises(AccountError) as error:
            _login("zhang")
        assert error.value.code == AccountErrorCode.INACTIVE


class TestStaffAccounts:
    def test_system_admin_creates_staff(self, system_admin, tree):
        user = services.account_create_staff(
            actor=system_admin,
            username="liqiang",
            full_name="李强",
            organisation=tree["street"],
            password=PASSWORD,
        )
        assert (user.kind, user.organisation) == (AccountKind.STAFF, tree["street"])
        event = AuditEvent.objects.get(action="accounts.user.create")
        assert event.actor_id == system_admin.pk
        assert "东华门街道" in event.summary

    def test_security_admin_cannot_create_staff(self, security_admin, tree):
        with pytest.raises(AccountError) as error:
            services.account_create_staff(
                actor=security_admin,
                username="liqiang",
                full_name="李强",
                organisation=tree["street"],
                password=PASSWORD,
            )
        assert error.value.code == AccountErrorCode.PERMISSION_DENIED
        assert not User.objects.filter(username="liqiang").exists()

    def test_system_admin_deactivates_others_not_self(self, system_admin, make_staff):
        user = make_staff("h")
        services.account_set_active(actor=system_admin, user=user, active=False)
        assert not User.objects.get(pk=user.pk).is_active
        with pytest.raises(AccountError):
            services.account_set_active(actor=system_admin, user=system_admin, active=False)
        assert User.objects.get(pk=system_admin.pk).is_active

    def test_change_password_checks_the_old_one(self, make_staff):
        user = make_staff("h")
        with pytest.raises(AccountError):
            services.account_change_password(
                user=user, old_password="wrong", new_password="Another#2026"
            )
        services.account_change_password(
            user=user, old_password=PASSWORD, new_password="Another#2026"
        )
        assert User.objects.get(pk=user.pk).check_password("Another#2026")

    def test_audit_identity_names_roles_and_organisation(self, make_staff):
        user = make_staff("h", "fgw", Role.HANDLER, Role.REVIEWER)
        roles, org = user.audit_identity()
        assert set(roles.split("、")) == {"经办人", "审核人"}
        assert org == "北京市发展和改革委员会"


class TestMerge:
    def test_staff_follow_their_organisation_into_the_successor(self, make_staff, tree):
        from datetime import date

        from gongkai.orgs.services import org_merge

        moved = make_staff("h", "dc_fgw", Role.HANDLER)
        org_merge(
            actor=None,
            sources=[tree["dc_fgw"]],
            into=tree["dongcheng"],
            effective_on=date(2019, 1, 1),
            notice="东城区机构改革方案",
        )
        moved.refresh_from_db()
        assert moved.organisation == tree["dongcheng"]
        assert moved.role_codes == frozenset({Role.HANDLER})
        event = AuditEvent.objects.get(action="accounts.user.move")
        assert event.changes == {
            "organisation": ["北京市东城区发展和改革委员会", "北京市东城区人民政府"]
        }


def test_public_phone_numbers_are_masked_in_the_audit_log(db):
    services.account_register_public(phone="13800138000", password=PASSWORD)
    event = AuditEvent.objects.get(action="accounts.user.register")
    assert (event.actor_label, event.object_repr) == ("138****8000", "138****8000")
    user = services.account_register_public(
        email="li.ming@example.cn", password=PASSWORD, full_name="李明"
    )
    event = AuditEvent.objects.filter(action="accounts.user.register").order_by("-seq").first()
    assert event.actor_label == "李明（l***@example.cn）"
    assert str(user) == "李明"
