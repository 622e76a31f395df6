"""The satisfaction survey on a phone: the e-mail's link, a rating, a comment, once."""

import re

import pytest
from playwright.sync_api import expect

from emails.models import OutboundEmail
from surveys.models import Survey
from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # A phone-sized screen: clients open the e-mail on their phone.
    return {**browser_context_args, "viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_a_client_rates_a_closed_ticket_from_the_email_link_once(page, client_a, staff_seguros, live_server):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza de flotilla")
    ticket.move_to(ticket.area.stages.closed().get(), by=staff_seguros)
    mail = OutboundEmail.objects.get(template="survey_request")
    link = re.search(r"href=\"(http[^\"]+calificacion=4)\"", mail.html).group(1)
    path = link.split("/", 3)[3]

    page.goto(f"{live_server.url}/{path}")
    expect(page.get_by_role("heading", name="¿Cómo le atendimos?")).to_be_visible()
    expect(page.get_by_label("4 · Satisfecho")).to_be_checked()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("5 · Muy satisfecho").check()
    page.get_by_label("Comentario (opcional)").fill("Muy rápidos, gracias.")
    page.get_by_role("button", name="Enviar mi opinión").click()
    expect(page.get_by_role("heading", name="¡Gracias por su opinión!")).to_be_visible()
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.rating, survey.comment) == (5, "Muy rápidos, gracias.")

    page.goto(f"{live_server.url}/{path}")
    expect(page.get_by_role("heading", name="¡Gracias por su opinión!")).to_be_visible()
    expect(page.get_by_role("button", name="Enviar mi opinión")).to_have_count(0)
