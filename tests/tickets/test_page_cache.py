"""The portal list is served from the cache until something it shows changes
(tickets/page_cache.py, issue 10)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_ticket
from tickets import page_cache, services
from tickets.models import Channel, TimelineEntry
from workflows.models import Stage

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:ticket_list")
ORG = {"ver": "organizacion"}


def served_from_cache(client, django_assert_max_num_queries, **params) -> str:
    """The page, asserting it came from the cache: no ticket query, only the session,
    its user and the session's save (with its savepoint); a rendered page runs 9."""
    with django_assert_max_num_queries(5):
        return client.get(LIST_URL, params).text


def test_a_second_visit_is_served_from_the_cache(logged_in, client_a, django_assert_max_num_queries):
    make_ticket(requester=client_a, subject="Renovación de póliza")
    first = logged_in.get(LIST_URL, ORG).text
    again = served_from_cache(logged_in, django_assert_max_num_queries, **ORG)
    assert again == first and "Renovación de póliza" in again


@pytest.mark.parametrize(
    "change",
    [
        "new ticket by a colleague",
        "client message",
        "stage change",
        "subject edit",
        "stage renamed",
        "colleague renamed",
        "ticket deleted",
    ],
)
def test_each_change_it_shows_reaches_the_list(logged_in, client_a, colleague_a, staff_seguros, change):
    ticket = make_ticket(requester=colleague_a, area="seguros", subject="Póliza de la flotilla")
    logged_in.get(LIST_URL, ORG)
    cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
    if change == "new ticket by a colleague":
        make_ticket(requester=colleague_a, subject="Placas nuevas")
        expected = "Placas nuevas"
    elif change == "client message":
        services.entry_add(
            ticket=ticket, kind=TimelineEntry.Kind.CLIENT_MESSAGE, author=colleague_a, body="Hola", channel=Channel.EMAIL
        )
        expected = 'class="cell-date"'  # the page is rendered again (its dates moved)
        assert page_cache.lookup(_request(logged_in, client_a))[0] is None
    elif change == "stage change":
        ticket.move_to(cotizacion, by=staff_seguros)
        expected = "Abierto-Cotización"
    elif change == "subject edit":
        services.ticket_update(ticket=ticket, by=staff_seguros, changes={"subject": "Póliza corregida"})
        expected = "Póliza corregida"
    elif change == "stage renamed":
        ticket.move_to(cotizacion, by=staff_seguros)
        logged_in.get(LIST_URL, ORG)
        cotizacion.name = "Cotizando"
        cotizacion.save()
        expected = "Abierto-Cotizando"
    elif change == "colleague renamed":
        colleague_a.first_name = "Luisa"
        colleague_a.save()
        expected = "Abierto por Luisa Pérez"
    else:
        ticket.entries.all().delete()
        ticket.delete()
        assert "Póliza de la flotilla" not in logged_in.get(LIST_URL, ORG).text
        return
    assert expected in logged_in.get(LIST_URL, ORG).text


def _request(client, user):
    request = RequestFactory().get(LIST_URL, ORG)
    request.user = user
    request.session = client.session
    request._messages = FallbackStorage(request)
    return request


def test_pages_are_kept_per_person_and_per_browser(client_a, colleague_a, password, django_assert_max_num_queries):
    make_ticket(requester=colleague_a, subject="De Luis")
    ana, luis, anas_phone = Client(), Client(), Client()
    for browser, user in ((ana, client_a), (luis, colleague_a), (anas_phone, client_a)):
        browser.force_login(user)
    anas = ana.get(LIST_URL, ORG).text
    assert "Abierto por Luis Pérez" in anas
    # Luis and Ana's phone render their own pages (their own CSRF token in the logout form).
    assert "Abierto por Luis Pérez" not in luis.get(LIST_URL, ORG).text
    phone = anas_phone.get(LIST_URL, ORG).text
    assert phone != anas  # another session: another CSRF token, never Ana's laptop page
    assert served_from_cache(ana, django_assert_max_num_queries, **ORG) == anas


def test_a_page_with_a_flash_message_is_neither_served_nor_kept(logged_in, client_a):
    make_ticket(requester=client_a, subject="Mío")
    logged_in.get(LIST_URL)
    request = _request(logged_in, client_a)
    messages.success(request, "Su ticket fue creado.")
    assert page_cache.lookup(request) == (None, None)


