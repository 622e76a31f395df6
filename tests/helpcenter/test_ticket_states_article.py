from django.urls import reverse

from workflows.models import Stage


def test_it_shows_every_stage_of_every_area_from_the_database(client, db):
    response = client.get(reverse("help:ticket_states"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "¿Cuáles son los estados de un ticket?" in content
    for stage in Stage.objects.all():
        assert stage.description in content


def test_it_follows_what_staff_configured(client, db):
    stage = Stage.objects.get(area__slug="seguros", name="Cotización")
    stage.description = "Cotizamos con tres aseguradoras"
    stage.save()
    content = client.get(reverse("help:ticket_states")).content.decode()
    assert "Cotizamos con tres aseguradoras" in content
    assert "Se realiza la cotización de la póliza solicitada" not in content


def test_it_runs_a_constant_number_of_queries(client, db, django_assert_num_queries):
    # The article, the areas, their stages.
    with django_assert_num_queries(3):
        client.get(reverse("help:ticket_states"))


def test_it_keeps_the_seed_text_around_the_live_tables(client, db):
    content = client.get(reverse("help:ticket_states")).content.decode()
    assert content.index("¿Qué Estados existen para cada tipo de ticket?") < content.index("Etapas del proceso de Gestorías")
    assert content.index("Etapas del proceso de Tecnología IT") < content.index("¿Cómo estar informado del avance del ticket?")


def test_without_the_article_the_tables_still_answer(client, db):
    from helpcenter.models import Article

    Article.objects.all().delete()
    response = client.get(reverse("help:ticket_states"))
    assert response.status_code == 200
    assert "Etapas del proceso de Seguros" in response.content.decode()
