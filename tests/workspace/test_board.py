"""The pipeline board ("Tablero"): columns, cards, filters, moves and owners from it."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganizationFactory, UserFactory, make_ticket
from tickets.models import Ticket, TimelineEntry
from workflows.models import Stage
from workspace.board import CARDS_PER_COLUMN

Kind = TimelineEntry.Kind
BOARD = reverse("workspace:board", args=["seguros"])
MOVE = reverse("workspace:board_move", args=["seguros"])
ASSIGN = reverse("workspace:board_assign", args=["seguros"])


def stage(name, area="seguros"):
    return Stage.objects.get(area__slug=area, name=name)


def columns_of(response):
    return {column.stage.name: column for column in response.context["columns"]}


def card_subjects(response, stage_name):
    return [ticket.subject for ticket in columns_of(response)[stage_name].cards]


class TestColumnsAndCards:
    def test_a_column_per_stage_in_the_areas_order(self, seguros_admin):
        response = seguros_admin.get(BOARD)
        assert [c.stage.name for c in response.context["columns"]] == list(
            stage("Abierto").area.stages.order_by("position").values_list("name", flat=True)
        )

    def test_a_card_per_open_ticket_newest_activity_first(self, seguros_admin, client_a, staff_seguros, teammate_seguros):
        older = make_ticket(requester=client_a, subject="Primero")
        newer = make_ticket(requester=client_a, subject="Segundo")
        newer.assign_to(teammate_seguros, by=staff_seguros)
        closed = make_ticket(requester=client_a, subject="Ya cerrado")
        closed.move_to(stage("Cerrado"), by=staff_seguros)

        response = seguros_admin.get(BOARD)
        assert card_subjects(response, "Abierto") == ["Segundo", "Primero"]
        assert card_subjects(response, "Cerrado") == []
        page = response.content.decode()
        assert f"#{older.number} · Primero" in page
        assert "Transportes del Norte" in page
        assert "Rosa Téllez" in page and "Sin responsable" in page

    def test_it_shows_the_time_in_stage_and_marks_tickets_waiting_on_the_client(self, seguros_admin, client_a, staff_seguros):
        ticket = make_ticket(requester=client_a, subject="Falta la factura")
        two_days_ago = timezone.now() - timedelta(days=2)
        ticket.move_to(stage("Esperando información cliente"), by=staff_seguros, at=two_days_ago)

        response = seguros_admin.get(BOARD)
        [card] = columns_of(response)["Esperando información cliente"].cards
        assert card.in_stage_since == two_days_ago
        page = response.content.decode()
        assert "hace 2\xa0días" in page
        assert 'class="board-card board-card-waiting"' in page

    def test_it_filters_by_owner_and_organization(self, seguros_admin, client_a, client_b, staff_seguros, teammate_seguros):
        mine = make_ticket(requester=client_a, subject="Mío")
        mine.assign_to(staff_seguros, by=staff_seguros)
        rosas = make_ticket(requester=client_b, subject="De Rosa")
        rosas.assign_to(teammate_seguros, by=staff_seguros)
        make_ticket(requester=client_b, subject="De nadie")

        def subjects(**params):
            return set(card_subjects(seguros_admin.get(BOARD, params), "Abierto"))

        assert subjects() == {"Mío", "De Rosa", "De nadie"}
        assert subjects(responsable="mios") == {"Mío"}
        assert subjects(responsable="nadie") == {"De nadie"}
        assert subjects(responsable=str(teammate_seguros.pk)) == {"De Rosa"}
        assert subjects(organizacion="constructora") == {"De Rosa", "De nadie"}
        assert subjects(responsable="nadie", organizacion="Constructora Sol") == {"De nadie"}
        assert subjects(organizacion="Nadie se llama así") == set()
        assert subjects(responsable="basura", organizacion="x" * 101) == {"Mío", "De Rosa", "De nadie"}
        page = seguros_admin.get(BOARD, {"organizacion": "x" * 101}).content.decode()
        assert "como máximo 100 caracteres" in page  # said at the filter, not silently dropped

    def test_columns_are_capped_with_a_link_to_the_rest(self, seguros_admin, client_a):
        for i in range(CARDS_PER_COLUMN + 3):
            make_ticket(requester=client_a, subject=f"Ticket {i}")
        response = seguros_admin.get(BOARD)
        column = columns_of(response)["Abierto"]
        assert (column.total, len(column.cards), column.remaining) == (CARDS_PER_COLUMN + 3, CARDS_PER_COLUMN, 3)
        assert column.cards[0].subject == f"Ticket {CARDS_PER_COLUMN + 2}"
        column_url = reverse("workspace:board_column", args=["seguros", column.stage.pk])
        assert column_url in response.content.decode()

        page = seguros_admin.get(column_url, {"pagina": "1"})
        assert page.context["page"].paginator.count == CARDS_PER_COLUMN + 3
        assert len(page.context["page"].object_list) == CARDS_PER_COLUMN + 3
        assert seguros_admin.get(column_url, {"pagina": "zzz"}).status_code == 200

    def test_the_query_count_does_not_grow_with_the_tickets(
        self, seguros_admin, client_a, client_b, staff_seguros, django_assert_num_queries
    ):
        def make(count):
            for i in range(count):
                ticket = make_ticket(requester=client_a if i % 2 else client_b, subject=f"T{i}")
                if i % 3 == 0:
                    ticket.move_to(stage("Cotización"), by=staff_seguros)
                if i % 4 == 0:
                    ticket.assign_to(staff_seguros, by=staff_seguros)

        make(3)
        seguros_admin.get(BOARD)
        # session, user, 2 permission reads, area, owners for the filter (organizations are
        # typed, not listed), stages, counts, ids, cards, stages and owners for the menus,
        # session refresh (3).
        with django_assert_num_queries(15):
            seguros_admin.get(BOARD)
        make(CARDS_PER_COLUMN + 10)
        with django_assert_num_queries(15):
            seguros_admin.get(BOARD)


class TestMoves:
    def test_a_move_calls_move_to_and_records_who(self, seguros_admin, ticket_a, staff_seguros):
        response = seguros_admin.post(
            MOVE, {"ticket": ticket_a.pk, "stage": stage("Cotización").pk}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200 and json.loads(response.content)["ok"]
        entry = ticket_a.entries.get(kind=Kind.STAGE_CHANGE)
        assert (entry.author, entry.from_stage.name, entry.to_stage.name) == (staff_seguros, "Abierto", "Cotización")

    def test_a_refused_move_answers_why_and_changes_nothing(self, seguros_admin, ticket_a):
        response = seguros_admin.post(
            MOVE, {"ticket": ticket_a.pk, "stage": stage("Verificaciones", "gestorias").pk}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 400
        assert "no pertenece al área" in json.loads(response.content)["message"]
        assert Ticket.objects.get(pk=ticket_a.pk).stage.name == "Abierto"

    def test_without_javascript_the_card_menu_moves_and_comes_back_to_the_board(self, seguros_admin, ticket_a):
        back = f"{BOARD}?responsable=nadie"
        response = seguros_admin.post(MOVE, {"ticket": ticket_a.pk, "stage": stage("Aprobación").pk, "next": back})
        assert response.status_code == 302 and response.url == back
        assert Ticket.objects.get(pk=ticket_a.pk).stage.name == "Aprobación"
        assert "movido a «Aprobación»" in seguros_admin.get(back).content.decode()

        refused = seguros_admin.post(MOVE, {"ticket": ticket_a.pk, "stage": "999999", "next": "https://evil.example/"})
        assert refused.url == BOARD
        assert "Elija una etapa." in seguros_admin.get(BOARD).content.decode()

    def test_a_future_rule_that_refuses_a_move_is_shown(self, seguros_admin, ticket_a, monkeypatch):
        from django.core.exceptions import ValidationError

        def refuse(self, stage, **kwargs):
            raise ValidationError("Falta la póliza firmada.")

        monkeypatch.setattr(Ticket, "move_to", refuse)
        response = seguros_admin.post(MOVE, {"ticket": ticket_a.pk, "stage": stage("Emisión").pk}, HTTP_ACCEPT="application/json")
        assert (response.status_code, json.loads(response.content)["message"]) == (400, "Falta la póliza firmada.")

    def test_the_board_assigns_owners(self, seguros_admin, ticket_a, teammate_seguros, staff_gestorias):
        assert seguros_admin.post(ASSIGN, {"ticket": ticket_a.pk, "owner": teammate_seguros.pk}).status_code == 302
        assert Ticket.objects.get(pk=ticket_a.pk).owner == teammate_seguros
        refused = seguros_admin.post(ASSIGN, {"ticket": ticket_a.pk, "owner": staff_gestorias.pk}, HTTP_ACCEPT="application/json")
        assert refused.status_code == 400
        assert seguros_admin.post(ASSIGN, {"ticket": ticket_a.pk, "owner": ""}).status_code == 302
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None
        assert ticket_a.entries.filter(kind=Kind.OWNER_CHANGE).count() == 2

    def test_get_is_not_a_move(self, seguros_admin, ticket_a):
        assert seguros_admin.get(MOVE, {"ticket": ticket_a.pk, "stage": stage("Emisión").pk}).status_code == 405


class TestPermissions:
    def test_a_seguros_member_cannot_see_or_move_gestorias_tickets(self, seguros_admin, gestoria_ticket, staff_seguros):
        assert seguros_admin.get(reverse("workspace:board", args=["gestorias"])).status_code == 404
        gestorias_move = reverse("workspace:board_move", args=["gestorias"])
        verificaciones = stage("Verificaciones", "gestorias")
        assert seguros_admin.post(gestorias_move, {"ticket": gestoria_ticket.pk, "stage": verificaciones.pk}).status_code == 404
        assert seguros_admin.post(MOVE, {"ticket": gestoria_ticket.pk, "stage": verificaciones.pk}).status_code == 404
        assert seguros_admin.post(ASSIGN, {"ticket": gestoria_ticket.pk, "owner": staff_seguros.pk}).status_code == 404
        assert Ticket.objects.get(pk=gestoria_ticket.pk).stage.name == "Abierto"
        assert "Pago de tenencia" not in seguros_admin.get(BOARD).content.decode()

    def test_clients_and_strangers_are_sent_to_the_login(self, client, client_a, ticket_a):
        assert client.get(BOARD).status_code == 302
        client.force_login(client_a)
        assert client.get(BOARD).status_code == 302
        client.post(MOVE, {"ticket": ticket_a.pk, "stage": stage("Emisión").pk})
        assert Ticket.objects.get(pk=ticket_a.pk).stage.name == "Abierto"

    def test_staff_without_ticket_permissions_get_a_403(self, client, db):
        nobody = UserFactory(email="nuevo@jhl.mx", is_staff=True, organization=OrganizationFactory(name="JHL"))
        client.force_login(nobody)
        assert client.get(BOARD).status_code == 403
