"""Issue 8, point 6: the admin pages staff use all day read well and default sensibly."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.admin_pages import save_ticket_page
from tests.factories import make_ticket
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry
from workflows.models import Stage

Kind = TimelineEntry.Kind
CHANGELIST = reverse("admin:tickets_ticket_changelist")
pytestmark = pytest.mark.django_db


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


@pytest.fixture
def seguros_client(client, staff_seguros):
    client.force_login(staff_seguros)
    return client


def test_the_list_shows_dates_in_the_portals_short_format(seguros_client, ticket_a):
    # 21:50 UTC is 15:50 in Mexico City (UTC-6, no daylight saving time since 2022).
    moment = datetime(2026, 12, 1, 21, 50, tzinfo=UTC)
    Ticket.objects.filter(pk=ticket_a.pk).update(created_at=moment, last_activity_at=moment)
    content = seguros_client.get(CHANGELIST).content.decode()
    assert content.count("1 dic 2026, 15:50") == 2  # Creado and Última actividad
    assert "Dec. 1, 2026" not in content and "1 de diciembre de 2026" not in content


def test_the_new_entry_form_labels_start_with_a_capital(seguros_client, ticket_a):
    content = seguros_client.get(change_url(ticket_a)).content.decode()
    for label in ("Tipo:", "Canal de la conversación:", "Adjunto (PDF, JPG o PNG):", "Historial del ticket"):
        assert label in content
    assert "tipo:" not in content and "canal de la conversación:" not in content


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.WHATSAPP, Channel.PORTAL])
def test_a_team_reply_starts_on_the_tickets_channel(seguros_client, client_a, channel):
    ticket = make_ticket(requester=client_a, area="seguros", channel=channel)
    content = seguros_client.get(change_url(ticket)).content.decode()
    assert f'<option value="{channel}" selected>' in content
    assert '<option value="phone" selected>' not in content

    save_ticket_page(seguros_client, ticket, kind=Kind.STAFF_REPLY, body="Con gusto")  # selects left alone
    assert ticket.entries.get(kind=Kind.STAFF_REPLY).channel == channel


def test_internal_notes_look_different_from_replies(seguros_client, ticket_a, staff_seguros):
    services.entry_add(ticket=ticket_a, kind=Kind.INTERNAL_NOTE, author=staff_seguros, body="Nota del equipo", channel="internal")
    services.entry_add(ticket=ticket_a, kind=Kind.STAFF_REPLY, author=staff_seguros, body="Respuesta pública", channel="email")
    content = seguros_client.get(change_url(ticket_a)).content.decode()
    note = re.search(r"<div class='timeline-entry([^']*)'><strong>Nota interna</strong>[^<]*<span[^>]*>([^<]*)</span>", content)
    reply = re.search(r"<div class='timeline-entry([^']*)'><strong>Respuesta del equipo</strong>", content)
    assert note and note[1] == " timeline-entry--internal" and note[2] == "No visible para el cliente"
    assert reply and reply[1] == ""


def test_the_stage_select_has_no_add_change_or_delete_icons(client, superuser, ticket_a):
    # A superuser may edit stages, so Django would offer the icons to them.
    client.force_login(superuser)
    content = client.get(change_url(ticket_a)).content.decode()
    assert 'name="stage"' in content
    for link in ("add_id_stage", "change_id_stage", "delete_id_stage", "view_id_stage"):
        assert link not in content


class TestMoveToStagePage:
    def post_action(self, client, tickets, query="", **extra):
        data = {"action": "move_to_stage", ACTION_CHECKBOX_NAME: [t.pk for t in tickets], **extra}
        return client.post(f"{CHANGELIST}{query}", data)

    def test_it_has_the_admins_form_styling_and_a_cancel_link_back_to_the_filtered_list(self, seguros_client, ticket_a):
        content = self.post_action(seguros_client, [ticket_a], query="?state=open").content.decode()
        assert 'class="module aligned"' in content and 'class="submit-row"' in content
        assert f'<a href="{CHANGELIST}?state=open" class="button cancel-link">Cancelar</a>' in content

    def test_its_message_counts_what_it_moved_and_what_it_skipped(self, seguros_client, client_a, staff_seguros):
        cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
        first, second = make_ticket(requester=client_a, area="seguros"), make_ticket(requester=client_a, area="seguros")
        already = make_ticket(requester=client_a, area="seguros")
        already.move_to(cotizacion, by=staff_seguros)
        response = self.post_action(seguros_client, [first, second, already], apply="1", stage=cotizacion.pk)
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        assert message == "2 tickets movidos a «Abierto-Cotización»; 1 ya estaba en esa etapa."
        assert Ticket.objects.filter(stage=cotizacion).count() == 3
