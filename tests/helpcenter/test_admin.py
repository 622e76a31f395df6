"""Staff edit the help center in admin; the preview is as safe as the page."""

import pytest
from django.urls import reverse

from helpcenter.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return Article.objects.get(slug="como-funciona-el-portal-de-clientes")


def test_area_staff_edit_an_article(client, staff_seguros, article):
    client.force_login(staff_seguros)
    url = reverse("admin:helpcenter_article_change", args=[article.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "keywords": "acceso, contraseña, factura",
        "body": "## Nuevo acceso\n\nEscriba a it@jhl.mx.",
        "position": 0,
        "is_published": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body.startswith("## Nuevo acceso")
    assert list(Article.objects.search("nuevo acceso")) == [article]


def test_the_preview_never_runs_what_staff_typed(client, superuser, article):
    article.body = "<script>alert(1)</script> [x](javascript:alert(1))"
    article.save()
    client.force_login(superuser)
    content = client.get(reverse("admin:helpcenter_article_change", args=[article.pk])).text
    assert "<script>alert(1)" not in content and 'href="javascript' not in content
