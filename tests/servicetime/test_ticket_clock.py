"""A ticket's deadline as it enters, pauses in, resumes and leaves its stages
(servicetime.deadlines through Ticket.move_to and services.ticket_open; issue 11.2)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicetime.models import Holiday
from tests.factories import make_ticket
from tickets.models import Ticket
from workflows.models import Stage

MX = ZoneInfo("America/Mexico_City")


def mx(*args) -> datetime:
    return datetime(*args, tzinfo=MX)


def stage(name, area="seguros"):
    return Stage.objects.get(area__slug=area, name=name)


@pytest.fixture
def ticket(client_a):
    """A Seguros ticket opened on Friday 4 Dec 2026 at 17:00 (Abierto: 1 business day)."""
    return make_ticket(requester=client_a, area="seguros", created_at=mx(2026, 12, 4, 17))


def stored(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_the_shipped_pipelines_carry_targets(db):
    assert stage("Cotización").target_business_days == 2
    assert stage("Abierto").target_business_days == 1
    assert stage("Esperando información cliente").target_business_days is None
    assert stage("Cerrado").target_business_days is None


def test_a_new_ticket_gets_the_first_stages_deadline(ticket):
    # 1 h on Friday, 8 h on Monday.
    assert stored(ticket).due_at == mx(2026, 12, 7, 17)
    assert ticket.due_at == mx(2026, 12, 7, 17)


def test_a_new_ticket_in_a_stage_without_target_has_no_deadline(client_a):
    Stage.objects.filter(area__slug="seguros", name="Abierto").update(target_business_days=None)
    assert make_ticket(requester=client_a, area="seguros").due_at is None


def test_entering_a_stage_starts_its_own_target(ticket, staff_seguros):
    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    assert stored(ticket).due_at == mx(2026, 12, 9, 10)
    assert ticket.due_at == mx(2026, 12, 9, 10)


def test_a_stage_without_target_clears_the_deadline(ticket, staff_seguros):
    ticket.move_to(stage("Aprobación"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    assert stored(ticket).due_at is None


def test_waiting_on_the_client_pauses_the_clock_and_returning_resumes_it(ticket, staff_seguros):
    cotizacion = stage("Cotización")
    ticket.move_to(cotizacion, by=staff_seguros, at=mx(2026, 12, 7, 10))  # due Wed 9 Dec 10:00
    ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=mx(2026, 12, 7, 16))
    paused = stored(ticket)
    assert paused.due_at is None
    assert paused.is_clock_paused
    assert (paused.paused_remaining, paused.paused_stage) == (timedelta(hours=12), cotizacion)
    # The client answers days later; the 12 business hours left resume from there.
    ticket.move_to(cotizacion, by=staff_seguros, at=mx(2026, 12, 10, 11))
    resumed = stored(ticket)
    assert resumed.due_at == mx(2026, 12, 11, 14)
    assert (resumed.paused_remaining, resumed.paused_stage) == (None, None)


def test_after_a_pause_another_stage_starts_afresh(ticket, staff_seguros):
    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=mx(2026, 12, 7, 16))
    ticket.move_to(stage("Emisión"), by=staff_seguros, at=mx(2026, 12, 10, 11))
    assert stored(ticket).due_at == mx(2026, 12, 14, 11)
    assert not stored(ticket).is_clock_paused


def test_a_deadline_passed_before_the_pause_is_overdue_at_once_on_resume(ticket, staff_seguros):
    abierto = stage("Abierto")  # due Monday 7 Dec 17:00
    ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=mx(2026, 12, 8, 12))
    assert stored(ticket).paused_remaining == timedelta(0)
    ticket.move_to(abierto, by=staff_seguros, at=mx(2026, 12, 9, 10))
    assert stored(ticket).due_at == mx(2026, 12, 9, 10)


def test_pausing_a_ticket_without_deadline_pauses_nothing(ticket, staff_seguros):
    ticket.move_to(stage("Aprobación"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=mx(2026, 12, 7, 11))
    assert not stored(ticket).is_clock_paused
    ticket.move_to(stage("Aprobación"), by=staff_seguros, at=mx(2026, 12, 7, 12))
    assert stored(ticket).due_at is None


def test_closing_stops_the_clock_and_reopening_starts_afresh(ticket, staff_seguros):
    ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    ticket.move_to(stage("Cerrado"), by=staff_seguros, at=mx(2026, 12, 7, 11))
    closed = stored(ticket)
    assert (closed.due_at, closed.paused_remaining, closed.paused_stage) == (None, None, None)
    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 8, 9))
    assert stored(ticket).due_at == mx(2026, 12, 9, 18)


def test_christmas_and_new_year_are_skipped(client_a, staff_seguros):
    ticket = make_ticket(requester=client_a, area="seguros", created_at=mx(2026, 12, 24, 12))
    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 31, 12))
    assert stored(ticket).due_at == mx(2027, 1, 5, 12)


def test_a_rest_day_added_in_admin_counts(client_a):
    Holiday.objects.create(date=date(2026, 12, 7), name="Día de la empresa")
    ticket = make_ticket(requester=client_a, area="seguros", created_at=mx(2026, 12, 4, 17))
    assert ticket.due_at == mx(2026, 12, 8, 17)


def test_working_hours_come_from_settings(client_a, settings):
    settings.SERVICE_HOURS = (8, 14)
    settings.SERVICE_WEEKDAYS = (1, 2, 3, 4, 5, 6)
    # 6 h per day: 0 h Friday 17:00, 6 h on Saturday.
    ticket = make_ticket(requester=client_a, area="seguros", created_at=mx(2026, 12, 4, 17))
    assert ticket.due_at == mx(2026, 12, 5, 14)


def test_a_target_edited_with_the_pipelines_applies_to_the_next_entry(ticket, staff_seguros):
    Stage.objects.filter(pk=stage("Cotización").pk).update(target_business_days=5)
    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 7, 9))
    assert stored(ticket).due_at == mx(2026, 12, 11, 18)


def test_moving_to_the_current_stage_keeps_the_deadline(ticket, staff_seguros):
    assert ticket.move_to(stage("Abierto"), by=staff_seguros, at=mx(2026, 12, 10, 9)) is None
    assert stored(ticket).due_at == mx(2026, 12, 7, 17)


def test_start_service_clock_dates_tickets_that_predate_it(ticket, client_a, staff_seguros):
    from django.core.management import call_command

    ticket.move_to(stage("Cotización"), by=staff_seguros, at=mx(2026, 12, 7, 10))
    waiting = make_ticket(requester=client_a, area="seguros", created_at=mx(2026, 12, 4, 9))
    waiting.move_to(stage("Aprobación"), by=staff_seguros, at=mx(2026, 12, 4, 10))
    # As before the clock existed: no deadline anywhere.
    Ticket.objects.update(due_at=None)
    call_command("start_service_clock", verbosity=0)
    assert stored(ticket).due_at == mx(2026, 12, 9, 10)  # from its entry into Cotización
    assert stored(waiting).due_at is None  # Aprobación has no target
    call_command("start_service_clock", verbosity=0)
    assert stored(ticket).due_at == mx(2026, 12, 9, 10)
