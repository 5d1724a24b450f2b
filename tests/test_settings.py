"""Settings come from the environment; production refuses to start without real secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_settings(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = "gongkai.config.settings.production"
GOOD = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://gk@db.internal:5432/gongkai",
    "DJANGO_ALLOWED_HOSTS": "gk.example.gov.cn",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DATABASE_URL", "DATABASE_URL must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without_secrets(missing, message):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = run_settings(PRODUCTION, env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_settings(PRODUCTION, {**GOOD, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "real secret" in result.stderr


def test_production_starts_with_real_settings():
    result = run_settings(PRODUCTION, GOOD)
    assert result.stdout.strip() == "started", result.stderr


def test_development_generates_a_secret_key_once(tmp_path):
    env = {"GONGKAI_VAR_DIR": str(tmp_path)}
    assert run_settings("gongkai.config.settings.development", env).returncode == 0
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert run_settings("gongkai.config.settings.development", env).returncode == 0
    assert key_file.read_text() == key


def test_development_uses_sqlite_under_var_by_default(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['NAME'])",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.development",
            "GONGKAI_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(tmp_path / "gongkai.sqlite3")
