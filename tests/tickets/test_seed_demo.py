import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tickets.demo import CLIENTS, DEMO_PASSWORD
from tickets.models import Ticket, TimelineEntry
from workflows.models import Area, Stage
from workspace.models import ReadyAnswer

LOGINS = [
    "ana.garcia@transportesdelnorte.mx",
    "luis.perez@transportesdelnorte.mx",
    "maria.lopez@constructorasol.mx",
    "admin@jhl.mx",
    "gestorias@jhl.mx",
    "seguros@jhl.mx",
    "seguros2@jhl.mx",
    "siniestros@jhl.mx",
    "ti@jhl.mx",
]


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_it_creates_the_documented_logins(seeded):
    User = get_user_model()
    for email in LOGINS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email
    assert User.objects.get(email="admin@jhl.mx").is_superuser
    assert User.objects.get(email="maria.lopez@constructorasol.mx").organization.name == "Constructora Sol"
    assert User.objects.team_of(Area.objects.get(slug="seguros")).filter(email="seguros2@jhl.mx").exists()


def test_every_stage_of_every_area_has_a_ticket(seeded):
    used = set(Ticket.objects.values_list("stage_id", flat=True))
    assert used == set(Stage.objects.values_list("pk", flat=True))


def test_each_area_has_a_staff_member_in_its_team(seeded):
    User = get_user_model()
    for stage in Stage.objects.filter(position=0).select_related("area__team"):
        assert User.objects.filter(is_staff=True, is_superuser=False, groups=stage.area.team).exists()


def test_running_it_twice_changes_nothing(seeded):
    def state():
        return (
            get_user_model().objects.count(),
            list(Ticket.objects.order_by("pk").values_list("pk", "stage_id", "owner_id", "last_activity_at")),
            TimelineEntry.objects.count(),
            ReadyAnswer.objects.count(),
        )

    before = state()
    call_command("seed_demo", verbosity=0)
    assert state() == before


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not Ticket.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert Ticket.objects.exists()


def test_it_e_mails_nobody(db, settings, django_capture_on_commit_callbacks):
    from emails.models import OutboundEmail

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo", verbosity=0)
    assert Ticket.objects.exists()
    # Nothing announced (events are muted); only the portal lists' cache is told.
    assert [callback for callback in callbacks if callback.__module__ != "tickets.page_cache"] == []
    assert not OutboundEmail.objects.exists()


def test_every_demo_client_has_a_closed_ticket_of_their_own(seeded):
    # Issue 8: each of them can see what a Cerrado ticket looks like in their own list.
    for email, *_rest in CLIENTS:
        assert Ticket.objects.filter(requester__email=email).closed().exists(), email


def test_the_demo_has_overdue_on_time_and_paused_tickets(seeded):
    # Issue 11.2: the admin's "Plazo" column and counts have something to show.
    from django.utils import timezone

    now = timezone.now()
    assert Ticket.objects.filter(due_at__lt=now).exists()
    assert Ticket.objects.filter(due_at__gte=now).exists()
    assert Ticket.objects.filter(paused_remaining__isnull=False, due_at__isnull=True).exists()
    assert not Ticket.objects.closed().filter(due_at__isnull=False).exists()
