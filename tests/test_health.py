"""/healthz, for the load balancer: 200 when the database and the cache answer, 503
when one does not; no login, no session, nothing about the cause."""

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections

from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_it_answers_200_without_login_and_without_a_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert not Session.objects.exists()


def test_it_is_not_sent_to_https_since_the_balancer_asks_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/cuentas/login/").status_code == 301


def test_it_answers_503_when_the_cache_is_down(client, settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/7",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "cache": "error"}}
    assert str(port) not in response.text


def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: password authentication failed')

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error", "cache": "ok"}}
    assert "10.0.0.5" not in response.text and "password" not in response.text


def test_it_only_answers_reads(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
