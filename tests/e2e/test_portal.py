"""The client portal in a real browser (issue 5): list, search, filters, detail,
replies, the closed-ticket notice, the new-ticket form and a phone-sized screen."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from tests.files import PDF_BYTES
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry
from tickets.vehicles import vin_check_digit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_URL = reverse("portal:ticket_list")
GOOD_VIN = "3N6AD33A7PK812345"
assert vin_check_digit(GOOD_VIN) == GOOD_VIN[8]
BAD_VIN = "3N6AD33A3PK812345"


def pdf_file(name="poliza.pdf") -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


@pytest.fixture
def tickets(client_a, colleague_a, client_b, staff_seguros):
    """Ana's tickets in three areas (one closed), a colleague's, and another company's."""
    poliza = make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza de flotilla")
    services.entry_add(
        ticket=poliza,
        kind=TimelineEntry.Kind.STAFF_REPLY,
        author=staff_seguros,
        body="Con gusto. Le enviamos la cotización esta semana.",
        channel=Channel.EMAIL,
    )
    gestoria = make_ticket(requester=client_a, area="gestorias", subject="Trámite de gestoría vehicular")
    parabrisas = make_ticket(requester=client_a, area="siniestros", subject="Parabrisas estrellado")
    parabrisas.move_to(parabrisas.area.stages.closed().get(), by=staff_seguros)
    colega = make_ticket(requester=colleague_a, area="tecnologia-it", subject="Alta de usuario para compras")
    ajeno = make_ticket(requester=client_b, area="seguros", subject="Cotización de seguro Constructora")
    return {"poliza": poliza, "gestoria": gestoria, "parabrisas": parabrisas, "colega": colega, "ajeno": ajeno}


@pytest.fixture
def ana(page, login, client_a, password, tickets):
    """Ana, signed in, on her ticket list."""
    login(page, client_a.email, password)
    return page


def rows(page):
    return page.locator("table.ticket-table tbody tr")


