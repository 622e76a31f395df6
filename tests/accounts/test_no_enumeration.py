""" "Regístrese aquí" and "¿Olvidó su contraseña?": they help the right people and tell
nobody who is a client (the same bytes on screen for a known and an unknown address)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from tests.accounts.helpers import STRONG_PASSWORD, invitation_path, link_path

pytestmark = pytest.mark.django_db


def post_and_follow(client, url, email, capture):
    """POST the address; return (the POST response, the page it leads to)."""
    with capture(execute=True):
        response = client.post(url, {"email": email})
    return response, client.get(response["Location"])


def assert_same_answer(first, second):
    (post_a, page_a), (post_b, page_b) = first, second
    assert (post_a.status_code, post_a["Location"], post_a.content) == (post_b.status_code, post_b["Location"], post_b.content)
    assert page_a.status_code == page_b.status_code == 200
    assert page_a.content == page_b.content


# --- "Regístrese aquí" -------------------------------------------------------------------


def test_it_sends_a_fresh_invitation_and_the_old_link_dies(
    client, invited_client, send_invitation, django_capture_on_commit_callbacks
):
    send_invitation(invited_client)
    old_path = invitation_path(mail.outbox[0])

    page = client.get("/cuentas/registrese/")
    assert "Regístrese aquí" in page.text and 'name="email"' in page.text
    post_and_follow(client, "/cuentas/registrese/", "ANA.invitada@transportesdelnorte.mx", django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    new_path = invitation_path(mail.outbox[1])
    assert "Este enlace ya no es válido" in client.get(old_path).text
    assert "Guardar contraseña" in client.get(new_path).text


def test_it_sends_nothing_to_an_active_or_unknown_or_deactivated_address(
    client, client_a, password, django_capture_on_commit_callbacks
):
    deactivated = User.objects.create_user(email="baja@transportesdelnorte.mx", first_name="Baja", last_name="X", is_active=False)
    for email in [client_a.email, "nadie@ejemplo.mx", deactivated.email]:
        post_and_follow(client, "/cuentas/registrese/", email, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    client_a.refresh_from_db()
    assert client_a.check_password(password)  # an active client keeps their password


def test_registration_request_answers_the_same_for_known_and_unknown_addresses(
    client, invited_client, send_invitation, django_capture_on_commit_callbacks
):
    send_invitation(invited_client)
    known = post_and_follow(client, "/cuentas/registrese/", invited_client.email, django_capture_on_commit_callbacks)
    unknown = post_and_follow(client, "/cuentas/registrese/", "desconocido@ejemplo.mx", django_capture_on_commit_callbacks)

    assert_same_answer(known, unknown)
    assert "Revise su correo" in known[1].text
    assert len(mail.outbox) == 2  # the first invitation and the fresh one; nothing to the unknown address


# --- "¿Olvidó su contraseña?" ------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, client_a, django_capture_on_commit_callbacks):
    known = post_and_follow(client, "/cuentas/password/reset/", client_a.email, django_capture_on_commit_callbacks)
    unknown = post_and_follow(client, "/cuentas/password/reset/", "desconocido@ejemplo.mx", django_capture_on_commit_callbacks)

    assert_same_answer(known, unknown)
    assert "Revise su correo" in known[1].text
    # The known address gets the link; the unknown one learns it has no account.
    assert [m.to for m in mail.outbox] == [[client_a.email], ["desconocido@ejemplo.mx"]]
    assert "/cuentas/password/reset/key/" in mail.outbox[0].body
    assert "no es un usuario del portal" in mail.outbox[1].body


def test_password_reset_link_works_once_with_the_same_policy(client, client_a, password, django_capture_on_commit_callbacks):
    post_and_follow(client, "/cuentas/password/reset/", client_a.email, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == "JHLeasing · Elija una contraseña nueva"
    assert "Elegir contraseña nueva" in message.alternatives[0].content
    path = link_path(message.body, "/cuentas/password/reset/key/")

    # allauth swaps the key in the URL for a session value, then shows the form.
    form_page = client.get(path, follow=True)
    assert "Guardar contraseña" in form_page.text and "Confirmar contraseña" in form_page.text
    assert "Debe incluir al menos un dígito del 0 al 9." in form_page.text  # the seed's rules, listed
    set_url = form_page.redirect_chain[-1][0]

    weak = client.post(set_url, {"password1": "sinmayusculas#1", "password2": "sinmayusculas#1"})
    assert "Falta una letra mayúscula." in weak.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(set_url, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert done.status_code == 302
    client_a.refresh_from_db()
    assert client_a.check_password(STRONG_PASSWORD)
    # The user is told by e-mail that the password changed.
    assert "JHLeasing" in mail.outbox[-1].subject and mail.outbox[-1].to == [client_a.email]

    # Single use: the same link now fails, friendly, with a way to ask for another.
    again = client.get(path, follow=True)
    assert "Este enlace ya no es válido" in again.text
    assert 'href="/cuentas/password/reset/"' in again.text


def test_password_reset_link_expires(client, client_a, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    post_and_follow(client, "/cuentas/password/reset/", client_a.email, django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0].body, "/cuentas/password/reset/key/")
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert "Este enlace ya no es válido" in client.get(path, follow=True).text


def test_forgot_password_gives_an_invited_user_a_fresh_invitation(
    client, invited_client, send_invitation, django_capture_on_commit_callbacks
):
    send_invitation(invited_client)
    post_and_follow(client, "/cuentas/password/reset/", invited_client.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "Guardar contraseña" in client.get(invitation_path(mail.outbox[1])).text
