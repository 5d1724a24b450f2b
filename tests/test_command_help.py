"""Every ``gongkai`` command of the project prints its help (a lazy help text would crash)."""

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import ManagementUtility

COMMANDS = ["accounts", "audit", "calendar", "demo", "orgs", "publishing"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        ManagementUtility(["gongkai", command, "--help"]).execute()
    assert exit_.value.code == 0
    assert f"usage: gongkai {command}" in out.getvalue()
