"""The vehicle view in a real browser: from a ticket's "Vehículo" block to every ticket
of that vehicle, a new ticket for it prefilled, and Marca/Modelo decoded from the VIN."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from tests.vehicles.conftest import NISSAN, VIN
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fleet(client_a, colleague_a, staff_seguros):
    seguros = make_ticket(requester=client_a, area="seguros", subject="Póliza de la NP300", vehicle=NISSAN)
    make_ticket(requester=colleague_a, area="gestorias", subject="Verificación de la NP300", vehicle=NISSAN)
    siniestro = make_ticket(requester=client_a, area="siniestros", subject="Golpe en la defensa", vehicle=NISSAN)
    siniestro.move_to(siniestro.area.stages.closed().get(), by=staff_seguros)
    return {"seguros": seguros}


def test_a_client_follows_a_vehicle_across_areas_and_opens_a_ticket_for_it(page, login, client_a, password, fleet):
    login(page, client_a.email, password)
    page.goto(reverse("portal:ticket_detail", args=[fleet["seguros"].number]))
    page.get_by_role("link", name="Ver todos los tickets de este vehículo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nissan NP300 2023")
    rows = page.locator("table.ticket-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Golpe en la defensa")
    expect(rows.nth(0)).to_contain_text("Cerrado")
    expect(rows.nth(1)).to_contain_text("Gestorías")
    expect(rows.nth(2)).to_contain_text("Seguros")

    page.get_by_role("link", name="Presentar un ticket para este vehículo").click()
    expect(page.get_by_label("Número de Serie")).to_have_value(VIN)
    expect(page.get_by_label("Marca")).to_have_value("Nissan")
    expect(page.get_by_label("Placas")).to_have_value("RFA1234")
    page.get_by_label("Seguros").check()
    page.get_by_label("Asunto").fill("Endoso por cambio de conductor")
    page.get_by_label("Descripción").fill("Cambió el conductor asignado de la unidad.")
    page.get_by_role("button", name="Enviar").click()
    page.get_by_label("Sí, es una solicitud distinta").check()
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("heading", name="Endoso por cambio de conductor")).to_be_visible()
    assert Ticket.objects.filter(vehicle_vin=VIN).count() == 4


def test_mis_vehiculos_is_in_the_menu(page, login, client_a, password, fleet):
    login(page, client_a.email, password)
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mis vehículos").click()
    expect(page.get_by_role("link", name="Nissan NP300 2023")).to_be_visible()
    expect(page.locator(".vehicle-cards")).to_contain_text("3 tickets")


def test_typing_the_vin_first_fills_marca_and_modelo(page, login, client_a, password):
    login(page, client_a.email, password)
    page.goto(reverse("portal:ticket_new"))
    page.get_by_label("Número de Serie").fill("1HGCM82633A004352")
    expect(page.get_by_label("Marca")).to_have_value("Honda")
    expect(page.get_by_label("Modelo")).to_have_value("2003")
    expect(page.locator("[data-vin-lookup]")).to_contain_text("Honda")
    # A wrong check digit is explained before sending.
    page.get_by_label("Número de Serie").fill("1HGCM82643A004352")
    expect(page.locator("[data-vin-lookup]")).to_have_text(re.compile("dígito verificador"))
