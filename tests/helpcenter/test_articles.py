"""Help-center articles: the seeds shipped as data, search without accents, suggestions."""

import pytest

from helpcenter.models import PIPELINES_MARKER, Article
from helpcenter.seed import ARTICLES, load_articles
from workflows.models import Stage

pytestmark = pytest.mark.django_db

PORTAL = "como-funciona-el-portal-de-clientes"
STATES = "estados-de-un-ticket"


def test_the_migration_ships_both_seed_articles():
    assert set(Article.objects.published().values_list("slug", flat=True)) >= {PORTAL, STATES}
    portal = Article.objects.get(slug=PORTAL)
    # Seed 001 word for word, e.g. the registration address and the password rules.
    assert "it@jhl.mx" in portal.body
    assert "La contraseña debe tener al menos 8 caracteres." in portal.body
    assert PIPELINES_MARKER in Article.objects.get(slug=STATES).body


def test_loading_again_keeps_what_staff_edited():
    Article.objects.filter(slug=PORTAL).update(title="Editado por el equipo")
    assert load_articles() == 0
    assert Article.objects.get(slug=PORTAL).title == "Editado por el equipo"


def test_loading_restores_a_missing_article():
    Article.objects.all().delete()
    assert load_articles() == len(ARTICLES)


@pytest.mark.parametrize("query", ["contrasena", "CONTRASEÑA", "contraseña olvido", "Innovacion y Tecnologia"])
def test_search_ignores_case_and_accents(query):
    assert list(Article.objects.search(query).values_list("slug", flat=True)) == [PORTAL]


def test_search_needs_every_word():
    assert not Article.objects.search("contraseña refacciones").exists()


def test_the_states_article_is_found_by_its_live_stages():
    assert list(Article.objects.search("valuacion aseguradora").values_list("slug", flat=True)) == [STATES]
    stage = Stage.objects.get(area__slug="seguros", name="Cotización")
    stage.description = "Cotizamos con tres aseguradoras de confianza"
    stage.save()
    assert list(Article.objects.search("aseguradoras de confianza").values_list("slug", flat=True)) == [STATES]


def test_an_unpublished_article_is_not_found():
    Article.objects.filter(slug=PORTAL).update(is_published=False)
    assert not Article.objects.published().search("contraseña").exists()


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("¿Cuál es el estado de mi trámite?", [STATES]),
        ("No recuerdo mi contraseña del portal", [PORTAL]),
        ("Olvidé la CONTRASENA", [PORTAL]),
        ("Renovación de póliza de flotilla", []),
        ("de la", []),
        ("", []),
    ],
)
def test_it_suggests_articles_whose_title_or_keywords_match_the_subject(subject, expected):
    assert [a.slug for a in Article.objects.published().suggested_for(subject)] == expected
