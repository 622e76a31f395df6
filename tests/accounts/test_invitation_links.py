"""The invitation link: bound to its user, unguessable, single-use, expiring."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.forms import SetPasswordForm
from accounts.models import UserState, hash_invitation_token
from tests.accounts.helpers import STRONG_PASSWORD, invitation_path

pytestmark = pytest.mark.django_db


def accept(client, path, password=STRONG_PASSWORD):
    return client.post(path, {"password1": password, "password2": password})


def test_it_stores_only_a_hash_of_the_token(invited_client, send_invitation):
    token = send_invitation(invited_client)
    invited_client.refresh_from_db()
    assert len(token) >= 43  # 32 random bytes
    assert invited_client.invitation_token_hash == hash_invitation_token(token)
    assert token not in invited_client.invitation_token_hash
    assert invitation_path(mail.outbox[0]) == f"/cuentas/invitacion/{token}/"


def test_it_refuses_a_used_link(client, invited_client, send_invitation):
    send_invitation(invited_client)
    path = invitation_path(mail.outbox[0])
    assert accept(client, path).status_code == 302
    client.post("/cuentas/logout/")

    page = client.get(path)
    assert page.status_code == 200
    assert "Este enlace ya no es válido" in page.text
    assert "ya se utilizó" in page.text
    assert 'href="/cuentas/registrese/"' in page.text and "Regístrese aquí" in page.text
    # And it cannot set a password a second time.
    accept(client, path, "Otra#Clave2026")
    invited_client.refresh_from_db()
    assert invited_client.check_password(STRONG_PASSWORD)


def test_it_refuses_an_expired_link(client, invited_client, send_invitation, settings):
    settings.INVITATION_MAX_AGE_DAYS = 7
    send_invitation(invited_client)
    path = invitation_path(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert "Guardar contraseña" in client.get(path).text
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        invited_client.refresh_from_db()
        assert invited_client.state == UserState.INVITATION_EXPIRED
        page = client.get(path)
        assert page.status_code == 200
        assert "El enlace de registro venció: solo funciona durante 7 días." in page.text
        assert "Regístrese aquí" in page.text
        accept(client, path)
    invited_client.refresh_from_db()
    assert not invited_client.has_usable_password()


def test_a_new_invitation_kills_the_old_link(client, invited_client, send_invitation):
    send_invitation(invited_client)
    send_invitation(invited_client)
    old_path, new_path = (invitation_path(message) for message in mail.outbox)
    assert old_path != new_path

    assert "Este enlace ya no es válido" in client.get(old_path).text
    assert accept(client, new_path).status_code == 302


def test_it_refuses_a_made_up_token(client, invited_client, send_invitation):
    send_invitation(invited_client)
    page = client.get("/cuentas/invitacion/" + "A" * 43 + "/")
    assert page.status_code == 200
    assert "Este enlace ya no es válido" in page.text


def test_it_refuses_the_link_of_a_deactivated_user(client, invited_client, send_invitation):
    send_invitation(invited_client)
    invited_client.is_active = False
    invited_client.save()
    page = client.get(invitation_path(mail.outbox[0]))
    assert "Este enlace ya no es válido" in page.text


@pytest.mark.parametrize(
    "password",
    [
        STRONG_PASSWORD,
        "Ñandú#2026x",
        "  Espacios#1 al inicio y al final  ",
        "Una frase larga de camino a Monterrey con 3 camiones & 2 remolques!!",  # 68 characters
        "Aa1#" + "z" * 124,  # 128, the longest accepted
    ],
)
def test_it_accepts_strong_passwords_exactly_as_typed(invited_client, password):
    form = SetPasswordForm({"password1": password, "password2": password}, user=invited_client)
    assert form.is_valid(), form.errors
    # No trimming, no truncation.
    assert form.cleaned_data["password1"] == password


def test_a_long_password_with_spaces_logs_in_exactly_as_typed(client, invited_client, send_invitation):
    password = "  Una frase larga de camino a Monterrey con 3 camiones & 2 remolques  "
    assert len(password) > 64
    send_invitation(invited_client)
    assert accept(client, invitation_path(mail.outbox[0]), password).status_code == 302
    client.post("/cuentas/logout/")

    assert client.post("/cuentas/login/", {"login": invited_client.email, "password": password.strip()}).status_code == 200
    assert client.post("/cuentas/login/", {"login": invited_client.email, "password": password[:64]}).status_code == 200
    assert client.post("/cuentas/login/", {"login": invited_client.email, "password": password}).status_code == 302


def test_an_invited_user_cannot_log_in_before_choosing_a_password(client, invited_client, send_invitation):
    send_invitation(invited_client)
    response = client.post("/cuentas/login/", {"login": invited_client.email, "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_link_is_spent_once_even_by_two_submissions_at_the_same_time(invited_client, send_invitation):
    # Both requests passed the page's check; the locked re-check in the service lets one win.
    token = send_invitation(invited_client)
    assert services.invitation_accept(token=token, password=STRONG_PASSWORD) == invited_client
    assert services.invitation_accept(token=token, password="Otra#Clave2026") is None
    invited_client.refresh_from_db()
    assert invited_client.check_password(STRONG_PASSWORD)
