"""Issue 9, point 1: malformed MIME and mail with no From wait for staff under Correo,
raw bytes downloadable, and staff add them to a ticket or open a ticket from them."""

import pytest
from django.urls import reverse

from emails.inbound import ingest
from emails.models import InboundEmail
from tests.emails.conftest import load_eml
from tickets.models import TimelineEntry
from workflows.models import Area

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
Kind = TimelineEntry.Kind
CHANGELIST = "admin:emails_inboundemail_changelist"


@pytest.fixture
def broken(receive, ticket_a, staff_seguros, deliver, mailoutbox):
    """The reply with a broken boundary, received once the ticket's own mail went out."""
    deliver()
    mailoutbox.clear()
    inbound, _ = receive("37_broken_boundary_reply.eml")
    return inbound


def test_a_broken_boundary_reply_is_held_not_appended(broken, ticket_a, deliver):
    assert broken.outcome == Outcome.REVIEW and broken.rule == "malformed"
    assert "StartBoundaryNotFoundDefect" in broken.detail
    assert broken.ticket == ticket_a and broken.entry is None
    assert broken.text == ""
    assert list(ticket_a.entries.values_list("kind", flat=True)) == [Kind.CLIENT_MESSAGE]  # only the first message
    assert deliver() == []  # no notice to the client, nothing to the team


def test_staff_of_the_ticket_see_it_and_download_its_raw_bytes(broken, client, staff_seguros, staff_gestorias):
    client.force_login(staff_seguros)
    listing = client.get(reverse(CHANGELIST), {"outcome__exact": "review"})
    assert "Re: [Ticket #" in listing.text and "malformed" in listing.text
    page = client.get(reverse("admin:emails_inboundemail_change", args=[broken.pk]))
    assert "La estructura MIME del correo está dañada" in page.text
    assert "Descargar el .eml original" in page.text
    download = client.get(reverse("admin:emails_inboundemail_raw", args=[broken.pk]))
    assert download.content == bytes(InboundEmail.objects.get(pk=broken.pk).raw)
    assert b"------=_Part_9999_actual" in download.content

    client.force_login(staff_gestorias)  # another area's team: the ticket's mail is not theirs
    assert client.get(reverse("admin:emails_inboundemail_raw", args=[broken.pk])).status_code == 404


def test_staff_add_it_to_the_ticket_with_the_text_and_file_its_body_really_holds(
    broken, ticket_a, client, staff_seguros, client_a, committed, deliver
):
    client.force_login(staff_seguros)
    form = client.post(reverse(CHANGELIST), {"action": "add_to_ticket", "_selected_action": [broken.pk]})
    assert "Añadir un correo a un ticket" in form.text
    assert f'value="{ticket_a.number}"' in form.text  # the ticket it names, proposed

    with committed.capture():
        done = client.post(
            reverse(CHANGELIST),
            {
                "action": "add_to_ticket",
                "_selected_action": [broken.pk],
                "apply": "1",
                "number": ticket_a.number,
                "author": client_a.pk,
            },
        )
    assert done.status_code == 302
    broken.refresh_from_db()
    assert broken.outcome == Outcome.ADDED
    entry = broken.entry
    assert entry.ticket == ticket_a and entry.author == client_a and entry.channel == "email"
    assert entry.body == "Adjunto la foto de la póliza firmada; la mandé desde el sistema de la empresa."
    assert [a.original_name for a in entry.attachments.all()] == ["poliza-firmada.jpg"]
    assert [m.to for m in deliver()] == [["patricia@jhl.mx"]]  # the team hears of it, as of any reply


def test_a_held_message_is_added_only_in_the_name_of_someone_who_may_write(broken, ticket_a, client, staff_seguros, client_b):
    client.force_login(staff_seguros)
    data = {"action": "add_to_ticket", "_selected_action": [broken.pk], "apply": "1", "number": ticket_a.number}
    response = client.post(reverse(CHANGELIST), {**data, "author": client_b.pk}, follow=True)

    assert "no es el solicitante ni pertenece a la organización" in response.text
    broken.refresh_from_db()
    assert broken.outcome == Outcome.REVIEW and broken.entry is None

    other = client.post(reverse(CHANGELIST), {**data, "number": 999999, "author": client_b.pk})
    assert "No existe un ticket con ese número" in other.text


def test_a_message_with_no_from_is_held_and_staff_open_a_ticket_from_it(committed, client, staff_seguros, client_a, deliver):
    inbound, created = committed(ingest, load_eml("38_no_from.eml"), source="imap")

    assert created and inbound.outcome == Outcome.REVIEW and inbound.rule == "no_sender"
    assert inbound.from_address == "" and inbound.ticket is None
    assert deliver() == []

    client.force_login(staff_seguros)
    listing = client.get(reverse(CHANGELIST), {"outcome__exact": "review"})
    assert "Solicitud de cotización desde el formulario web" in listing.text
    seguros = Area.objects.get(slug="seguros")
    with committed.capture():
        client.post(
            reverse(CHANGELIST),
            {
                "action": "convert_to_ticket",
                "_selected_action": [inbound.pk],
                "apply": "1",
                "requester": client_a.pk,
                "area": seguros.pk,
            },
        )
    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.CONVERTED
    ticket = inbound.ticket
    assert ticket.requester == client_a and ticket.area == seguros
    assert ticket.subject == "Solicitud de cotización desde el formulario web"
    assert ticket.description.endswith("Mensaje: Quiero cotizar el seguro de dos tractocamiones.")
    assert any(m.to == ["ana@transportesdelnorte.mx"] for m in deliver())
