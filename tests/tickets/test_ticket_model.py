from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_ticket
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry
from workflows.models import Stage

Kind = TimelineEntry.Kind


def stage(area_slug, name):
    return Stage.objects.get(area__slug=area_slug, name=name)


class TestStatusText:
    def test_the_first_stage_named_like_its_state_shows_the_state_alone(self, ticket_a):
        assert ticket_a.stage.name == "Abierto"
        assert ticket_a.status_text == "Abierto"

    def test_a_middle_stage_shows_state_dash_stage(self, ticket_a, staff_seguros):
        ticket_a.move_to(stage("seguros", "Cotización"), by=staff_seguros)
        assert ticket_a.status_text == "Abierto-Cotización"

    def test_the_seed_example_for_gestorias(self, client_a, staff_gestorias):
        ticket = make_ticket(requester=client_a, area="gestorias")
        ticket.move_to(stage("gestorias", "Integración expediente"), by=staff_gestorias)
        assert ticket.status_text == "Abierto-Integración expediente"

    def test_a_closed_stage_shows_cerrado(self, ticket_a, staff_seguros):
        ticket_a.move_to(stage("seguros", "Cerrado"), by=staff_seguros)
        assert ticket_a.status_text == "Cerrado"

    def test_it_first_stage_of_it_is_nuevo(self, client_a):
        ticket = make_ticket(requester=client_a, area="tecnologia-it")
        assert ticket.status_text == "Abierto-Nuevo"


class TestCreation:
    def test_it_opens_in_the_first_stage_with_the_requesters_organization(self, ticket_a, client_a):
        assert ticket_a.stage == stage("seguros", "Abierto")
        assert ticket_a.organization == client_a.organization
        assert ticket_a.closed_at is None

    def test_the_description_is_the_first_message_of_the_timeline(self, ticket_a):
        entry = ticket_a.entries.get()
        assert entry.kind == Kind.CLIENT_MESSAGE
        assert entry.body == "Por favor"
        assert entry.channel == Channel.PORTAL

    def test_it_keeps_the_organization_of_creation_when_the_person_moves(self, ticket_a, client_a, org_b):
        client_a.organization = org_b
        client_a.save()
        ticket_a.refresh_from_db()
        assert ticket_a.organization.name == "Transportes del Norte"


class TestMoveTo:
    def test_it_refuses_a_stage_of_another_area(self, ticket_a, staff_seguros):
        with pytest.raises(ValidationError):
            ticket_a.move_to(stage("gestorias", "Verificaciones"), by=staff_seguros)
        ticket_a.refresh_from_db()
        assert ticket_a.stage.name == "Abierto"
        assert not ticket_a.entries.filter(kind=Kind.STAGE_CHANGE).exists()

    def test_model_validation_refuses_a_stage_of_another_area(self, ticket_a):
        ticket_a.stage = stage("siniestros", "Pago")
        with pytest.raises(ValidationError) as error:
            ticket_a.full_clean()
        assert "stage" in error.value.message_dict

    def test_it_records_who_moved_it_from_where_to_where(self, ticket_a, staff_seguros):
        entry = ticket_a.move_to(stage("seguros", "Cotización"), by=staff_seguros)
        assert (entry.kind, entry.author, entry.from_stage.name, entry.to_stage.name) == (
            Kind.STAGE_CHANGE,
            staff_seguros,
            "Abierto",
            "Cotización",
        )
        assert Ticket.objects.get(pk=ticket_a.pk).stage.name == "Cotización"

    def test_closing_sets_closed_at_and_reopening_clears_it(self, ticket_a, staff_seguros):
        ticket_a.move_to(stage("seguros", "Cerrado"), by=staff_seguros)
        closed = Ticket.objects.get(pk=ticket_a.pk)
        assert closed.closed_at is not None
        assert Ticket.objects.closed().filter(pk=ticket_a.pk).exists()

        ticket_a.move_to(stage("seguros", "Emisión"), by=staff_seguros)
        reopened = Ticket.objects.get(pk=ticket_a.pk)
        assert reopened.closed_at is None
        assert reopened.status_text == "Abierto-Emisión"
        assert Ticket.objects.open().filter(pk=ticket_a.pk).exists()

    def test_the_it_cerrado_stage_closes_the_ticket(self, client_a, superuser):
        ticket = make_ticket(requester=client_a, area="tecnologia-it")
        ticket.move_to(stage("tecnologia-it", "Cerrado"), by=superuser)
        assert Ticket.objects.get(pk=ticket.pk).closed_at is not None

    def test_moving_to_the_current_stage_records_nothing(self, ticket_a, staff_seguros):
        assert ticket_a.move_to(ticket_a.stage, by=staff_seguros) is None
        assert not ticket_a.entries.filter(kind=Kind.STAGE_CHANGE).exists()

    def test_it_moves_last_activity(self, ticket_a, staff_seguros):
        before = ticket_a.last_activity_at
        ticket_a.move_to(stage("seguros", "Cotización"), by=staff_seguros)
        assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at > before


