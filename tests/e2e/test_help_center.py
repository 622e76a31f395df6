"""The help center in a real browser: from the footer to an article, an accent-free
search, and the article suggested while a client types a new ticket's subject."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from helpcenter.seed import load_articles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def articles(pipelines):
    # Transactional tests flush the tables, the migration's articles with them.
    load_articles()


def test_a_client_finds_the_states_article_from_any_page(page, login, client_a, password):
    login(page, client_a.email, password)
    page.locator("footer").get_by_role("link", name="Centro de Ayuda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centro de Ayuda")
    page.get_by_role("searchbox").fill("valuacion aseguradora")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator(".help-articles li")).to_have_count(1)
    page.locator(".help-articles").get_by_role("link", name="¿Cuáles son los estados de un ticket?").click()
    expect(page.get_by_role("heading", name="Etapas del proceso de Siniestros")).to_be_visible()
    expect(page.get_by_role("cell", name="Valuación aseguradora", exact=True)).to_be_visible()
    page.locator("article").get_by_role("link", name="¿Cómo funciona el Portal de Clientes?").click()
    expect(page.get_by_role("heading", name="¿Dónde encontrar el Portal de Clientes?")).to_be_visible()


def test_the_new_ticket_form_suggests_an_article_for_the_subject(page, login, client_a, password):
    login(page, client_a.email, password)
    page.goto(reverse("portal:ticket_new"))
    suggestions = page.locator("[data-help-suggestions]")
    expect(suggestions).to_be_hidden()
    page.get_by_label("Asunto").fill("No recuerdo mi contrasena")
    expect(suggestions.get_by_role("link", name="¿Cómo funciona el Portal de Clientes?")).to_be_visible()
    page.get_by_label("Asunto").fill("Renovación de póliza")
    expect(suggestions).to_be_hidden()


def test_a_visitor_reads_the_help_center_without_signing_in(page):
    page.goto(reverse("account_login"))
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Centro de Ayuda").click()
    expect(page.get_by_role("link", name="¿Cómo funciona el Portal de Clientes?")).to_be_visible()
