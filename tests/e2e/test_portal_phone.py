"""The portal at phone size (issue 8.2): nothing scrolls sideways at 375 px, filtered
lists and the help page included, and nothing is cut off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from workflows.models import Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
LIST_URL = reverse("portal:ticket_list")


@pytest.fixture
def waiting_ticket(client_a, colleague_a):
    """A ticket with the longest status there is, a vehicle and a long subject."""
    ticket = make_ticket(
        requester=client_a,
        area="siniestros",
        subject="Robo de batería en la noche, en el estacionamiento del almacén",
        vehicle={"vehicle_brand": "Nissan", "vehicle_vin": "3N6AD33A7PK812345", "vehicle_plates": "RFA1234"},
    )
    ticket.move_to(Stage.objects.get(area=ticket.area, name="Esperando información cliente"), by=None)
    make_ticket(requester=colleague_a, area="seguros", subject="Robo total de unidad asegurada")
    return ticket


@pytest.fixture
def phone(page, login, client_a, password, waiting_ticket):
    login(page, client_a.email, password)
    page.set_viewport_size(PHONE)
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


@pytest.mark.parametrize("query", ["?estado=abierto", "?q=robo", "?ver=organizacion&estado=abierto&q=robo"])
def test_a_filtered_list_fits_a_phone(phone, query):
    phone.goto(LIST_URL + query)
    assert page_width(phone) <= PHONE["width"]
    clear = phone.locator(".filters").get_by_role("link", name="Quitar filtros")
    expect(clear).to_be_visible()
    assert right_edge(clear) <= PHONE["width"]
    # The long status wraps inside its card instead of being clipped.
    pill = phone.locator("table.ticket-table .badge-waiting").first
    expect(pill).to_have_text("Abierto-Esperando información cliente")
    assert pill.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert right_edge(pill) <= right_edge(phone.locator("table.ticket-table tbody tr").first)


def test_a_tickets_page_fits_a_phone_and_its_cards_take_the_full_width(phone, waiting_ticket):
    phone.goto(reverse("portal:ticket_detail", kwargs={"number": waiting_ticket.number}))
    assert page_width(phone) <= PHONE["width"]
    widths = {
        name: phone.locator(f"section[aria-labelledby={name}]").bounding_box()["width"]
        for name in ("datos", "avance", "vehiculo", "historial")
    }
    assert len(set(widths.values())) == 1, widths
    pill = phone.locator(".ticket-head .badge")
    assert right_edge(pill) <= PHONE["width"]


def test_the_help_page_fits_a_phone_and_its_tables_are_reachable_by_keyboard(phone):
    phone.goto(reverse("help:ticket_states"))
    assert page_width(phone) <= PHONE["width"]
    regions = phone.locator(".table-wrap")
    assert regions.count() == 4
    for index in range(regions.count()):
        region = regions.nth(index)
        # Nothing hidden to the side of its own scroll region either.
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert region.get_attribute("tabindex") == "0"
    gestorias = phone.get_by_role("region", name="Etapas del proceso de Gestorías")
    gestorias.focus()
    expect(gestorias).to_be_focused()
