"""`manage.py generate_load_data` (issue 10): realistic bulk data for the benchmark,
checked at a small size on SQLite (bulk_create) and PostgreSQL (COPY)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from accounts.models import Organization
from tests.factories import make_ticket
from tickets.load_data import LOAD_PASSWORD, LONG_TIMELINE_ENTRIES, company_sizes
from tickets.models import Ticket, TimelineEntry, searchable
from tickets.stage_times import fill_stage_times
from workflows.models import Area, Stage, State

TICKETS, COMPANIES = 1000, 8


@pytest.fixture
def loaded(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("generate_load_data", tickets=TICKETS, companies=COMPANIES, stdout=out)
    return out.getvalue()


def test_it_creates_companies_with_three_to_five_users_each(loaded):
    members = Organization.objects.annotate(n=Count("members")).values_list("n", flat=True)
    assert len(members) == COMPANIES
    assert all(3 <= n <= 5 for n in members)
    assert "1,000 tickets" in loaded and LOAD_PASSWORD in loaded


def test_companies_have_very_different_sizes():
    sizes = company_sizes(1_000_000, 2000)
    assert sum(sizes) == 1_000_000
    assert sizes[0] >= 10_000  # the fleet client the benchmark lists
    assert sizes[-1] <= sizes[0] / 20


def test_tickets_spread_over_areas_and_stages_and_about_seventy_percent_are_closed(loaded):
    assert Ticket.objects.count() == TICKETS
    per_org = Ticket.objects.values("organization").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(per_org) >= 2 * min(per_org)
    assert set(Ticket.objects.values_list("stage", flat=True).distinct()) == set(Stage.objects.values_list("pk", flat=True))
    assert Ticket.objects.values("area").distinct().count() == Area.objects.count() == 4
    closed = Ticket.objects.closed().count()
    assert 0.65 * TICKETS <= closed <= 0.75 * TICKETS


def test_the_reports_columns_match_the_timeline(loaded):
    """What the board and the reports read (tickets.stage_times) is what the timeline says."""

    def snapshot():
        return (
            sorted(Ticket.objects.values_list("pk", "stage_entered_at", "first_response_at")),
            sorted(TimelineEntry.objects.filter(kind=TimelineEntry.Kind.STAGE_CHANGE).values_list("pk", "stage_stay")),
        )

    written = snapshot()
    Ticket.objects.update(stage_entered_at=None, first_response_at=None)
    TimelineEntry.objects.update(stage_stay=None)
    fill_stage_times(Ticket, TimelineEntry)
    assert snapshot() == written
    assert any(first for _, _, first in written[0]) and any(entered for _, entered, _ in written[0])


def test_closed_at_is_the_move_into_the_closed_stage(loaded):
    assert not Ticket.objects.open().exclude(closed_at=None).exists()
    assert not Ticket.objects.closed().filter(closed_at=None).exists()
    last_entries = {entry.ticket_id: entry for entry in TimelineEntry.objects.order_by("ticket_id", "created_at", "pk")}
    for ticket in Ticket.objects.closed():
        last = last_entries[ticket.pk]
        assert (last.kind, last.to_stage_id) == (TimelineEntry.Kind.STAGE_CHANGE, ticket.stage_id)
        assert ticket.closed_at == ticket.last_activity_at == last.created_at


def test_timelines_average_three_entries_and_one_in_a_thousand_has_thirty(loaded):
    counts = TimelineEntry.objects.values("ticket").annotate(n=Count("id")).values_list("n", flat=True)
    assert len(counts) == TICKETS  # every ticket starts with the client's message
    assert 2.7 <= sum(counts) / TICKETS <= 3.3
    assert max(counts) == LONG_TIMELINE_ENTRIES
    latest = TimelineEntry.objects.values("ticket").annotate(at=Max("created_at"))
    assert {row["ticket"]: row["at"] for row in latest} == dict(Ticket.objects.values_list("pk", "last_activity_at"))


def test_subjects_are_spanish_searchable_and_come_with_vehicles(loaded):
    subjects = dict(Ticket.objects.values_list("subject", "subject_search"))
    assert all(search == searchable(subject) for subject, search in subjects.items())
    assert any("ó" in subject for subject in subjects)
    with_poliza = sum(1 for subject in Ticket.objects.values_list("subject", flat=True) if "póliza" in subject.lower())
    assert with_poliza and Ticket.objects.search("POLIZA").count() == with_poliza
    assert Ticket.objects.exclude(vehicle_vin="").count() > TICKETS / 3
    assert Ticket.objects.filter(owner__is_staff=True).count() > TICKETS / 2


def test_the_portal_keeps_working_on_top_of_the_load(loaded, client):
    user = get_user_model().objects.filter(organization__isnull=False).first()
    assert client.login(email=user.email, password=LOAD_PASSWORD)
    assert client.get("/portal-de-clientes/?ver=organizacion").status_code == 200
    # The sequences were moved past the generated numbers.
    ticket = make_ticket(requester=user)
    assert ticket.pk > Ticket.objects.exclude(pk=ticket.pk).aggregate(Max("pk"))["pk__max"]
    assert ticket.stage.state == State.OPEN


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_load_data", tickets=10, companies=2, stdout=StringIO())
    assert not Ticket.objects.exists()
