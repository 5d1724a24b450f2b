"""Fixtures of the core tests. Core imports no other gongkai app, its tests neither."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility
from django.db import connections

from gongkai.core.services import calendar_seed_builtin

CliResult = tuple[int, str, str]


@pytest.fixture
def builtin_calendar(db: None) -> None:
    """The built-in holidays. The migration loads them; this also restores them after a
    transactional test flushed the tables (and is a no-op otherwise)."""
    calendar_seed_builtin()


@pytest.fixture
def cli(
    builtin_calendar: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``gongkai <args>`` as from a shell, in-process: (exit status, stdout, stderr)."""
    # A command run from the command line closes the connections when it ends, which would
    # end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            ManagementUtility(["gongkai", *args]).execute()
            status = 0
        except SystemExit as exc:
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def make_user(db: None) -> Callable[..., object]:
    def make(username: str = "wang", *, role: str | None = None) -> object:
        user = get_user_model().objects.create_user(
            username=username, password="Gongkai#2026", kind="public", full_name="王五"
        )
        if role:
            user.role_assignments.create(role=role)
        return user

    return make


@pytest.fixture
def admin_client_for(client: Any, make_user: Callable[..., Any]) -> Callable[[str], Any]:
    """A test client logged in, with admin-site access, as a user holding ``role``."""

    def login(role: str) -> Any:
        user = make_user("root", role=role)
        user.is_staff = True
        user.save()
        client.force_login(user)
        return client

    return login
