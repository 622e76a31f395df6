"""Who is e-mailed about a ticket, with what, and how the messages are threaded."""

import re

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from emails import addressing
from emails.models import OutboundEmail
from tests.factories import make_ticket
from tests.files import pdf
from tickets import services
from tickets.models import Channel, TimelineEntry
from tickets.uploads import validate_upload
from workflows.models import Stage

pytestmark = pytest.mark.django_db
Kind = TimelineEntry.Kind


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.fixture
def new_ticket(committed, client_a, staff_seguros):
    """A Seguros ticket with vehicle data, opened by Ana through the services."""
    return committed(
        make_ticket,
        requester=client_a,
        area="seguros",
        subject="Renovación de póliza de flotilla",
        description="Necesito renovar la póliza de las 12 unidades antes del 30 de noviembre.",
        vehicle={"vehicle_brand": "Nissan", "vehicle_line": "NP300", "vehicle_year": 2024, "vehicle_plates": "abc-123-d"},
        attachments=[validate_upload(pdf("poliza.pdf"))],
    )


class Interrupted(Exception):
    pass


def test_the_notification_commits_with_the_write_it_tells_of(client_a, staff_seguros):
    """The task is written in the ticket's (or entry's) own transaction: a write rolled
    back leaves no task, and one that commits cannot lose its notification afterwards."""
    with pytest.raises(Interrupted), transaction.atomic():
        make_ticket(requester=client_a, area="seguros", subject="Se deshace")
        raise Interrupted
    assert not DBTaskResult.objects.exists()

    # No on_commit callback runs in this test: the tasks are there before any commit.
    ticket = make_ticket(requester=client_a, area="seguros", subject="Se queda")
    entry = services.entry_add(ticket=ticket, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Listo.", channel=Channel.EMAIL)
    assert sorted(DBTaskResult.objects.values_list("task_path", "args_kwargs__args")) == [
        ("emails.tasks.notify_entry_recorded", [entry.pk]),
        ("emails.tasks.notify_ticket_created", [ticket.pk]),
    ]


def test_a_new_ticket_mails_the_client_everything_about_the_case(new_ticket, deliver, settings):
    sent = {m.to[0]: m for m in deliver()}

    mail = sent["ana@transportesdelnorte.mx"]
    number = new_ticket.number
    assert mail.subject == f"[Ticket #{number}] Recibimos su requerimiento: Renovación de póliza de flotilla"
    assert "&" not in mail.subject
    for part in (mail.body, html_of(mail)):
        assert f"#{number}" in part
        assert "Seguros" in part
        assert "Abierto" in part
        assert "Necesito renovar la póliza de las 12 unidades" in part
        assert "Marca: Nissan, Línea: NP300, Modelo: 2024, Placas: ABC123D" in part
        assert "Patricia Mendoza" in part  # the team that handles it (seed 000)
        assert "poliza.pdf" in part
        assert f"{settings.SITE_URL}/portal-de-clientes/{number}/" in part


def test_a_new_ticket_tells_the_areas_team(new_ticket, deliver):
    sent = {m.to[0]: m for m in deliver()}

    team_mail = sent["patricia@jhl.mx"]
    assert team_mail.subject == f"[Ticket #{new_ticket.number}] Nuevo ticket de Seguros: Renovación de póliza de flotilla"
    assert "Ana García (Transportes del Norte) abrió un ticket por Portal" in team_mail.body
    assert f"/admin/tickets/ticket/{new_ticket.pk}/change/" in team_mail.body
    assert team_mail.reply_to == []  # staff answer in the panel, not by replying


def test_without_team_members_the_areas_own_address_is_told(committed, client_a, deliver):
    committed(make_ticket, requester=client_a, area="gestorias", subject="Verificación")
    assert sorted(m.to[0] for m in deliver()) == ["ana@transportesdelnorte.mx", "gestorias@jhl.mx"]


def test_every_ticket_email_is_threaded_and_names_the_ticket_unforgeably(new_ticket, deliver):
    mail = next(m for m in deliver() if m.to == ["ana@transportesdelnorte.mx"])
    number = new_ticket.number
    message = mail.message()

    assert message["Message-ID"] == OutboundEmail.objects.get(template="ticket_created").message_id
    assert re.fullmatch(rf"<ticket-{number}\.[0-9a-f]{{24}}@jhl\.mx>", message["Message-ID"])
    assert message["References"] == f"<ticket-{number}@jhl.mx>"
    assert message["Auto-Submitted"] == "auto-generated"
    reply_to = message["Reply-To"]
    assert re.fullmatch(rf"soporte\+{number}\.[0-9a-f]{{16}}@jhl\.mx", reply_to)
    assert addressing.ticket_number_from_address(reply_to) == number


def test_a_token_for_another_ticket_or_a_tampered_one_is_refused(settings):
    good = addressing.reply_to_address(41)
    signature = good.split(".")[1].split("@")[0]

    assert addressing.ticket_number_from_address(good.upper()) == 41  # case does not matter
    with pytest.raises(addressing.BadToken):
        addressing.ticket_number_from_address(f"soporte+42.{signature}@jhl.mx")
    with pytest.raises(addressing.BadToken):
        addressing.ticket_number_from_address("soporte+41@jhl.mx")
    assert addressing.ticket_number_from_address("ana@transportesdelnorte.mx") is None
    settings.SECRET_KEY = "another-key-another-key-another-key-another-key-0123"
    with pytest.raises(addressing.BadToken):
        addressing.ticket_number_from_address(good)


def test_a_staff_reply_is_mailed_to_the_requester(ticket_a, staff_seguros, committed, deliver):
    committed(
        services.entry_add,
        ticket=ticket_a,
        kind=Kind.STAFF_REPLY,
        author=staff_seguros,
        body="Ya tenemos la cotización; la enviamos mañana.",
        channel=Channel.EMAIL,
    )

    [mail] = deliver()
    assert mail.to == ["ana@transportesdelnorte.mx"]
    assert mail.subject.startswith(f"[Ticket #{ticket_a.number}] Respuesta a su requerimiento")
    assert "Patricia Mendoza, del equipo de Seguros, le escribió:" in mail.body
    assert "Ya tenemos la cotización; la enviamos mañana." in mail.body
    assert "Ya tenemos la cotización" in html_of(mail)


def test_internal_notes_are_never_mailed(ticket_a, staff_seguros, committed, deliver):
    committed(
        services.entry_add,
        ticket=ticket_a,
        kind=Kind.INTERNAL_NOTE,
        author=staff_seguros,
        body="El cliente debe dos facturas.",
        channel=Channel.INTERNAL,
    )

    assert deliver() == []
    assert not OutboundEmail.objects.filter(text__contains="dos facturas").exists()


def test_a_client_reply_tells_the_team(ticket_a, colleague_a, staff_seguros, committed, deliver):
    committed(
        services.entry_add,
        ticket=ticket_a,
        kind=Kind.CLIENT_MESSAGE,
        author=colleague_a,
        body="Adjunto la tarjeta de circulación.",
        channel=Channel.PORTAL,
    )

    [mail] = deliver()
    assert mail.to == ["patricia@jhl.mx"]
    assert "Luis Pérez escribió por Portal:" in mail.body
    assert "Adjunto la tarjeta de circulación." in mail.body


def test_a_stage_change_mails_the_new_status(ticket_a, staff_seguros, committed, deliver):
    stage = Stage.objects.get(area__slug="seguros", name="Cotización")
    committed(ticket_a.move_to, stage, by=staff_seguros, note="Cotizamos con tres aseguradoras.")

    [mail] = deliver()
    assert mail.to == ["ana@transportesdelnorte.mx"]
    assert mail.subject == f"[Ticket #{ticket_a.number}] Su ticket está ahora en «Abierto-Cotización»"
    assert "Su nuevo estado es: Abierto-Cotización" in mail.body
    assert "Cotizamos con tres aseguradoras." in mail.body


def test_a_stage_marked_not_to_notify_sends_nothing(ticket_a, staff_seguros, committed, deliver):
    stage = Stage.objects.get(area__slug="seguros", name="Aprobación")
    Stage.objects.filter(pk=stage.pk).update(notify_client=False)
    stage.refresh_from_db()
    committed(ticket_a.move_to, stage, by=staff_seguros)

    assert deliver() == []


def test_an_inactive_requester_is_not_mailed(ticket_a, staff_seguros, client_a, committed, deliver):
    client_a.is_active = False
    client_a.save()
    committed(
        services.entry_add, ticket=ticket_a, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Hola", channel=Channel.EMAIL
    )
    assert deliver() == []


def test_subjects_and_text_parts_are_not_html_escaped(committed, client_a, deliver):
    committed(make_ticket, requester=client_a, subject="Póliza & endoso <urgente>", description="Tasa < 5% & sin deducible")

    mail = next(m for m in deliver() if m.to == ["ana@transportesdelnorte.mx"])
    assert mail.subject.endswith("Recibimos su requerimiento: Póliza & endoso <urgente>")
    assert "Tasa < 5% & sin deducible" in mail.body
    assert "Póliza &amp; endoso &lt;urgente&gt;" in html_of(mail)
