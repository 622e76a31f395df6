"""Sessions (ASVS 5.0 V7): rotated at login, ended at logout, idle timeout, a deactivated
user thrown out at the next request, other sessions ended by a password change."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.accounts.helpers import STRONG_PASSWORD, link_path

pytestmark = pytest.mark.django_db

PORTAL = "/portal-de-clientes/"


def log_in(client, user, password):
    response = client.post("/cuentas/login/", {"login": user.email, "password": password})
    assert response.status_code == 302 and response.url == PORTAL, response.content
    return response


def is_logged_in(client) -> bool:
    response = client.get(PORTAL)
    return response.status_code == 200 and response.context["user"].is_authenticated


def test_a_deactivated_user_is_thrown_out_at_the_next_request(client, client_a, password):
    log_in(client, client_a, password)
    assert is_logged_in(client)

    client_a.is_active = False
    client_a.save()

    response = client.get(PORTAL)
    assert response.status_code == 302 and response.url.startswith("/cuentas/login/")
    # …and cannot log in again.
    response = client.post("/cuentas/login/", {"login": client_a.email, "password": password})
    assert response.status_code == 302 and response.url == "/cuentas/inactive/"
    assert "Cuenta desactivada" in client.get(response.url).text
    assert not is_logged_in(client)


def test_the_session_key_changes_at_login(client, client_a, password):
    session = client.session
    session["probe"] = "before login"
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before

    log_in(client, client_a, password)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session_on_the_server(client, client_a, password):
    log_in(client, client_a, password)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    client.post("/cuentas/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gets nobody in.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(PORTAL).status_code == 302


def test_sessions_expire_after_the_idle_timeout(client, client_a, password, settings):
    idle = settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry forward
    start = timezone.now()
    log_in(client, client_a, password)

    # Frozen clocks (tick=False): on a loaded machine a request could take longer than
    # the one-second margin below and push the expiry past it (a flaky failure).
    with time_machine.travel(start + timedelta(seconds=idle * 0.75), tick=False):
        assert is_logged_in(client)
    with time_machine.travel(start + timedelta(seconds=idle * 1.5), tick=False):
        assert is_logged_in(client)  # active use keeps the session alive
    with time_machine.travel(start + timedelta(seconds=idle * 2.5 + 1), tick=False):
        assert not is_logged_in(client)


def test_a_password_change_ends_the_other_sessions(client, client_a, password, django_capture_on_commit_callbacks):
    laptop, phone = client, Client()
    log_in(laptop, client_a, password)
    log_in(phone, client_a, password)

    page = laptop.get("/cuentas/password/change/")
    assert "Contraseña actual" in page.text and "Debe incluir al menos un símbolo" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(
            "/cuentas/password/change/", {"oldpassword": password, "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}
        )
    assert response.status_code == 302

    assert is_logged_in(laptop)
    assert not is_logged_in(phone)


def test_a_password_reset_ends_the_open_sessions(client, client_a, password, django_capture_on_commit_callbacks):
    phone = Client()
    log_in(phone, client_a, password)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cuentas/password/reset/", {"email": client_a.email})
    form_page = client.get(link_path(mail.outbox[0].body, "/cuentas/password/reset/key/"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_page.redirect_chain[-1][0], {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})

    assert not is_logged_in(phone)
