"""allauth's rate limits on login, reset and "Regístrese aquí", with a Spanish 429 page,
counted per real client IP behind the proxy."""

import pytest
from django.conf import settings as django_settings
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_limits_are_configured_for_every_entrance():
    limits = django_settings.ACCOUNT_RATE_LIMITS
    for action in [
        "login",
        "login_failed",
        "reset_password",
        "reset_password_from_key",
        "request_invitation",
        "accept_invitation",
    ]:
        assert limits.get(action), action


def test_registration_request_is_rate_limited_per_address(
    client, invited_client, send_invitation, django_capture_on_commit_callbacks
):
    # Configured "5/h/key": five requests for one address go through, the sixth is refused.
    send_invitation(invited_client)
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/cuentas/registrese/", {"email": invited_client.email}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cuentas/registrese/", {"email": invited_client.email})

    assert response.status_code == 429
    assert "Demasiados intentos" in response.text
    assert "espere unos minutos" in response.text
    assert len(mail.outbox) == 1 + 5  # nothing sent for the refused request


def test_login_is_rate_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for n in range(3):
        assert client.post("/cuentas/login/", {"login": f"alguien{n}@ejemplo.mx", "password": "x"}).status_code == 200
    response = client.post("/cuentas/login/", {"login": "otro@ejemplo.mx", "password": "x"})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.text


def test_failed_logins_lock_the_address_even_with_the_right_password(client, client_a, password):
    # Configured "5/5m/key": after five wrong passwords even the right one is refused for a while.
    for _ in range(5):
        client.post("/cuentas/login/", {"login": client_a.email, "password": "Equivocada#1"})
    response = client.post("/cuentas/login/", {"login": client_a.email, "password": password})
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.text


def test_password_reset_is_rate_limited(client, client_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    for _ in range(2):
        assert client.post("/cuentas/password/reset/", {"email": client_a.email}).status_code == 302
    assert client.post("/cuentas/password/reset/", {"email": client_a.email}).status_code == 429


def test_limits_count_the_real_client_ip_behind_the_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "request_invitation": "2/m/ip"}

    def ask(ip, email):
        return client.post("/cuentas/registrese/", {"email": email}, headers={"x-forwarded-for": ip}).status_code

    assert [ask("203.0.113.5", f"a{n}@ejemplo.mx") for n in range(3)] == [302, 302, 429]
    # Another client behind the same proxy (same REMOTE_ADDR) is not punished.
    assert ask("198.51.100.7", "b@ejemplo.mx") == 302
