"""The help center's pages: public, linked from every page, safe, constant in queries."""

import pytest
from django.urls import reverse

from helpcenter.models import Article

pytestmark = pytest.mark.django_db

INDEX = reverse("help:index")
PORTAL_URL = reverse("help:article", kwargs={"slug": "como-funciona-el-portal-de-clientes"})


def test_the_index_lists_both_articles_without_login(client):
    content = client.get(INDEX).text
    assert "¿Cómo funciona el Portal de Clientes?" in content
    assert "¿Cuáles son los estados de un ticket?" in content


def test_searching_without_accents_finds_the_article(client):
    content = client.get(INDEX, {"q": "tramite ingresado"}).text
    assert "¿Cuáles son los estados de un ticket?" in content
    assert "¿Cómo funciona el Portal de Clientes?" not in content


def test_a_search_with_no_result_says_so(client):
    assert "No encontramos artículos" in client.get(INDEX, {"q": "zzzz"}).text


def test_the_portal_article_renders_its_markdown(client):
    content = client.get(PORTAL_URL).text
    assert "<h2>¿Dónde encontrar el Portal de Clientes?</h2>" in content
    assert '<a href="/ayuda/estados-de-un-ticket/"' in content


def test_an_unpublished_article_answers_404(client):
    Article.objects.filter(slug="como-funciona-el-portal-de-clientes").update(is_published=False)
    assert client.get(PORTAL_URL).status_code == 404


def test_script_typed_by_staff_is_shown_as_text(client):
    article = Article.objects.get(slug="como-funciona-el-portal-de-clientes")
    article.body = "<script>alert('x')</script>\n\n[clic](javascript:alert(1))"
    article.save()
    content = client.get(PORTAL_URL).text
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
    assert 'href="javascript' not in content


def test_every_page_links_to_the_help_center(client, client_a):
    assert f'href="{INDEX}"' in client.get(reverse("account_login")).text
    client.force_login(client_a)
    for url in [reverse("portal:ticket_list"), reverse("portal:ticket_new"), INDEX]:
        assert f'href="{INDEX}"' in client.get(url).text, url


def test_the_suggestions_answer_json(client):
    data = client.get(reverse("help:suggestions"), {"asunto": "olvidé mi contraseña"}).json()
    assert data["articles"] == [{"title": "¿Cómo funciona el Portal de Clientes?", "url": PORTAL_URL}]
    assert client.get(reverse("help:suggestions"), {"asunto": "x" * 5000}).json()["articles"] == []


def test_article_pages_run_a_constant_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(PORTAL_URL)
    with django_assert_num_queries(1):
        client.get(INDEX, {"q": "portal"})