class TestTimeline:
    def test_every_entry_moves_last_activity_internal_notes_included(self, ticket_a, staff_seguros):
        before = Ticket.objects.get(pk=ticket_a.pk).last_activity_at
        services.entry_add(ticket=ticket_a, kind=Kind.INTERNAL_NOTE, author=staff_seguros, body="ojo", channel=Channel.INTERNAL)
        after_note = Ticket.objects.get(pk=ticket_a.pk).last_activity_at
        assert after_note > before
        services.entry_add(ticket=ticket_a, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Hola", channel=Channel.EMAIL)
        assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at > after_note

    def test_internal_notes_are_hidden_from_clients(self, ticket_a, staff_seguros):
        services.entry_add(
            ticket=ticket_a, kind=Kind.INTERNAL_NOTE, author=staff_seguros, body="secreto", channel=Channel.INTERNAL
        )
        assert not ticket_a.entries.visible_to_clients().filter(body="secreto").exists()
        assert ticket_a.entries.filter(body="secreto").exists()

    def test_a_client_message_on_a_closed_ticket_is_refused_and_not_stored(self, ticket_a, client_a, staff_seguros):
        ticket_a.move_to(stage("seguros", "Cerrado"), by=staff_seguros)
        count = ticket_a.entries.count()
        with pytest.raises(services.TicketClosedError):
            services.entry_add(ticket=ticket_a, kind=Kind.CLIENT_MESSAGE, author=client_a, body="¿y?", channel=Channel.PORTAL)
        assert ticket_a.entries.count() == count

    @pytest.mark.parametrize("meanwhile", ["Cerrado", "another open stage"])
    def test_a_client_message_reads_the_stage_as_it_is_now(self, ticket_a, client_a, staff_seguros, meanwhile):
        """The client's page (the copy below) was loaded before the team moved the ticket."""
        seen = Ticket.objects.select_related("stage").get(pk=ticket_a.pk)
        if meanwhile == "Cerrado":
            target = stage("seguros", "Cerrado")
        else:
            target = ticket_a.area.stages.open().exclude(pk=ticket_a.stage_id).order_by("position").first()
        ticket_a.move_to(target, by=staff_seguros)
        moved_at = Ticket.objects.get(pk=ticket_a.pk).last_activity_at
        count = ticket_a.entries.count()
        if meanwhile == "Cerrado":
            with pytest.raises(services.TicketClosedError):
                services.entry_add(ticket=seen, kind=Kind.CLIENT_MESSAGE, author=client_a, body="¿y?", channel=Channel.PORTAL)
            assert ticket_a.entries.count() == count
            assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at == moved_at
        else:
            entry = services.entry_add(ticket=seen, kind=Kind.CLIENT_MESSAGE, author=client_a, body="¿y?", channel=Channel.PORTAL)
            assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at == entry.created_at > moved_at

    def test_a_client_message_never_moves_the_last_activity_back(self, ticket_a, client_a):
        later = ticket_a.last_activity_at + timedelta(hours=1)
        Ticket.objects.filter(pk=ticket_a.pk).update(last_activity_at=later)
        services.entry_add(
            ticket=ticket_a,
            kind=Kind.CLIENT_MESSAGE,
            author=client_a,
            body="Importado",
            channel=Channel.EMAIL,
            created_at=later - timedelta(minutes=30),
        )
        assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at == later

    def test_stage_changes_cannot_be_written_as_plain_entries(self, ticket_a, staff_seguros):
        with pytest.raises(ValueError):
            services.entry_add(ticket=ticket_a, kind=Kind.STAGE_CHANGE, author=staff_seguros, body="", channel=Channel.INTERNAL)

    def test_listeners_hear_of_each_entry_inside_its_transaction(self, ticket_a, staff_seguros):
        from tickets.events import entry_recorded

        heard = []

        def listener(sender, entry, **kwargs):
            heard.append(entry.body)

        entry_recorded.connect(listener)
        try:
            services.entry_add(ticket=ticket_a, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Listo", channel=Channel.EMAIL)
        finally:
            entry_recorded.disconnect(listener)
        # The test's transaction never commits: heard at the write, not on commit.
        assert heard == ["Listo"]


class TestVisibility:
    def test_a_client_sees_own_and_organization_tickets_only(self, client_a, colleague_a, client_b, ticket_a, ticket_b):
        colleague_ticket = make_ticket(requester=colleague_a, subject="Del colega")
        assert set(Ticket.objects.visible_to(client_a)) == {ticket_a, colleague_ticket}
        assert set(Ticket.objects.visible_to(client_b)) == {ticket_b}

    def test_staff_see_their_areas_only_and_superusers_all(self, staff_gestorias, staff_seguros, superuser, client_a, ticket_a):
        gestoria = make_ticket(requester=client_a, area="gestorias")
        assert set(Ticket.objects.visible_to(staff_seguros)) == {ticket_a}
        assert set(Ticket.objects.visible_to(staff_gestorias)) == {gestoria}
        assert set(Ticket.objects.visible_to(superuser)) == {ticket_a, gestoria}

    def test_an_inactive_user_sees_nothing(self, client_a, ticket_a):
        client_a.is_active = False
        assert not Ticket.objects.visible_to(client_a).exists()


def test_a_stage_that_tickets_are_in_cannot_be_deleted(ticket_a):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        ticket_a.stage.delete()