def test_a_client_signs_in_and_sees_her_tickets(page, login, client_a, password, tickets):
    login(page, client_a.email, password)
    expect(page).to_have_url(re.compile(f"{LIST_URL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis tickets")
    expect(rows(page)).to_have_count(3)
    table = page.locator("table.ticket-table")
    for header in ("ID", "Asunto", "Área", "Creado", "Última actividad", "Estado"):
        expect(table.get_by_role("columnheader", name=header, exact=False).first).to_be_visible()
    expect(table).to_contain_text("Renovación de póliza de flotilla")
    expect(table).to_contain_text("Cerrado")
    expect(table).not_to_contain_text("Alta de usuario para compras")
    expect(table).not_to_contain_text("Constructora")
    # Keyboard users can skip the header straight to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Saltar al contenido")).to_be_focused()


def test_search_ignores_accents_and_finds_numbers(ana, tickets):
    search = ana.get_by_label("Buscar por asunto o número")
    for query, subject in (
        ("poliza", "Renovación de póliza"),
        ("Gestoría", "Trámite de gestoría"),
        ("GESTORIA", "Trámite de gestoría"),
    ):
        search.fill(query)
        search.press("Enter")
        expect(rows(ana)).to_have_count(1)
        expect(rows(ana).first).to_contain_text(subject)
    search.fill(str(tickets["parabrisas"].number))
    search.press("Enter")
    expect(rows(ana)).to_have_count(1)
    expect(rows(ana).first).to_contain_text("Parabrisas estrellado")
    search.fill("no existe nada así")
    search.press("Enter")
    expect(ana.get_by_role("heading", name="Ningún ticket coincide con la búsqueda")).to_be_visible()
    ana.get_by_role("link", name="Quitar filtros").first.click()
    expect(rows(ana)).to_have_count(3)


def test_switching_to_the_organization_and_filtering_by_state(ana):
    # The address keeps the view, so it can be bookmarked and shared.
    ana.get_by_label("Ver").select_option(label="Tickets de la organización")
    ana.get_by_role("button", name="Filtrar").click()
    expect(ana).to_have_url(re.compile(r"ver=organizacion"))
    expect(ana.get_by_role("heading", level=1)).to_have_text("Tickets de la organización")
    expect(rows(ana)).to_have_count(4)
    expect(ana.locator("table.ticket-table")).to_contain_text("Abierto por Luis Pérez")
    ana.get_by_label("Estado").select_option(label="Cerrado")
    ana.get_by_role("button", name="Filtrar").click()
    expect(ana).to_have_url(re.compile(r"estado=cerrado"))
    expect(rows(ana)).to_have_count(1)
    expect(rows(ana).first).to_contain_text("Parabrisas estrellado")
    ana.get_by_label("Estado").select_option(label="Abierto")
    ana.get_by_role("button", name="Filtrar").click()
    expect(rows(ana)).to_have_count(3)
    ana.get_by_label("Ver").select_option(label="Mis tickets")
    ana.get_by_role("button", name="Filtrar").click()
    expect(rows(ana)).to_have_count(2)


def test_opening_a_ticket_and_replying_with_a_pdf(ana, tickets):
    ana.get_by_role("link", name="Renovación de póliza de flotilla").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Renovación de póliza de flotilla")
    timeline = ana.locator("ol.timeline")
    expect(timeline).to_contain_text("Equipo JHLeasing – Seguros")
    expect(timeline).to_contain_text("vía Correo")
    expect(ana.locator(".steps [aria-current=step]")).to_contain_text("Abierto")

    ana.get_by_label("Su mensaje").fill("Les envío la póliza anterior como referencia.")
    ana.get_by_label("Adjuntar archivos").set_input_files([pdf_file("póliza 2025.pdf")])
    ana.get_by_role("button", name="Enviar mensaje").click()
    expect(ana.locator(".message-success")).to_contain_text("Mensaje enviado")
    last = timeline.locator("li.entry").last
    expect(last).to_contain_text("Les envío la póliza anterior como referencia.")
    expect(last).to_contain_text("Ana García")
    with ana.expect_download() as download_info:
        last.get_by_role("link", name="póliza 2025.pdf").click()
    assert download_info.value.suggested_filename == "póliza 2025.pdf"
    assert Ticket.objects.get(pk=tickets["poliza"].pk).entries.last().attachments.count() == 1


def test_a_closed_ticket_offers_a_new_ticket_instead_of_a_reply(ana, tickets):
    ana.goto(reverse("portal:ticket_detail", kwargs={"number": tickets["parabrisas"].number}))
    notice = ana.locator(".notice-closed")
    expect(notice).to_contain_text("Ya no se pueden enviar mensajes en este ticket.")
    expect(ana.get_by_label("Su mensaje")).to_have_count(0)
    notice.get_by_role("link", name="Presentar un ticket de asistencia técnica").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Solicitud de nuevo ticket de asistencia")
    expect(ana.get_by_role("radio", name=re.compile("^Siniestros"))).to_be_checked()


def fill_new_ticket(page, *, vin=GOOD_VIN, area="Gestorías"):
    page.get_by_role("radio", name=re.compile(f"^{area}")).check()
    page.get_by_label("Asunto").fill("Verificación de la Frontier")
    page.get_by_label("Descripción").fill("Necesitamos agendar la verificación del segundo semestre.")
    page.get_by_label("Cargar un archivo").set_input_files([pdf_file("tarjeta de circulación.pdf")])
    page.get_by_label("Marca").fill("Nissan")
    page.get_by_label("Línea").fill("NP300 Frontier")
    page.get_by_label("Modelo").fill("2023")
    page.get_by_label("Número de Serie").fill(vin)
    page.get_by_label("Color").fill("Blanco")
    page.get_by_label("Placas").fill("rfa 12-34")


def test_creating_a_ticket_with_vehicle_data_and_a_pdf(ana, client_a):
    ana.get_by_role("banner").get_by_role("link", name="Presentar un ticket de asistencia técnica").click()
    expect(ana.get_by_label("Nombre y apellidos")).to_have_value("Ana García")
    expect(ana.get_by_label("Correo electrónico")).to_have_value(client_a.email)
    expect(ana.get_by_label("Correo electrónico")).to_be_disabled()
    fill_new_ticket(ana)
    # Ana has an open Gestorías ticket: the form shows it before she sends (static JS).
    expect(ana.locator("#duplicates")).to_be_visible()
    expect(ana.locator("#duplicates")).to_contain_text("Trámite de gestoría vehicular")
    ana.get_by_label("Sí, es una solicitud distinta").check()
    ana.get_by_role("button", name="Enviar", exact=True).click()

    ticket = Ticket.objects.get(subject="Verificación de la Frontier")
    expect(ana).to_have_url(re.compile(reverse("portal:ticket_detail", kwargs={"number": ticket.number}) + "$"))
    expect(ana.locator(".message-success")).to_contain_text(f"es el ticket #{ticket.number}")
    vehicle = ana.locator("section[aria-labelledby=vehiculo]")
    expect(vehicle).to_contain_text(GOOD_VIN)
    expect(vehicle).to_contain_text("RFA1234")
    expect(ana.locator("ol.timeline")).to_contain_text("tarjeta de circulación.pdf")
    expect(ana.locator(".steps [aria-current=step]")).to_contain_text("Abierto")
    assert (ticket.channel, ticket.stage, ticket.vehicle_year) == (Channel.PORTAL, ticket.area.first_stage(), 2023)


def test_a_wrong_vin_is_explained_and_the_form_stays_filled(ana):
    ana.goto(reverse("portal:ticket_new"))
    fill_new_ticket(ana, vin=BAD_VIN, area="Tecnología IT")
    ana.get_by_role("button", name="Enviar", exact=True).click()
    expect(ana.locator(".form-errors")).to_be_focused()
    expect(ana.locator(".field-invalid")).to_contain_text("su dígito verificador no coincide")
    # The PDF passed its check: the server keeps it (issue 8.1), so it need not be chosen again.
    expect(ana.locator("#held-file")).to_contain_text("Conservamos su archivo tarjeta de circulación.pdf")
    expect(ana.get_by_label("Asunto")).to_have_value("Verificación de la Frontier")
    expect(ana.get_by_label("Marca")).to_have_value("Nissan")
    expect(ana.get_by_label("Número de Serie")).to_have_value(BAD_VIN)
    expect(ana.get_by_role("radio", name=re.compile("^Tecnología IT"))).to_be_checked()
    assert not Ticket.objects.filter(subject="Verificación de la Frontier").exists()

    ana.get_by_label("Número de Serie").fill(GOOD_VIN)
    ana.get_by_role("button", name="Enviar", exact=True).click()
    expect(ana.locator(".message-success")).to_contain_text("Recibimos su solicitud")
    assert Ticket.objects.filter(subject="Verificación de la Frontier").count() == 1
    expect(ana.locator("ol.timeline")).to_contain_text("tarjeta de circulación.pdf")


@pytest.mark.parametrize("path", ["list", "detail", "new"])
def test_the_portal_fits_a_phone(ana, tickets, path):
    ana.set_viewport_size({"width": 375, "height": 740})
    url = {
        "list": LIST_URL,
        "detail": reverse("portal:ticket_detail", kwargs={"number": tickets["poliza"].number}),
        "new": reverse("portal:ticket_new"),
    }[path]
    ana.goto(url)
    # Nothing wider than the screen: no sideways scrolling.
    assert ana.evaluate("document.documentElement.scrollWidth") <= 375
    expect(ana.get_by_role("banner").get_by_role("link", name="Presentar un ticket de asistencia técnica")).to_be_visible()
    if path == "list":
        # The table becomes one card per ticket, each value labelled by its column.
        label = ana.evaluate("getComputedStyle(document.querySelector('.ticket-table td:last-child'), '::before').content")
        assert label == '"Estado"'
        # The column headers remain as sort links above the cards.
        ana.locator("thead").get_by_role("link", name="Asunto").click()
        expect(ana).to_have_url(re.compile(r"orden=asunto"))
        ana.locator("thead").get_by_role("link", name="Asunto").click()
        expect(ana).to_have_url(re.compile(r"orden=-asunto"))
        expect(rows(ana).first).to_contain_text("Trámite de gestoría vehicular")
        rows(ana).first.get_by_role("link").nth(1).click()
        expect(ana.locator("ol.timeline")).to_be_visible()
