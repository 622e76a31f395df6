"""The whole access flow of seed 001 through the HTTP client, as a client lives it:
IT adds the user in the admin → invitation e-mail → weak passwords refused, each with
the message of the missing rule → a strong one saved → logged in on the portal →
logout → login with the e-mail."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from accounts.models import Organization, User, UserState
from tests.accounts.helpers import STRONG_PASSWORD, invitation_path

pytestmark = pytest.mark.django_db

# Each weak password with the messages the page must show (seed 001's four rules, Django's
# common-password and similarity validators, the confirmation).
REFUSED = [
    ("Ab1#", ["La contraseña es demasiado corta: debe tener al menos 8 caracteres."]),
    ("norte#2026x", ["Falta una letra mayúscula."]),
    ("NORTE#2026X", ["Falta una letra minúscula."]),
    ("Norte#dosmil", ["Falta un dígito del 0 al 9."]),
    ("Norte20261", ["Falta un símbolo, como @ # & %."]),
    (
        "12345678",
        ["Falta una letra mayúscula y una minúscula.", "Falta un símbolo, como @ # & %.", "Esta contraseña es muy común."],
    ),
    ("P@ssw0rd", ["Esta contraseña es muy común."]),
    ("Invitada#2026", ["La contraseña es muy similar a"]),
    ("        ", ["Falta una letra mayúscula y una minúscula.", "Falta un dígito del 0 al 9.", "Falta un símbolo"]),
    ("Norte#٢٠٢٦x", ["Falta un dígito del 0 al 9."]),
    ("ñandú#2026", ["Falta una letra mayúscula."]),
    ("Aa1#" + "x" * 125, ["La contraseña es demasiado larga: puede tener como máximo 128 caracteres."]),
]


def test_it_walks_from_the_admin_to_the_portal_and_back(client, superuser, org_a, settings, django_capture_on_commit_callbacks):
    settings.MFA_REQUIRED_FOR_STAFF = False

    # IT adds the client in the admin: no password fields, saving sends the invitation.
    client.force_login(superuser)
    add_page = client.get("/admin/accounts/user/add/")
    assert add_page.status_code == 200
    assert 'name="password1"' not in add_page.text and 'name="password"' not in add_page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "first_name": "Ana",
                "last_name": "Invitada",
                "email": "Ana.Invitada@TransportesDelNorte.mx",
                "organization": org_a.pk,
            },
        )
    assert response.status_code == 302, response.content
    user = User.objects.get(email="ana.invitada@transportesdelnorte.mx")
    assert (user.organization, user.has_usable_password(), user.state) == (org_a, False, UserState.INVITED)
    client.logout()

    # The invitation e-mail, in Spanish, with the "Registrarse" button.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.invitada@transportesdelnorte.mx"]
    assert "Portal de Clientes" in message.subject
    assert "Hola Ana" in message.body
    path = invitation_path(message)

    page = client.get(path)
    assert page.status_code == 200
    for text in ["Contraseña", "Confirmar contraseña", "Guardar contraseña", "js/password-policy.js"]:
        assert text in page.text
    for rule in ["al menos 8 caracteres", "mayúscula y alguna en minúscula", "dígito del 0 al 9", "símbolo (como @, #, &amp;, %"]:
        assert rule in page.text

    # Weak passwords: refused one by one, each with the message of what is missing.
    for password, messages in REFUSED:
        response = client.post(path, {"password1": password, "password2": password})
        assert response.status_code == 200, password
        errors = response.context["form"].errors["password1"]
        for expected in messages:
            assert any(error.startswith(expected) for error in errors), (password, errors)
        assert len(errors) == len(messages), (password, errors)
    response = client.post(path, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD + "!"})
    assert response.context["form"].errors["password2"] == ["Las contraseñas no coinciden."]
    user.refresh_from_db()
    assert not user.has_usable_password()

    # A strong one is saved: active, logged in, on the portal.
    response = client.post(path, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/portal-de-clientes/"
    user.refresh_from_db()
    assert user.state == UserState.ACTIVE and user.check_password(STRONG_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    portal = client.get(response.url)
    assert portal.status_code == 200
    assert portal.context["user"] == user

    # Logs out: the portal asks for the login again.
    response = client.post("/cuentas/logout/")
    assert response.status_code == 302
    assert client.get("/portal-de-clientes/").status_code == 302

    # Logs in with the e-mail ("Usuario"), whatever its case.
    response = client.post("/cuentas/login/", {"login": "ANA.INVITADA@transportesdelnorte.mx", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/portal-de-clientes/"
    assert client.get("/portal-de-clientes/").context["user"] == user


def test_it_creates_the_organization_from_the_admin_popup(client, superuser, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(superuser)
    add_page = client.get("/admin/accounts/user/add/")
    assert "/admin/accounts/organization/add/?_to_field=id&amp;_popup=1" in add_page.text

    response = client.post(
        "/admin/accounts/organization/add/?_to_field=id&_popup=1",
        {"name": "Logística del Bajío", "rfc": "", "_popup": "1", "_to_field": "id"},
    )
    assert response.status_code == 200
    organization = Organization.objects.get(name="Logística del Bajío")
    assert str(organization.pk) in response.text  # the popup hands the new id back to the user form
