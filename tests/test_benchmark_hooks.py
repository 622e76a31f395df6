"""The hooks bench/portal_load.py relies on (issue 10): off unless BENCHMARK=1."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jhl_portal.middleware import QueryCountMiddleware
from jhl_portal.views import benchmark_bare
from workflows.models import Area


def test_the_bare_page_does_not_exist_by_default(client, settings):
    assert settings.BENCHMARK is False
    assert client.get("/bench/bare/").status_code == 404


def test_the_bare_page_renders_a_small_template_without_queries(db, rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = benchmark_bare(rf.get("/bench/bare/"))
    assert response.status_code == 200
    assert b"Portal de Clientes" in response.content


@pytest.mark.django_db
def test_the_query_header_counts_every_query_of_the_request():
    def view(request):
        list(Area.objects.all())
        Area.objects.count()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response.headers["X-DB-Queries"] == "2"
