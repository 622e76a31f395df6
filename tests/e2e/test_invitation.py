"""From the invitation to the first login, in a real Chromium (issue 3): the rules are
ticked as the client types, the password is saved, the client lands on the portal and
can log in again with the e-mail — on a desktop and on a 375 px wide phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Flotilla#2026 del Norte"


@pytest.fixture
def invitation_url(org_a):
    user = User.objects.create_user(
        email="ana.nueva@transportesdelnorte.mx", first_name="Ana", last_name="Nueva", organization=org_a
    )
    token = services.invitation_send(user=user)
    return f"/cuentas/invitacion/{token}/"


def account_errors(page):
    """Console errors on the accounts pages (a CSP violation of an inline script shows here)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and "/cuentas/" in page.url and errors.append(message.text))
    return errors


def rule(page, name):
    return page.locator(f".password-rules [data-rule='{name}']")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"])
def test_a_client_goes_from_the_invitation_to_the_portal(page, invitation_url, login, viewport):
    page.set_viewport_size(viewport)
    errors = account_errors(page)
    page.goto(invitation_url)
    expect(page.get_by_role("heading", name="Establecer la contraseña")).to_be_visible()

    # The rules are ticked live by static/js/password-policy.js.
    password = page.get_by_label("Contraseña", exact=True)
    confirm = page.get_by_label("Confirmar contraseña")
    password.fill("norte")
    for name in ["length", "case", "digit", "symbol"]:
        expect(rule(page, name)).not_to_have_class(re.compile("rule-met"))
    password.fill("Norte2026")
    for name in ["length", "case", "digit"]:
        expect(rule(page, name)).to_have_class(re.compile("rule-met"))
    expect(rule(page, "symbol")).not_to_have_class(re.compile("rule-met"))
    password.fill(PASSWORD)
    expect(rule(page, "symbol")).to_have_class(re.compile("rule-met"))
    expect(rule(page, "match")).not_to_have_class(re.compile("rule-met"))
    confirm.fill(PASSWORD)
    expect(rule(page, "match")).to_have_class(re.compile("rule-met"))

    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="Guardar contraseña").click()
    page.wait_for_url(re.compile(r"/portal-de-clientes/$"))
    expect(page.get_by_role("heading", name="Mis tickets")).to_be_visible()

    # The link was single-use.
    page.context.clear_cookies()
    page.goto(invitation_url)
    expect(page.get_by_role("heading", name="Este enlace ya no es válido")).to_be_visible()
    expect(page.get_by_role("link", name="Regístrese aquí").first).to_be_visible()

    # And the client logs in with the e-mail.
    login(page, "ana.nueva@transportesdelnorte.mx", PASSWORD)
    expect(page).to_have_url(re.compile(r"/portal-de-clientes/$"))
    assert errors == []


def test_the_set_password_page_works_without_javascript(browser, live_server, invitation_url):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="es-MX")
    page = context.new_page()
    page.goto(invitation_url)
    expect(page.get_by_text("Debe incluir al menos un dígito del 0 al 9.")).to_be_visible()
    page.get_by_label("Contraseña", exact=True).fill("norte2026")
    page.get_by_label("Confirmar contraseña").fill("norte2026")
    page.get_by_role("button", name="Guardar contraseña").click()
    expect(page.get_by_text("Falta una letra mayúscula.")).to_be_visible()
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmar contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Guardar contraseña").click()
    page.wait_for_url(re.compile(r"/portal-de-clientes/$"))
    context.close()
