"""The two articles clients already know (seeds 000 and 001), shipped with the code.

Their Markdown lives in helpcenter/articles/ (copied from the seed files, so CI and a
fresh clone have them). Loaded by a data migration and, for tests that flush the
database, by load_articles(). Idempotent: an article staff already have (matched by
slug) is left as they edited it.
"""

from pathlib import Path

ARTICLES_DIR = Path(__file__).with_name("articles")

ARTICLES = [
    {
        "slug": "como-funciona-el-portal-de-clientes",
        "title": "¿Cómo funciona el Portal de Clientes?",
        "summary": "Dónde está el portal, cómo darse de alta, qué muestra y cómo abrir un nuevo requerimiento.",
        "keywords": "portal, acceso, acceder, contraseña, usuario, registro, alta, sesión, buscar, filtrar, adjuntar, archivo, formulario",
    },
    {
        "slug": "estados-de-un-ticket",
        "title": "¿Cuáles son los estados de un ticket?",
        "summary": "Qué significa cada etapa del proceso de Gestorías, Seguros, Siniestros y Tecnología IT.",
        "keywords": "estado, etapa, abierto, cerrado, avance, proceso, seguimiento, significa",
    },
]


def load_articles(article_model=None, area_model=None) -> int:
    """Create the seed articles that are missing; return how many were created."""
    from .models import article_search_text

    if article_model is None:
        from .models import Article as article_model
    created = 0
    for position, spec in enumerate(ARTICLES):
        if article_model.objects.filter(slug=spec["slug"]).exists():
            continue
        article = article_model(
            **spec, position=position, is_published=True, body=(ARTICLES_DIR / f"{spec['slug']}.md").read_text(encoding="utf-8")
        )
        article.search_text = article_search_text(article, area_model)
        article.save()
        created += 1
    return created
