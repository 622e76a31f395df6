"""Staff: the admin's login is allauth's, and with MFA_REQUIRED_FOR_STAFF (on with
production settings) staff enrol a TOTP second factor before reaching the admin."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def current_code(secret: str) -> str:
    """The code an authenticator app shows right now for ``secret``."""
    return f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"


def test_the_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/cuentas/login/?next=%2Fadmin%2F"
    # And the admin itself sends anonymous visitors there too.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/cuentas/login/")


def test_a_client_cannot_use_the_admin_login(client, client_a):
    client.force_login(client_a)
    assert client.get("/admin/login/").status_code == 403


def test_superuser_without_totp_in_production_is_asked_to_enrol(client, superuser, password, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    response = client.post("/cuentas/login/", {"login": superuser.email, "password": password, "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/cuentas/2fa/totp/activate/"
    # allauth asks for the password once more before a security change (reauthentication).
    reauth = client.get(response.url)
    assert reauth.status_code == 302 and reauth.url.startswith("/cuentas/reauthenticate/")
    reauth_page = client.get(reauth.url).text
    assert "Contraseña" in reauth_page
    assert "active primero la verificación en dos pasos" in reauth_page  # why they are here
    response = client.post(reauth.url, {"password": password})
    assert response.status_code == 302 and response.url == "/cuentas/2fa/totp/activate/"
    enrol = client.get(response.url)
    assert enrol.status_code == 200
    assert 'name="code"' in enrol.text
    assert "data:image/svg+xml;base64," in enrol.text  # the QR code, allowed by the CSP's img-src data:
    assert "Activar la aplicación de autenticación" in enrol.text  # allauth's Spanish catalogue
    # Every admin page, not just the index.
    assert client.get("/admin/accounts/user/").url == "/cuentas/2fa/totp/activate/"

    # Enrolling with a code from the authenticator app opens the admin.
    secret = re.search(r'id="authenticator_secret"\s+value="(\w+)"', enrol.text).group(1)
    response = client.post("/cuentas/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_log_in_with_a_code_and_reach_the_admin(client, superuser, password, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)

    response = client.post("/cuentas/login/", {"login": superuser.email, "password": password, "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/cuentas/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not in yet: the code is missing

    response = client.post("/cuentas/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_the_requirement_staff_reach_the_admin_without_totp(client, superuser, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_the_requirement_does_not_touch_clients(client, client_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(client_a)
    assert client.get("/portal-de-clientes/").status_code == 200


@pytest.mark.parametrize(
    ("env", "expected"), [({"DEBUG": "0"}, "True"), ({"DEBUG": "0", "MFA_REQUIRED_FOR_STAFF": "0"}, "False")]
)
def test_production_settings_require_totp_for_staff_by_default(env, expected):
    production = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "soporte.jhl.mx", "DATABASE_URL": "sqlite:///:memory:", **env}
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MFA_REQUIRED_FOR_STAFF", "DJANGO_SETTINGS_MODULE"}}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='jhl_portal.settings'; from django.conf import settings; print(settings.MFA_REQUIRED_FOR_STAFF)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **production}, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == expected, result.stderr
