"""Ready answers ("Respuestas predefinidas"): per area, filled for the ticket, managed by
the area's own team."""

import json

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from workflows.models import Area
from workspace.models import ReadyAnswer, fill_placeholders

ADD = reverse("admin:workspace_readyanswer_add")
LIST = reverse("admin:workspace_readyanswer_changelist")


def answer(area, title, body):
    return ReadyAnswer.objects.create(area=Area.objects.get(slug=area), title=title, body=body)


@pytest.fixture
def seguros_answer(db):
    return answer("seguros", "Pedir póliza", "Hola {nombre}: para el ticket {ticket} ({etapa}) necesitamos su póliza.")


@pytest.fixture
def gestorias_answer(db):
    return answer("gestorias", "Pedir tarjeta", "Envíe su tarjeta de circulación, {nombre}.")


class TestPlaceholders:
    def test_known_placeholders_are_filled_for_the_ticket(self, ticket_a):
        text = fill_placeholders("Hola {nombre}: ticket {ticket}, etapa {etapa}. {nombre}", ticket_a)
        assert text == f"Hola Ana García: ticket #{ticket_a.number}, etapa Abierto. Ana García"

    def test_unknown_ones_and_format_tricks_stay_as_typed(self, ticket_a):
        typed = "{Nombre} {folio} {ticket.requester.password} {0} {{ticket}} {"
        assert (
            fill_placeholders(typed, ticket_a)
            == f"{{Nombre}} {{folio}} {{ticket.requester.password}} {{0}} {{#{ticket_a.number}}} {{"
        )


class TestTicketPage:
    def test_the_reply_box_offers_the_areas_answers_filled_for_the_ticket(
        self, seguros_admin, ticket_a, seguros_answer, gestorias_answer
    ):
        response = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk]))
        page = response.content.decode()
        assert 'data-target="entries-2-0-body"' in page
        assert "Pedir póliza" in page and "Pedir tarjeta" not in page
        data = page.split('<script id="ready-answers-data" type="application/json">')[1].split("</script>")[0]
        assert json.loads(data) == [
            {
                "title": "Pedir póliza",
                "text": f"Hola Ana García: para el ticket #{ticket_a.number} (Abierto) necesitamos su póliza.",
            }
        ]
        assert "js/ready-answers.js" in page

    def test_what_clients_typed_cannot_break_out_of_the_data(self, seguros_admin, client_a, seguros_answer):
        ticket = make_ticket(requester=client_a, subject="x")
        ticket.contact_name = "</script><script>alert(1)</script>"
        ticket.save(update_fields=["contact_name"])
        page = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
        assert "<script>alert(1)" not in page
        assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in page

    def test_without_answers_there_is_no_picker(self, seguros_admin, ticket_a, gestorias_answer):
        page = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk])).content.decode()
        assert "ready-answers" not in page.replace("js/ready-answers.js", "")


class TestManagement:
    def test_a_team_lists_and_opens_only_its_areas_answers(self, seguros_admin, seguros_answer, gestorias_answer):
        listing = seguros_admin.get(LIST).content.decode()
        assert "Pedir póliza" in listing and "Pedir tarjeta" not in listing
        other = reverse("admin:workspace_readyanswer_change", args=[gestorias_answer.pk])
        assert seguros_admin.get(other).status_code in (302, 404)
        seguros_admin.post(other, {"area": gestorias_answer.area_id, "title": "Cambiada", "body": "x"})
        assert ReadyAnswer.objects.get(pk=gestorias_answer.pk).title == "Pedir tarjeta"

    def test_a_team_adds_answers_to_its_areas_only(self, seguros_admin):
        seguros = Area.objects.get(slug="seguros")
        gestorias = Area.objects.get(slug="gestorias")
        form = seguros_admin.get(ADD).context["adminform"].form
        assert list(form.fields["area"].queryset) == [seguros]

        refused = seguros_admin.post(ADD, {"area": gestorias.pk, "title": "Intrusa", "body": "x"})
        assert refused.status_code == 200 and not ReadyAnswer.objects.exists()
        created = seguros_admin.post(ADD, {"area": seguros.pk, "title": "Saludo", "body": "Hola {nombre}"})
        assert created.status_code == 302
        assert ReadyAnswer.objects.get().area == seguros
