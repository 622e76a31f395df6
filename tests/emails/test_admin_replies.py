"""From the ticket's admin page: a staff reply and a stage change reach the client by
e-mail, an internal note does not (issue 4, point 4)."""

import pytest

from tests.admin_pages import save_ticket_page
from tickets.models import TimelineEntry
from workflows.models import Stage

pytestmark = pytest.mark.django_db
Kind = TimelineEntry.Kind


@pytest.fixture
def staff_client(client, staff_seguros):
    client.force_login(staff_seguros)
    return client


def test_a_staff_reply_on_the_admin_page_is_mailed_to_the_requester(staff_client, ticket_a, committed, deliver):
    with committed.capture():
        response = save_ticket_page(staff_client, ticket_a, kind=Kind.STAFF_REPLY, body="Su póliza quedó renovada.")

    assert response.status_code == 302
    [mail] = deliver()
    assert mail.to == ["ana@transportesdelnorte.mx"]
    assert "Su póliza quedó renovada." in mail.body


def test_an_internal_note_on_the_admin_page_is_not_mailed(staff_client, ticket_a, committed, deliver):
    with committed.capture():
        save_ticket_page(staff_client, ticket_a, kind=Kind.INTERNAL_NOTE, body="Revisar adeudo antes de emitir.")

    assert ticket_a.entries.filter(kind=Kind.INTERNAL_NOTE).exists()
    assert deliver() == []


def test_a_stage_change_on_the_admin_page_is_mailed(staff_client, ticket_a, committed, deliver):
    emision = Stage.objects.get(area__slug="seguros", name="Emisión")
    with committed.capture():
        save_ticket_page(staff_client, ticket_a, stage=emision)

    [mail] = deliver()
    assert "Su nuevo estado es: Abierto-Emisión" in mail.body