def test_a_page_rendered_while_a_write_commits_is_not_served_again(logged_in, client_a):
    make_ticket(requester=client_a, subject="Mío")
    request = _request(logged_in, client_a)
    page, versions = page_cache.lookup(request)
    assert page is None
    response = logged_in.get(LIST_URL, ORG)
    page_cache.bump(organization_id=client_a.organization_id)  # a write lands meanwhile
    page_cache.keep(request, response, versions)
    assert page_cache.lookup(request)[0] is None


def test_a_new_ticket_and_its_first_message_bump_the_pages_once(client_a, monkeypatch, django_capture_on_commit_callbacks):
    stamped = []
    real_set_many = cache.set_many
    monkeypatch.setattr(cache, "set_many", lambda data, **kw: stamped.append(sorted(data)) or real_set_many(data, **kw))
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(requester=client_a, subject="Mío")
    versions = sorted([page_cache._org_key(client_a.organization_id), page_cache._user_key(client_a.pk)])
    # At the write, and once its transaction commits: not once per row written.
    assert stamped == [versions, versions]


def test_the_loaders_mark_every_list_stale():
    before = cache.get(page_cache.GLOBAL)
    page_cache.bump()
    assert cache.get(page_cache.GLOBAL) != before


def test_a_ticket_page_is_served_from_the_cache_until_the_ticket_changes(
    logged_in, client_a, staff_seguros, django_assert_max_num_queries
):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Póliza de la flotilla")
    url = reverse("portal:ticket_detail", args=[ticket.number])
    first = logged_in.get(url).text
    with django_assert_max_num_queries(5):
        assert logged_in.get(url).text == first
    services.entry_add(
        ticket=ticket, kind=TimelineEntry.Kind.STAFF_REPLY, author=staff_seguros, body="Ya quedó su póliza", channel=Channel.EMAIL
    )
    assert "Ya quedó su póliza" in logged_in.get(url).text


def test_a_ticket_page_kept_for_one_person_is_never_served_to_another(logged_in, client_a, client_b):
    ticket = make_ticket(requester=client_a, subject="Sólo de Transportes del Norte")
    url = reverse("portal:ticket_detail", args=[ticket.number])
    assert "Sólo de Transportes del Norte" in logged_in.get(url).text
    other = Client()
    other.force_login(client_b)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404


def test_a_stage_s_required_documents_reach_the_ticket_page(logged_in, client_a):
    from documents.models import RequiredDocument

    requirement = RequiredDocument.objects.select_related("stage__area").first()
    ticket = make_ticket(requester=client_a, area=requirement.stage.area.slug, subject="Expediente")
    ticket.move_to(requirement.stage, by=None)
    url = reverse("portal:ticket_detail", args=[ticket.number])
    assert requirement.name in logged_in.get(url).text
    requirement.name = "Factura original con sello"
    requirement.save()  # staff edit the stage's list in admin: no ticket changes
    assert "Factura original con sello" in logged_in.get(url).text


def count_queries(queries) -> int:
    return sum("COUNT(*)" in query["sql"] for query in queries)


def test_a_list_is_counted_once_for_all_its_pages_and_sorts_until_it_changes(logged_in, client_a, colleague_a):
    for n in range(30):
        make_ticket(requester=colleague_a, subject=f"Unidad {n}")
    assert "30 tickets" in logged_in.get(LIST_URL, ORG).text
    for params in ({"pagina": 2}, {"orden": "asunto"}, {"orden": "-numero", "pagina": 2}, {"otra": "1"}):
        with CaptureQueriesContext(connection) as queries:
            page = logged_in.get(LIST_URL, {**ORG, **params}).text
        assert count_queries(queries) == 0, params
        assert "30 tickets" in page
    # Another filter is another count, and so is another person's list.
    with CaptureQueriesContext(connection) as queries:
        assert "30 tickets" in logged_in.get(LIST_URL, {**ORG, "estado": "abierto"}).text
    assert count_queries(queries) == 1
    luis = Client()
    luis.force_login(colleague_a)
    with CaptureQueriesContext(connection) as queries:
        assert "30 tickets" in luis.get(LIST_URL, {**ORG, "pagina": 2}).text
    assert count_queries(queries) == 1
    # A new ticket of the company counts again, on every page.
    make_ticket(requester=colleague_a, subject="Unidad nueva")
    assert "31 tickets" in logged_in.get(LIST_URL, {**ORG, "pagina": 2}).text
    assert "31 tickets" in logged_in.get(LIST_URL, {**ORG, "orden": "asunto"}).text
    # A search with an error at its field finds nothing (and is not taken for the
    # unsearched list's count).
    refused = logged_in.get(LIST_URL, {**ORG, "q": "Unidad\x00"}).text
    assert "caracteres invisibles" in refused and "ticket-number" not in refused and "31 tickets" not in refused
