"""A stage's documents hold the ticket there until accepted (Ticket.move_to)."""

import pytest
from django.core.exceptions import ValidationError

from tickets.models import TimelineEntry

from .conftest import stage

Kind = TimelineEntry.Kind


def test_a_ticket_cannot_move_on_with_documents_missing(ticket, staff_gestorias):
    with pytest.raises(ValidationError) as refused:
        ticket.move_to(stage("Pago pendiente"), by=staff_gestorias)
    message = " ".join(refused.value.messages)
    assert "«Integración expediente»" in message
    assert "Factura, Tarjeta de circulación, Identificación oficial" in message
    ticket.refresh_from_db()
    assert ticket.stage.name == "Integración expediente"
    assert not ticket.entries.filter(kind=Kind.STAGE_CHANGE, to_stage__name="Pago pendiente").exists()


def test_closing_counts_as_moving_past(ticket, staff_gestorias):
    with pytest.raises(ValidationError):
        ticket.move_to(stage("Cerrado"), by=staff_gestorias)


def test_the_message_lists_only_what_is_still_missing(ticket, requirements, client_a, staff_gestorias, send):
    from documents import services

    services.document_review(document=send(ticket, requirements[0], client_a), accept=True, by=staff_gestorias)
    send(ticket, requirements[1], client_a)  # in review: not accepted yet
    with pytest.raises(ValidationError) as refused:
        ticket.move_to(stage("Pago pendiente"), by=staff_gestorias)
    message = " ".join(refused.value.messages)
    assert "Factura" not in message and "Tarjeta de circulación, Identificación oficial" in message


def test_it_moves_on_once_all_are_accepted(all_accepted, staff_gestorias):
    assert all_accepted.move_to(stage("Pago pendiente"), by=staff_gestorias) is not None
    all_accepted.refresh_from_db()
    assert all_accepted.stage.name == "Pago pendiente"


def test_moving_back_is_allowed(ticket, staff_gestorias):
    ticket.move_to(stage("Esperando información cliente"), by=staff_gestorias)
    ticket.refresh_from_db()
    assert ticket.stage.name == "Esperando información cliente"


def test_jumping_over_the_stage_from_an_earlier_one_is_not_held(client_a, staff_gestorias):
    from tests.factories import make_ticket

    ticket = make_ticket(requester=client_a, area="gestorias")
    ticket.move_to(stage("Cerrado"), by=staff_gestorias)  # e.g. a duplicate closed at once
    ticket.refresh_from_db()
    assert ticket.is_closed


def test_staff_override_with_a_reason_recorded_on_the_timeline(ticket, staff_gestorias):
    change = ticket.move_to(
        stage("Pago pendiente"), by=staff_gestorias, override_reason="El cliente entregó los originales en ventanilla."
    )
    assert change is not None and change.to_stage.name == "Pago pendiente"
    note = ticket.entries.get(kind=Kind.INTERNAL_NOTE)
    assert note.author == staff_gestorias
    assert "Jorge Ramírez" in note.body  # who
    assert "El cliente entregó los originales en ventanilla." in note.body  # why
    assert "Factura, Tarjeta de circulación, Identificación oficial" in note.body  # what was missing
    # Staff only: clients never read the note.
    assert not ticket.entries.visible_to_clients().filter(pk=note.pk).exists()


def test_a_blank_reason_is_no_override(ticket, staff_gestorias):
    with pytest.raises(ValidationError):
        ticket.move_to(stage("Pago pendiente"), by=staff_gestorias, override_reason="   ")


def test_only_staff_may_override(ticket, client_a):
    with pytest.raises(ValidationError):
        ticket.move_to(stage("Pago pendiente"), by=client_a, override_reason="Ya lo mandé por correo.")


def test_refusals_are_asked_without_writing(ticket):
    entries = ticket.entries.count()
    assert ticket.move_refusals(stage("Pago pendiente"))
    assert ticket.move_refusals(stage("Verificaciones")) == []
    assert ticket.entries.count() == entries
