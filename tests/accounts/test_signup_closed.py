"""Nobody signs up from the web (seed 001): the sign-up URL explains how to ask IT."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_signup_url_creates_no_user(client, settings):
    settings.REGISTRATION_REQUEST_EMAIL = "altas@jhl.mx"
    before = User.objects.count()
    response = client.post(
        "/cuentas/signup/",
        {"email": "intruso@ejemplo.mx", "password1": "Flotilla#2026 del Norte", "password2": "Flotilla#2026 del Norte"},
    )

    assert User.objects.count() == before
    assert not User.objects.filter(email="intruso@ejemplo.mx").exists()
    assert "_auth_user_id" not in client.session
    assert "El registro es por invitación" in response.text
    assert 'href="mailto:altas@jhl.mx"' in response.text
    assert 'href="/cuentas/registrese/"' in response.text


def test_the_login_page_offers_the_two_ways_out(client):
    page = client.get("/cuentas/login/")
    assert page.status_code == 200
    assert '<html lang="es-mx">' in page.text
    assert "Usuario" in page.text and 'name="login"' in page.text and 'type="email"' in page.text
    assert '<a href="/cuentas/password/reset/">¿Olvidó su contraseña?</a>' in page.text
    assert '<a href="/cuentas/registrese/">Regístrese aquí</a>' in page.text
    assert "css/accounts.css" in page.text
    assert "aria-describedby" not in page.text  # nothing points at a help text that is not there


def test_a_client_cannot_manage_their_e_mail_addresses(client, client_a):
    from allauth.account.models import EmailAddress

    client.force_login(client_a)
    assert client.get("/cuentas/email/").status_code == 404
    response = client.post("/cuentas/email/", {"action_add": "", "email": "maria@constructorasol.mx"})
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="maria@constructorasol.mx").exists()
    assert client.get("/cuentas/confirm-email/abc/").status_code == 404
