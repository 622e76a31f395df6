"""A ticket's page in the portal: its data, its pipeline and its timeline."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from tests.files import PDF_BYTES, pdf, png
from tickets import services
from tickets.models import Channel, TimelineEntry
from tickets.uploads import validate_upload
from workflows.models import Stage

pytestmark = pytest.mark.django_db
Kind = TimelineEntry.Kind


def detail_url(ticket) -> str:
    return reverse("portal:ticket_detail", kwargs={"number": ticket.number})


def test_it_shows_the_tickets_data(logged_in, client_a):
    ticket = make_ticket(
        requester=client_a,
        area="seguros",
        subject="Renovación de póliza",
        created_at=datetime(2026, 11, 24, 16, 35, tzinfo=UTC),
        vehicle={"vehicle_brand": "Nissan", "vehicle_vin": "3N6AD33A7PK812345", "vehicle_plates": "RFA1234"},
    )
    text = logged_in.get(detail_url(ticket)).text
    assert f"Ticket #{ticket.number}" in text
    assert "Renovación de póliza" in text
    assert "Ana García" in text
    # America/Mexico_City, "24 nov 2026, 10:35" as the issue asks.
    assert "24 nov 2026, 10:35" in text
    assert "Nissan" in text and "3N6AD33A7PK812345" in text and "RFA1234" in text


def test_it_shows_the_pipeline_as_steps(logged_in, client_a):
    ticket = make_ticket(requester=client_a, area="seguros")
    ticket.move_to(Stage.objects.get(area=ticket.area, name="Cotización"), by=None)
    steps = logged_in.get(detail_url(ticket)).context["steps"]
    assert [(step["stage"].name, step["status"]) for step in steps] == [
        ("Abierto", "done"),
        ("Esperando información cliente", "done"),
        ("Cotización", "current"),
        ("Aprobación", "ahead"),
        ("Emisión", "ahead"),
        ("Facturación / entrega", "ahead"),
        ("Cerrado", "ahead"),
    ]


def test_it_shows_the_timeline_with_channels_and_authors(logged_in, client_a, staff_seguros, ticket_a):
    services.entry_add(
        ticket=ticket_a, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Con gusto le ayudamos.", channel=Channel.EMAIL
    )
    services.entry_add(
        ticket=ticket_a, kind=Kind.CONVERSATION, author=staff_seguros, body="Llamada: confirma datos.", channel=Channel.PHONE
    )
    services.entry_add(ticket=ticket_a, kind=Kind.CLIENT_MESSAGE, author=client_a, body="Por WhatsApp.", channel=Channel.WHATSAPP)
    ticket_a.move_to(Stage.objects.get(area=ticket_a.area, name="Cotización"), by=staff_seguros)
    text = logged_in.get(detail_url(ticket_a)).text
    assert "Equipo JHLeasing – Seguros" in text
    assert "Patricia" not in text  # staff speak as their team
    for label in ("vía Portal", "vía Correo", "vía Teléfono", "vía WhatsApp"):
        assert label in text
    assert "El ticket pasó a la etapa <strong>Cotización</strong>" in text
    # In time order.
    assert text.index("Con gusto le ayudamos.") < text.index("Llamada: confirma datos.") < text.index("Por WhatsApp.")


def test_it_hides_internal_notes(logged_in, staff_seguros, ticket_a):
    note = services.entry_add(
        ticket=ticket_a,
        kind=Kind.INTERNAL_NOTE,
        author=staff_seguros,
        body="Cliente difícil, revisar pagos.",
        channel=Channel.INTERNAL,
        attachments=[validate_upload(pdf("interno.pdf"))],
    )
    text = logged_in.get(detail_url(ticket_a)).text
    assert "Cliente difícil" not in text
    assert "interno.pdf" not in text
    attachment = note.attachments.get()
    assert logged_in.get(reverse("portal:attachment_download", kwargs={"pk": attachment.pk})).status_code == 404


def test_it_lets_clients_download_attachments_safely(logged_in, client_a, ticket_a):
    entry = services.entry_add(
        ticket=ticket_a,
        kind=Kind.CLIENT_MESSAGE,
        author=client_a,
        body="Adjunto póliza",
        channel=Channel.PORTAL,
        attachments=[validate_upload(pdf("póliza vigente.pdf"))],
    )
    attachment = entry.attachments.get()
    url = reverse("portal:attachment_download", kwargs={"pk": attachment.pk})
    assert url in logged_in.get(detail_url(ticket_a)).text
    response = logged_in.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_colleague_sees_the_ticket_too(client, colleague_a, ticket_a):
    client.force_login(colleague_a)
    assert client.get(detail_url(ticket_a)).status_code == 200


def test_an_unknown_ticket_is_404(logged_in):
    assert logged_in.get(reverse("portal:ticket_detail", kwargs={"number": 999999})).status_code == 404


@pytest.mark.parametrize("rows", [5, 100])
def test_the_detail_runs_a_constant_number_of_queries(client, client_a, staff_seguros, django_assert_num_queries, rows):
    ticket = make_ticket(requester=client_a, area="seguros")
    stages = list(Stage.objects.filter(area=ticket.area).order_by("position"))
    for n in range(rows):
        if n % 10 == 9:
            ticket.move_to(stages[(n // 10) % 5 + 1], by=staff_seguros)
        author, kind = (staff_seguros, Kind.STAFF_REPLY) if n % 2 else (client_a, Kind.CLIENT_MESSAGE)
        services.entry_add(
            ticket=ticket,
            kind=kind,
            author=author,
            body=f"Mensaje {n}",
            channel=Channel.EMAIL,
            attachments=[validate_upload(pdf()), validate_upload(png())] if n % 3 == 0 else [],
        )
    client.force_login(client_a)
    # session, user, ticket, the area's stages, the current stage's required documents
    # with this ticket's copies (issue 11.3, one query even when the stage asks for
    # none), the timeline, its attachments, and the session's save (savepoint, update,
    # release).
    with django_assert_num_queries(10):
        response = client.get(detail_url(ticket))
    assert response.text.count('class="entry ') >= rows
