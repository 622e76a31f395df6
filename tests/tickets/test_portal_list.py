"""The portal's ticket list (seed 001: "Filtrar o buscar en la lista")."""

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from workflows.models import Area, Stage

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:ticket_list")


def subjects(response) -> list[str]:
    return [ticket.subject for ticket in response.context["tickets"]]


def close(ticket, by):
    ticket.move_to(ticket.area.stages.closed().get(), by=by)


def test_it_requires_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_site_root_leads_to_the_list(client):
    assert client.get("/")["Location"] == LIST_URL


def test_it_sends_staff_to_admin(client, staff_seguros):
    client.force_login(staff_seguros)
    assert client.get(LIST_URL)["Location"] == reverse("admin:index")


def test_it_shows_my_tickets_by_default(logged_in, client_a, colleague_a, client_b):
    make_ticket(requester=client_a, subject="Mío")
    make_ticket(requester=colleague_a, subject="De Luis")
    make_ticket(requester=client_b, subject="De otra empresa")
    assert subjects(logged_in.get(LIST_URL)) == ["Mío"]


def test_it_shows_the_organizations_tickets(logged_in, client_a, colleague_a, client_b):
    make_ticket(requester=client_a, subject="Mío")
    make_ticket(requester=colleague_a, subject="De Luis")
    make_ticket(requester=client_b, subject="De otra empresa")
    response = logged_in.get(LIST_URL, {"ver": "organizacion"})
    assert sorted(subjects(response)) == ["De Luis", "Mío"]
    assert "Abierto por Luis Pérez" in response.text


def test_it_shows_the_columns_of_the_seed(logged_in, client_a):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza")
    ticket.move_to(Stage.objects.get(area__slug="seguros", name="Cotización"), by=None)
    text = logged_in.get(LIST_URL).text
    for header in ("ID", "Asunto", "Área", "Creado", "Última actividad", "Estado"):
        assert f">{header}<" in text
    assert f"#{ticket.number}" in text
    assert "Abierto-Cotización" in text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("gestoria", ["Trámite de gestoría"]),
        ("Gestoría", ["Trámite de gestoría"]),
        ("POLIZA", ["Renovación de póliza"]),
        ("póliza", ["Renovación de póliza"]),
        ("renov", ["Renovación de póliza"]),
        ("nada parecido", []),
    ],
)
def test_it_searches_subjects_ignoring_case_and_accents(logged_in, client_a, query, expected):
    make_ticket(requester=client_a, area="gestorias", subject="Trámite de gestoría")
    make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza")
    assert subjects(logged_in.get(LIST_URL, {"q": query})) == expected


def test_a_number_finds_that_ticket(logged_in, client_a):
    wanted = make_ticket(requester=client_a, subject="Primero")
    make_ticket(requester=client_a, subject="Segundo")
    assert subjects(logged_in.get(LIST_URL, {"q": str(wanted.number)})) == ["Primero"]
    assert subjects(logged_in.get(LIST_URL, {"q": f"#{wanted.number}"})) == ["Primero"]


def test_search_never_reaches_other_companies(logged_in, client_b):
    other = make_ticket(requester=client_b, subject="Póliza ajena")
    assert subjects(logged_in.get(LIST_URL, {"q": "poliza", "ver": "organizacion"})) == []
    assert subjects(logged_in.get(LIST_URL, {"q": str(other.number), "ver": "organizacion"})) == []


def test_it_filters_by_state(logged_in, client_a, staff_seguros):
    make_ticket(requester=client_a, subject="Sigue abierto")
    close(make_ticket(requester=client_a, subject="Ya cerrado"), staff_seguros)
    assert subjects(logged_in.get(LIST_URL, {"estado": "abierto"})) == ["Sigue abierto"]
    assert subjects(logged_in.get(LIST_URL, {"estado": "cerrado"})) == ["Ya cerrado"]
    assert sorted(subjects(logged_in.get(LIST_URL, {"estado": "todos"}))) == ["Sigue abierto", "Ya cerrado"]


def test_it_filters_by_area_and_stage(logged_in, client_a):
    make_ticket(requester=client_a, area="gestorias", subject="Gestión")
    quote = make_ticket(requester=client_a, area="seguros", subject="Cotizar")
    make_ticket(requester=client_a, area="seguros", subject="Seguro recién abierto")
    cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
    quote.move_to(cotizacion, by=None)
    assert subjects(logged_in.get(LIST_URL, {"area": "gestorias"})) == ["Gestión"]
    assert subjects(logged_in.get(LIST_URL, {"etapa": cotizacion.pk})) == ["Cotizar"]


def test_it_ignores_unknown_values_instead_of_widening_the_list(logged_in, client_a, colleague_a):
    make_ticket(requester=client_a, subject="Mío")
    make_ticket(requester=colleague_a, subject="De Luis")
    response = logged_in.get(LIST_URL, {"ver": "todo", "estado": "raro", "orden": "password", "area": "x", "etapa": "y"})
    assert response.status_code == 200
    assert subjects(response) == ["Mío"]


