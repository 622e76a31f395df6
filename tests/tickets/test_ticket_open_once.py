"""services.ticket_open_once(): a form's one-time token opens at most one ticket, even when
two requests carrying it race past the first check (issue 8, point 13).

These call the service itself: the portal view's own "already sent?" check would hide a
broken service, since it answers a repeated token before the service is reached.
"""

import threading
import uuid

import pytest
from django.db import connection

from tests.files import pdf
from tickets import services
from tickets.models import Attachment, Ticket
from tickets.uploads import validate_upload
from workflows.models import Area


def unsaved_ticket(requester, token, subject="Golpe en defensa trasera") -> Ticket:
    """What NewTicketForm.ticket() hands the service: an unsaved ticket with its token."""
    return Ticket(
        area=Area.objects.get(slug="siniestros"),
        subject=subject,
        description="La unidad recibió un golpe.",
        requester=requester,
        client_token=token,
    )


def stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []


@pytest.mark.django_db
def test_the_same_token_twice_opens_one_ticket(client_a, settings):
    token = uuid.uuid4()
    first, first_created = services.ticket_open_once(
        ticket=unsaved_ticket(client_a, token), attachments=[validate_upload(pdf("parte.pdf"))]
    )
    again, again_created = services.ticket_open_once(
        ticket=unsaved_ticket(client_a, token, subject="Otra vez"), attachments=[validate_upload(pdf("parte.pdf"))]
    )

    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Golpe en defensa trasera"]
    assert Attachment.objects.count() == 1
    assert len(stored_files(settings)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("caught_by", ["validation", "database"])
def test_a_request_that_loses_the_race_gets_the_winners_ticket(client_a, monkeypatch, settings, caught_by):
    """The other request commits just after this one's check found nothing: this one
    must meet the unique (requester, token) rule and hand back the other's ticket.

    "validation": the winner committed before full_clean() looked (SQLite, whose writers
    queue). "database": both passed full_clean() at the same moment and only the unique
    index catches this one (PostgreSQL under load).
    """
    token = uuid.uuid4()
    real_check = services.ticket_sent_with
    winner = {}

    def check_then_lose_the_race(*, requester, client_token):
        found = real_check(requester=requester, client_token=client_token)
        if not winner:
            winner["ticket"] = services.ticket_open(ticket=unsaved_ticket(client_a, token, subject="El primero"))
        return found

    monkeypatch.setattr(services, "ticket_sent_with", check_then_lose_the_race)
    if caught_by == "database":
        monkeypatch.setattr(Ticket, "validate_constraints", lambda self, exclude=None: None)

    ticket, created = services.ticket_open_once(
        ticket=unsaved_ticket(client_a, token, subject="El segundo"), attachments=[validate_upload(pdf("parte.pdf"))]
    )

    assert created is False
    assert ticket.pk == winner["ticket"].pk
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["El primero"]
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_without_a_token_nothing_is_deduplicated(client_a):
    # Tickets from admin, e-mail or the phone carry no form token.
    first, _ = services.ticket_open_once(ticket=unsaved_ticket(client_a, None))
    second, created = services.ticket_open_once(ticket=unsaved_ticket(client_a, None))
    assert created is True
    assert first.pk != second.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_racing_with_one_token_open_one_ticket(pipelines, client_a, monkeypatch):
    """A double click on two workers: both check, find nothing, then both open."""
    token = uuid.uuid4()
    real_check = services.ticket_sent_with
    both_checked = threading.Barrier(2, timeout=20)

    checks = {"count": 0}
    lock = threading.Lock()

    def first_check_waits(*, requester, client_token):
        found = real_check(requester=requester, client_token=client_token)
        with lock:
            checks["count"] += 1
            first_two = checks["count"] <= 2
        if first_two:
            both_checked.wait()  # both requests have looked and found nothing
        return found

    monkeypatch.setattr(services, "ticket_sent_with", first_check_waits)
    results, errors = [], []

    def request(subject):
        try:
            ticket, created = services.ticket_open_once(ticket=unsaved_ticket(client_a, token, subject=subject))
            results.append((ticket.pk, created))
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(f"Clic {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1
    assert Ticket.objects.filter(requester=client_a).count() == 1
