"""The demo data shows the staff workspace (issue 12): owners on part of the open
tickets, given through the timeline, and ready answers in every area."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tickets.models import Ticket, TimelineEntry
from workflows.models import Area
from workspace.demo import READY_ANSWERS
from workspace.models import PLACEHOLDER, ReadyAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def owners():
    return dict(Ticket.objects.values_list("pk", "owner_id"))


def test_open_tickets_have_owners_of_their_team_and_some_have_none(seeded):
    User = get_user_model()
    open_tickets = Ticket.objects.open()
    assert open_tickets.unassigned().exists()
    # Not only the unanswered ones: "Sin responsable" also holds tickets under way.
    assert open_tickets.unassigned().filter(first_response_at__isnull=False).exists()
    assert open_tickets.filter(owner__isnull=False).count() > open_tickets.count() / 2
    for ticket in open_tickets.filter(owner__isnull=False).select_related("owner"):
        assert User.objects.team_of(ticket.area_id).filter(pk=ticket.owner_id).exists(), ticket
    for area in Area.objects.all():
        assert open_tickets.filter(area=area, owner__isnull=False).exists(), area
        assert open_tickets.filter(area=area).unassigned().exists(), area


def test_both_seguros_staff_have_tickets_of_their_own(seeded):
    for email in ["seguros@jhl.mx", "seguros2@jhl.mx"]:
        assert Ticket.objects.open().filter(area__slug="seguros", owner__email=email).exists(), email


def test_tickets_waiting_on_the_client_have_an_owner(seeded):
    # Whoever asked for the information owns the ticket: "Míos, esperando al cliente".
    waiting = Ticket.objects.open().waiting_on_client()
    assert waiting.exists()
    assert not waiting.unassigned().exists()


def test_owners_are_on_the_timeline_without_moving_last_activity(seeded):
    for ticket in Ticket.objects.filter(owner__isnull=False):
        change = ticket.entries.get(kind=TimelineEntry.Kind.OWNER_CHANGE)
        assert (change.from_owner_id, change.to_owner_id) == (None, ticket.owner_id)
        # Backdated into the demo's history: before the first reply, not "now".
        assert change.created_at < ticket.first_response_at
        assert ticket.last_activity_at == ticket.entries.exclude(pk=change.pk).latest("created_at").created_at


def test_every_area_has_ready_answers_whose_placeholders_render(seeded):
    for area in Area.objects.all():
        answers = ReadyAnswer.objects.filter(area=area)
        assert 2 <= answers.count() <= 3, area
        ticket = Ticket.objects.filter(area=area).open().select_related("stage").first()
        for answer in answers:
            assert PLACEHOLDER.search(answer.body), answer
            text = answer.text_for(ticket)
            assert "{" not in text, text
            assert ticket.requester_name in text
            if "{ticket}" in answer.body:
                assert f"#{ticket.number}" in text
            if "{etapa}" in answer.body:
                assert ticket.stage.name in text


def test_a_second_run_keeps_owners_and_ready_answers_as_staff_left_them(seeded):
    answer = ReadyAnswer.objects.get(area__slug="seguros", title="Cotización enviada")
    answer.body = "Texto que el equipo corrigió."
    answer.save()
    ticket = Ticket.objects.filter(owner__isnull=False).first()
    ticket.assign_to(None, by=ticket.owner)
    before = (owners(), TimelineEntry.objects.count(), ReadyAnswer.objects.count())

    call_command("seed_demo", verbosity=0)

    assert (owners(), TimelineEntry.objects.count(), ReadyAnswer.objects.count()) == before
    answer.refresh_from_db()
    assert answer.body == "Texto que el equipo corrigió."


def test_demo_data_loaded_before_owners_existed_gets_them_on_the_next_run(seeded):
    expected = owners()
    TimelineEntry.objects.filter(kind=TimelineEntry.Kind.OWNER_CHANGE).delete()
    Ticket.objects.update(owner=None)
    ReadyAnswer.objects.all().delete()

    call_command("seed_demo", verbosity=0)

    after = owners()
    for ticket in Ticket.objects.open():
        assert after[ticket.pk] == expected[ticket.pk], ticket
    assert ReadyAnswer.objects.count() == sum(len(answers) for answers in READY_ANSWERS.values())
