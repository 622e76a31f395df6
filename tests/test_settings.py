"""Production settings: the deploy checklist is clean and unsafe defaults are refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Z9#x-production-secret-for-the-check-only-0123456789",
    "ALLOWED_HOSTS": "soporte.jhl.mx",
    "EMAIL_HOST": "smtp.jhl.mx",
    "ANYMAIL_WEBHOOK_SECRET": "inbound:a-long-random-secret",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, env):
    # Only the parent's basics: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for
    # their process, which check --deploy rightly reports (async.E001).
    ignored = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_a_malformed_boolean():
    result = manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("TIME_ZONE", "America/Mexico_City"), ("LANGUAGE_CODE", "es-mx"), ("AUTH_USER_MODEL", "accounts.User")],
)
def test_the_defaults_are_mexican(settings, setting, expected):
    assert getattr(settings, setting) == expected
