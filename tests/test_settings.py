"""Production settings: the deploy checklist is clean and unsafe defaults are refused."""

import json
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


def settings_under(env: dict) -> dict:
    """Selected settings as jhl_portal/settings.py computes them under `env` (debug)."""
    script = (
        "import json, jhl_portal.settings as s; print(json.dumps({'CACHES': s.CACHES, 'SESSION_ENGINE': s.SESSION_ENGINE,"
        " 'DATABASE': s.DATABASES['default'], 'STORAGE': s.STORAGES['default']}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**clean, "DEBUG": "1", **env}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_redis_the_cache_and_the_sessions_are_shared_by_every_machine():
    values = settings_under({"REDIS_URL": "redis://cache.internal:6379/2", "CACHE_KEY_PREFIX": "jhl-prod"})

    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (cache["LOCATION"], cache["KEY_PREFIX"]) == ("redis://cache.internal:6379/2", "jhl-prod")
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"


def test_without_redis_sessions_stay_in_the_database():
    values = settings_under({"SESSION_STORE": ""})

    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert settings_under({"REDIS_URL": "redis://cache.internal:6379/2", "SESSION_STORE": "cached_db"})["SESSION_ENGINE"] == (
        "django.contrib.sessions.backends.cached_db"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REDIS_URL": "http://user:s3cret@cache.internal:6379"}, "REDIS_URL must be a URL starting with redis://"),
        ({"SESSION_STORE": "files"}, "SESSION_STORE must be one of cache, cached_db, db"),
        ({"DATABASE_PGBOUNCER": "sometimes"}, "DATABASE_PGBOUNCER must be a boolean"),
        (
            {"S3_BUCKET": "adjuntos", "S3_ENDPOINT_URL": "minio.internal:9000"},
            "S3_ENDPOINT_URL must be a URL starting with https://",
        ),
        ({"S3_BUCKET": "adjuntos", "S3_SECRET_ACCESS_KEY": "s3cret"}, "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together"),
        ({"S3_BUCKET": "adjuntos", "S3_ADDRESSING_STYLE": "dns"}, "S3_ADDRESSING_STYLE must be one of auto, path, virtual"),
    ],
)
def test_it_refuses_bad_scale_out_settings_without_echoing_secrets(env, message):
    result = manage("check", env={"DEBUG": "1", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x", **env})

    assert result.returncode != 0
    assert message in result.stderr
    assert "s3cret" not in result.stderr


def test_behind_pgbouncer_nothing_lives_in_a_server_session():
    database = settings_under({"DATABASE_URL": "postgres://jhl@pgbouncer:6432/jhl", "DATABASE_PGBOUNCER": "1"})["DATABASE"]

    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert settings_under({"DATABASE_URL": "postgres://jhl@db:5432/jhl"})["DATABASE"]["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_with_a_bucket_attachments_go_to_object_storage():
    storage = settings_under(
        {
            "S3_BUCKET": "jhl-adjuntos",
            "S3_ENDPOINT_URL": "https://minio.internal:9000",
            "S3_REGION": "mx-central-1",
            "S3_ACCESS_KEY_ID": "portal",
            "S3_SECRET_ACCESS_KEY": "s3cret",
            "S3_PREFIX": "/portal/",
        }
    )["STORAGE"]

    assert storage["BACKEND"] == "jhl_portal.storage.AttachmentS3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "jhl-adjuntos",
        "https://minio.internal:9000",
        "mx-central-1",
    )
    assert (options["access_key"], options["secret_key"], options["location"]) == ("portal", "s3cret", "portal")
    assert options["default_acl"] is None  # private: only the access-checked views hand files out
    assert settings_under({})["STORAGE"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