def test_it_sorts_by_last_activity_newest_first_by_default(logged_in, client_a):
    older = make_ticket(requester=client_a, subject="Antiguo")
    make_ticket(requester=client_a, subject="Reciente")
    assert subjects(logged_in.get(LIST_URL)) == ["Reciente", "Antiguo"]
    from tickets.services import entry_add

    entry_add(ticket=older, kind="client_message", author=client_a, body="¿Novedades?", channel="portal")
    assert subjects(logged_in.get(LIST_URL)) == ["Antiguo", "Reciente"]


@pytest.mark.parametrize(
    "order, expected",
    [
        ("asunto", ["Alfa", "Beta", "Ómicron"]),
        ("-asunto", ["Ómicron", "Beta", "Alfa"]),
        ("numero", ["Beta", "Ómicron", "Alfa"]),
        ("-creado", ["Alfa", "Ómicron", "Beta"]),
        ("area", ["Ómicron", "Beta", "Alfa"]),
    ],
)
def test_it_sorts_by_any_column(logged_in, client_a, order, expected):
    make_ticket(requester=client_a, area="siniestros", subject="Beta")
    make_ticket(requester=client_a, area="gestorias", subject="Ómicron")
    make_ticket(requester=client_a, area="tecnologia-it", subject="Alfa")
    assert subjects(logged_in.get(LIST_URL, {"orden": order})) == expected


def test_sort_links_keep_the_filters(logged_in, client_a):
    make_ticket(requester=client_a, subject="Póliza")
    text = logged_in.get(LIST_URL, {"q": "poliza", "estado": "abierto"}).text
    assert 'href="?q=poliza&amp;estado=abierto&amp;orden=asunto"' in text


def test_it_paginates_by_25(logged_in, client_a):
    area = Area.objects.get(slug="seguros")
    for n in range(27):
        make_ticket(requester=client_a, area=area, subject=f"Ticket {n:02d}")
    first = logged_in.get(LIST_URL)
    assert len(first.context["tickets"]) == 25
    assert "Página 1 de 2" in first.text
    second = logged_in.get(LIST_URL, {"pagina": 2})
    assert subjects(second) == ["Ticket 01", "Ticket 00"]


def test_it_explains_how_to_open_a_first_ticket(logged_in):
    text = logged_in.get(LIST_URL).text
    assert "Aún no hay tickets aquí" in text
    assert reverse("portal:ticket_new") in text


def test_it_explains_how_to_clear_filters_when_nothing_matches(logged_in, client_a):
    make_ticket(requester=client_a, subject="Póliza")
    text = logged_in.get(LIST_URL, {"q": "inexistente"}).text
    assert "Ningún ticket coincide con la búsqueda" in text
    assert "Quitar filtros" in text


def test_search_text_follows_subject_changes(client_a):
    ticket = make_ticket(requester=client_a, subject="Póliza")
    ticket.subject = "Gestoría urgente"
    ticket.save(update_fields=["subject"])
    ticket.refresh_from_db()
    assert ticket.subject_search == "gestoria urgente"


@pytest.mark.parametrize("rows", [5, 100])
def test_the_list_runs_a_constant_number_of_queries(client, client_a, colleague_a, django_assert_num_queries, rows):
    area = Area.objects.get(slug="seguros")
    for n in range(rows):
        make_ticket(requester=client_a if n % 2 else colleague_a, area=area, subject=f"Ticket {n}")
    client.force_login(client_a)
    # session, user, the stages of the filter menus, the count, the page's numbers,
    # those tickets, and the session's save (SESSION_SAVE_EVERY_REQUEST: savepoint,
    # update, release).
    filters = {"ver": "organizacion", "q": "ticket", "estado": "abierto"}
    with django_assert_num_queries(9):
        response = client.get(LIST_URL, filters)
    assert len(response.context["tickets"]) == min(rows, 25)
    # Sorted another way, the page is rendered again, but its menus and its count
    # come from the cache until something changes (issue 10).
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {**filters, "orden": "asunto"})
    assert len(response.context["tickets"]) == min(rows, 25)


def test_a_row_escapes_what_clients_typed_and_labels_its_cells(logged_in, client_a, colleague_a):
    colleague_a.first_name = "<b>Luis</b>"
    colleague_a.save()
    ticket = make_ticket(requester=colleague_a, subject='<script>alert("x")</script> & "póliza"')
    text = logged_in.get(LIST_URL, {"ver": "organizacion", "q": "poliza"}).text
    row = text[text.index("<tbody>") : text.index("</tbody>")]
    assert "<script>" not in row and "<b>" not in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;póliza&quot;" in row
    assert "Abierto por &lt;b&gt;Luis&lt;/b&gt; Pérez" in row
    detail = reverse("portal:ticket_detail", args=[ticket.number])
    assert f'<a href="{detail}?volver=' in row
    for label in ("ID", "Asunto", "Área", "Creado", "Última actividad", "Estado"):
        assert f'data-label="{label}"' in row
