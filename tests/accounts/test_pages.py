"""Every page of the flow is in Spanish, in the portal's frame, and has nothing inline
that the Content-Security-Policy would block (no inline script, no style attribute)."""

import re

import pytest

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)

ANONYMOUS_PAGES = {
    "/cuentas/login/": "Iniciar sesión",
    "/cuentas/signup/": "El registro es por invitación",
    "/cuentas/password/reset/": "¿Olvidó su contraseña?",
    "/cuentas/password/reset/done/": "Revise su correo",
    "/cuentas/registrese/": "Regístrese aquí",
    "/cuentas/registrese/enviado/": "Revise su correo",
    "/cuentas/invitacion/no-existe/": "Este enlace ya no es válido",
    "/cuentas/password/reset/key/1-no-existe/": "Este enlace ya no es válido",
}
SIGNED_IN_PAGES = {
    "/cuentas/password/change/": "Cambiar contraseña",
    "/cuentas/logout/": "¿Seguro que desea cerrar la sesión?",
    "/cuentas/2fa/": "Autenticación de doble factor",
}


def assert_portal_page(response, heading):
    assert response.status_code == 200
    html = response.text
    assert '<html lang="es-mx">' in html
    assert "css/portal.css" in html and "css/accounts.css" in html
    assert heading in html
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html)


@pytest.mark.parametrize(("url", "heading"), ANONYMOUS_PAGES.items())
def test_anonymous_pages(client, url, heading):
    assert_portal_page(client.get(url, follow=True), heading)


@pytest.mark.parametrize(("url", "heading"), SIGNED_IN_PAGES.items())
def test_signed_in_pages(client, staff_seguros, url, heading):
    client.force_login(staff_seguros)
    assert_portal_page(client.get(url), heading)


def test_the_rate_limit_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client.post("/cuentas/password/reset/", {"email": "a@ejemplo.mx"})
    response = client.post("/cuentas/password/reset/", {"email": "a@ejemplo.mx"})
    assert response.status_code == 429
    response.status_code = 200  # the rest is the same check as any page
    assert_portal_page(response, "Demasiados intentos")
