"""When a ticket closes the client gets one survey e-mail, through the outbound queue."""

import re

import pytest

from emails.models import OutboundEmail
from surveys.models import Survey
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def survey_mails():
    return OutboundEmail.objects.filter(template="survey_request")


def test_closing_a_ticket_queues_one_survey_for_the_requester(closed_ticket, settings):
    survey = Survey.objects.get(ticket=closed_ticket)
    assert survey.area == closed_ticket.area and survey.sent_to == "ana@transportesdelnorte.mx"
    mail = survey_mails().get()
    assert mail.to == ["ana@transportesdelnorte.mx"]
    assert mail.subject == f"[Ticket #{closed_ticket.number}] ¿Cómo le atendimos? Califique su ticket cerrado"
    # The signed token carries the time it was made: read it back rather than re-make it.
    token = re.search(rf"{re.escape(settings.SITE_URL)}/encuesta/([^/\s]+)/", mail.text).group(1)
    assert Survey.pk_from_token(token) == survey.pk
    for value in range(1, 6):
        assert f"/encuesta/{token}/?calificacion={value}" in mail.html


def test_reopening_and_closing_again_sends_no_second_survey(closed_ticket, close, reopen):
    reopen(closed_ticket)
    close(closed_ticket)
    assert Survey.objects.filter(ticket=closed_ticket).count() == 1
    assert survey_mails().count() == 1


def test_moving_between_open_stages_sends_nothing(client_a, committed, staff_seguros):
    ticket = make_ticket(requester=client_a, area="seguros")
    committed(ticket.move_to, ticket.area.stages.open().order_by("position")[1], by=staff_seguros)
    assert not Survey.objects.exists() and not survey_mails().exists()


def test_an_inactive_requester_gets_no_mail_but_the_ticket_counts_as_surveyed(client_a, close):
    ticket = make_ticket(requester=client_a, area="gestorias")
    client_a.is_active = False
    client_a.save()
    close(ticket)
    assert Survey.objects.get(ticket=ticket).sent_to == ""
    assert not survey_mails().exists()


def test_demo_data_and_imports_send_no_survey(client_a, staff_seguros, django_capture_on_commit_callbacks):
    from tickets import events

    ticket = make_ticket(requester=client_a, area="seguros")
    with events.muted(), django_capture_on_commit_callbacks(execute=True):
        ticket.move_to(ticket.area.stages.closed().get(), by=staff_seguros)
    assert not Survey.objects.exists()
