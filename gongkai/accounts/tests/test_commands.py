import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("accounts", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_create_admin_from_stdin(tree):
    output = run(
        "create-admin", "zhouli", "--role", "audit_admin", "--org", "110000",
        "--full-name", "周立", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert output.strip() == "已创建审计管理员账户 zhouli（北京市人民政府）。"
    user = User.objects.get(username="zhouli")
    assert (user.kind, user.full_name, user.role_codes) == (
        AccountKind.STAFF,
        "周立",
        frozenset({Role.AUDIT_ADMIN}),
    )
    assert user.check_password(PASSWORD)
    assert user.is_staff
    assert AuditEvent.objects.filter(action="accounts.role.grant", actor=None).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "audit_admin", "--org", "999999"], "找不到存续机构“999999”"),
        (["--org", "110000"], "create-admin 需要 --role 和 --org。"),
    ],
)
def test_create_admin_bad_input(tree, args, message):
    with pytest.raises(CommandError, match=message):
        run("create-admin", "zhouli", *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert not User.objects.filter(username="zhouli").exists()


def test_create_admin_refuses_a_business_role(tree):
    with pytest.raises(CommandError):
        run("create-admin", "zhouli", "--role", "handler", "--org", "110000")


def test_create_admin_applies_password_rules(tree):
    with pytest.raises(CommandError, match="密码"):
        run(
            "create-admin", "zhouli", "--role", "system_admin", "--org", "110000",
            "--password-stdin", stdin="123\n",
        )  # fmt: skip
    assert not User.objects.filter(username="zhouli").exists()


def test_unlock(make_staff):
    user = make_staff("h")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timezone.timedelta(1))
    assert run("unlock", "h").strip() == "已解除账户 h 的锁定。"
    assert not User.objects.get(pk=user.pk).is_locked


def test_unlock_unknown_user(db):
    with pytest.raises(CommandError, match="用户名“nobody”不存在。"):
        run("unlock", "nobody")


def test_there_are_no_superusers(db):
    user = User.objects.create_superuser(username="root", password=PASSWORD)
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.has_perm("core.view_auditevent")
