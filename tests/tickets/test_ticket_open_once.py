"""services.ticket_open_once(): a form's one-time token opens at most one ticket, even when
two requests carrying it race past the view's "already sent?" check (issue 8, point 13).

These call the service itself: the portal view's own check would hide a broken service,
since it answers a repeated token before the service is reached. The service does not
look first (issue 10: one query less per new ticket); the unique (requester, token)
rule stops the second ticket, and the service then hands back the first.
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
    """The second call is what a request that lost the race meets: the other's ticket
    committed after the view looked."""
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
def test_without_a_token_nothing_is_deduplicated(client_a):
    # Tickets from admin, e-mail or the phone carry no form token.
    first, _ = services.ticket_open_once(ticket=unsaved_ticket(client_a, None))
    second, created = services.ticket_open_once(ticket=unsaved_ticket(client_a, None))
    assert created is True
    assert first.pk != second.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_racing_with_one_token_open_one_ticket(pipelines, client_a, monkeypatch):
    """A double click on two workers: both pass the view's check, then both open."""
    token = uuid.uuid4()
    real_open = services.ticket_open
    both_opening = threading.Barrier(2, timeout=20)

    def wait_for_the_other(**kwargs):
        both_opening.wait()  # both requests are about to open their transaction
        return real_open(**kwargs)

    monkeypatch.setattr(services, "ticket_open", wait_for_the_other)
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
