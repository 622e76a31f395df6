"""Replying to a ticket from the portal (seed 001: only while it is Abierto)."""

import pytest
from django.urls import reverse

from tests.files import fake_pdf, pdf, png, refused_uploads, stored_files
from tickets import events, services
from tickets.models import Attachment, Channel, TimelineEntry

pytestmark = pytest.mark.django_db


def reply_url(ticket) -> str:
    return reverse("portal:ticket_reply", kwargs={"number": ticket.number})


@pytest.fixture
def closed_ticket(ticket_a, staff_seguros):
    ticket_a.move_to(ticket_a.area.stages.closed().get(), by=staff_seguros)
    return ticket_a


def test_it_adds_the_message_to_the_timeline(logged_in, client_a, ticket_a, django_capture_on_commit_callbacks):
    before = ticket_a.last_activity_at
    announced = []
    events.entry_recorded.connect(lambda entry, **kw: announced.append(entry), weak=False, dispatch_uid="test-reply")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post(reply_url(ticket_a), {"body": "Les envío la factura.", "files": [pdf(), png()]})
    finally:
        events.entry_recorded.disconnect(dispatch_uid="test-reply")
    entry = TimelineEntry.objects.filter(ticket=ticket_a).last()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entrada-{entry.pk}")
    assert (entry.kind, entry.channel, entry.author, entry.body) == (
        TimelineEntry.Kind.CLIENT_MESSAGE,
        Channel.PORTAL,
        client_a,
        "Les envío la factura.",
    )
    assert [a.content_type for a in entry.attachments.all()] == ["application/pdf", "image/png"]
    ticket_a.refresh_from_db()
    assert ticket_a.last_activity_at > before
    # The e-mail app listens to this to notify the area's team.
    assert announced == [entry]
    assert "Les envío la factura." in logged_in.get(response["Location"]).text


def test_it_refuses_a_file_that_is_not_what_its_name_says(logged_in, ticket_a):
    response = logged_in.post(reply_url(ticket_a), {"body": "Mi texto se queda", "files": [fake_pdf()]})
    assert response.status_code == 400
    assert "no es un archivo PDF, JPG, PNG válido" in response.text
    assert "vuelva a seleccionarlos" in response.text
    assert "Mi texto se queda" in response.text
    assert TimelineEntry.objects.filter(ticket=ticket_a).count() == 1
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("words", list(refused_uploads()))
def test_a_file_refused_by_its_structure_or_name_is_named_at_the_field_and_nothing_is_stored(
    logged_in, ticket_a, settings, words
):
    response = logged_in.post(reply_url(ticket_a), {"body": "Mi texto se queda", "files": [pdf(), refused_uploads()[words]]})
    assert response.status_code == 400
    form = response.context["reply_form"]
    assert words in form.errors["files"][0]
    assert words in response.text
    assert form["body"].value() == "Mi texto se queda"
    assert TimelineEntry.objects.filter(ticket=ticket_a).count() == 1
    assert not Attachment.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_it_refuses_more_files_than_the_limit(logged_in, ticket_a, settings):
    settings.ATTACHMENT_MAX_FILES = 2
    response = logged_in.post(reply_url(ticket_a), {"body": "Tres", "files": [pdf(), pdf(), pdf()]})
    assert response.status_code == 400
    assert "como máximo 2 archivos" in response.text
    assert not Attachment.objects.exists()


def test_it_refuses_files_over_the_size_limit(logged_in, ticket_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    response = logged_in.post(reply_url(ticket_a), {"body": "Grande", "files": [pdf()]})
    assert response.status_code == 400
    assert "el máximo es 50" in response.text


def test_it_asks_for_a_message_or_a_file(logged_in, ticket_a):
    response = logged_in.post(reply_url(ticket_a), {"body": "   "})
    assert response.status_code == 400
    assert "Escriba un mensaje o adjunte un archivo." in response.text


def test_a_closed_ticket_shows_a_notice_instead_of_the_form(logged_in, closed_ticket):
    text = logged_in.get(reverse("portal:ticket_detail", kwargs={"number": closed_ticket.number})).text
    assert "Este ticket está cerrado" in text
    assert reply_url(closed_ticket) not in text
    assert reverse("portal:ticket_new") in text


def test_a_closed_ticket_refuses_replies_and_stores_nothing(logged_in, closed_ticket):
    entries = TimelineEntry.objects.filter(ticket=closed_ticket).count()
    response = logged_in.post(reply_url(closed_ticket), {"body": "¿Hola?", "files": [pdf()]}, follow=True)
    assert "Este ticket está cerrado y ya no admite mensajes." in response.text
    assert TimelineEntry.objects.filter(ticket=closed_ticket).count() == entries
    assert not Attachment.objects.exists()


def test_a_get_of_the_reply_url_leads_to_the_ticket(logged_in, ticket_a):
    response = logged_in.get(reply_url(ticket_a))
    assert response["Location"] == reverse("portal:ticket_detail", kwargs={"number": ticket_a.number})


@pytest.mark.parametrize("rows", [5, 100])
def test_a_reply_runs_a_constant_number_of_queries(
    logged_in, ticket_a, staff_seguros, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    for n in range(rows):
        kind = TimelineEntry.Kind.STAFF_REPLY if n % 2 else TimelineEntry.Kind.CLIENT_MESSAGE
        author = staff_seguros if n % 2 else ticket_a.requester
        services.entry_add(ticket=ticket_a, kind=kind, author=author, body=f"Mensaje {n}", channel=Channel.EMAIL)
    # Whatever the timeline's length: the session and user, the ticket, its last
    # activity (the UPDATE that also locks it and checks it is open), the message, the
    # session's save (4 savepoint queries in all) and the one task that e-mails the
    # area's team from a worker.
    with django_assert_num_queries(11), django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(reply_url(ticket_a), {"body": "Les envío la factura."})
    assert response.status_code == 302
