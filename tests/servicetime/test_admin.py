"""The service clock in admin: targets edited with the pipelines; overdue and
due-today tickets first, the "Plazo" filter and column, counts per area (issue 11.2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicetime.deadlines import end_of_today
from servicetime.ticket_admin import due_column
from tests.factories import make_ticket
from tickets.models import Ticket
from workflows.models import Area, Stage

CHANGELIST = reverse("admin:tickets_ticket_changelist")


def set_due(ticket, due_at):
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due_at)
    return ticket


def due_later_today():
    """A moment later today in Mexico City, however late it is now."""
    now = timezone.now()
    return now + (end_of_today(now) - now) / 2


@pytest.fixture
def board(client_a, staff_seguros):
    """Seguros tickets overdue, due today, on time, paused and closed; a Gestorías one overdue."""
    now = timezone.now()
    tickets = {
        "later": set_due(make_ticket(requester=client_a, subject="En tiempo"), now + timedelta(days=5)),
        "overdue": set_due(make_ticket(requester=client_a, subject="Vencido"), now - timedelta(hours=3)),
        "today": set_due(make_ticket(requester=client_a, subject="Vence hoy"), due_later_today()),
        "older_overdue": set_due(make_ticket(requester=client_a, subject="Vencido hace días"), now - timedelta(days=4)),
        "gestorias": set_due(
            make_ticket(requester=client_a, area="gestorias", subject="Vencido de Gestorías"), now - timedelta(hours=1)
        ),
    }
    paused = make_ticket(requester=client_a, subject="En pausa")
    paused.move_to(Stage.objects.get(area__slug="seguros", name="Esperando información cliente"), by=staff_seguros)
    closed = make_ticket(requester=client_a, subject="Cerrado")
    closed.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
    return tickets | {"paused": paused, "closed": closed}


def listed(response) -> list[str]:
    return [ticket.subject for ticket in response.context["cl"].result_list]


class TestChangelist:
    def test_overdue_come_first_then_due_today_then_the_rest(self, admin_client, board):
        assert listed(admin_client.get(CHANGELIST))[:5] == [
            "Vencido hace días",
            "Vencido",
            "Vencido de Gestorías",
            "Vence hoy",
            "En tiempo",
        ]

    def test_the_plazo_column_sorts_both_ways(self, admin_client, board):
        column = admin_client.get(CHANGELIST).context["cl"].list_display.index(due_column)
        ascending = listed(admin_client.get(CHANGELIST, {"o": str(column)}))
        assert ascending[:2] == ["Vencido hace días", "Vencido"]
        assert ascending.index("En tiempo") < ascending.index("En pausa")
        descending = listed(admin_client.get(CHANGELIST, {"o": f"-{column}"}))
        assert descending.index("En tiempo") < descending.index("Vence hoy") < descending.index("Vencido hace días")

    @pytest.mark.parametrize(
        ("value", "subjects"),
        [
            ("vencidos", {"Vencido hace días", "Vencido", "Vencido de Gestorías"}),
            ("hoy", {"Vence hoy"}),
            ("en-tiempo", {"En tiempo"}),
            ("sin-plazo", {"En pausa", "Cerrado"}),
        ],
    )
    def test_the_plazo_filter(self, admin_client, board, value, subjects):
        assert set(listed(admin_client.get(CHANGELIST, {"plazo": value}))) == subjects

    def test_the_column_says_where_each_ticket_stands(self, admin_client, board):
        text = admin_client.get(CHANGELIST).content.decode()
        assert 'class="due due-vencidos">Vencido · ' in text
        assert 'class="due due-hoy">Hoy, ' in text
        assert 'class="due due-sin-plazo">En pausa<' in text

    def test_it_counts_overdue_and_due_today_per_area(self, admin_client, board):
        response = admin_client.get(CHANGELIST)
        counts = {row["area__name"]: (row["overdue"], row["today"]) for row in response.context["due_counts"]()}
        assert counts == {"Gestorías": (1, 0), "Seguros": (2, 1)}
        text = response.content.decode()
        assert "Plazos por área" in text
        assert "2 vencidos" in text and "1 vence hoy" in text
        seguros = Area.objects.get(slug="seguros")
        assert f"?plazo=vencidos&amp;area__id__exact={seguros.pk}" in text

    def test_a_seguros_member_counts_only_seguros(self, client, staff_seguros, board):
        client.force_login(staff_seguros)
        response = client.get(CHANGELIST)
        counts = {row["area__name"]: (row["overdue"], row["today"]) for row in response.context["due_counts"]()}
        assert counts == {"Seguros": (2, 1)}
        assert "Vencido de Gestorías" not in response.content.decode()
        assert "Vencido de Gestorías" not in listed(client.get(CHANGELIST, {"plazo": "vencidos"}))

    def test_with_nothing_due_it_says_so(self, admin_client, ticket_a):
        set_due(ticket_a, timezone.now() + timedelta(days=10))
        assert "Ningún ticket vencido ni por vencer hoy." in admin_client.get(CHANGELIST).content.decode()

    def test_the_ticket_page_shows_the_deadline(self, admin_client, ticket_a):
        text = admin_client.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk])).content.decode()
        assert "Plazo" in text


class TestPipelinesAdmin:
    def test_the_area_page_edits_each_stages_target(self, admin_client):
        seguros = Area.objects.get(slug="seguros")
        text = admin_client.get(reverse("admin:workflows_area_change", args=[seguros.pk])).content.decode()
        assert 'name="stages-0-target_business_days"' in text

    def test_a_stage_target_is_saved(self, admin_client):
        cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
        url = reverse("admin:workflows_stage_change", args=[cotizacion.pk])
        response = admin_client.post(url, page_data(admin_client.get(url), target_business_days="3"))
        assert response.status_code == 302
        cotizacion.refresh_from_db()
        assert cotizacion.target_business_days == 3

    def test_a_target_of_zero_days_is_refused(self, admin_client):
        cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
        url = reverse("admin:workflows_stage_change", args=[cotizacion.pk])
        response = admin_client.post(url, page_data(admin_client.get(url), target_business_days="0"))
        assert response.status_code == 200
        cotizacion.refresh_from_db()
        assert cotizacion.target_business_days == 2


def page_data(page, **changes) -> dict:
    """What the browser posts back from an admin change page, its inlines included, with `changes`."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        forms += formset.initial_forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (False, None):
                data[form.add_prefix(name)] = value
    for name, value in changes.items():
        data[name] = value
    return data
