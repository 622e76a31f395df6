"""The portal's help center ("Centro de Ayuda"): public, like the seeds' original."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from workflows.models import Area, Stage

from .models import Article

STATES_SLUG = "estados-de-un-ticket"
MAX_QUERY = 200


def _areas_with_stages():
    return Area.objects.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))


def help_index(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    articles = Article.objects.published()
    if query:
        articles = articles.search(query)
    return render(request, "help/index.html", {"articles": articles, "query": query})


def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return _render_article(request, article)


def ticket_states(request):
    """Seed 000's article, its tables drawn from the live pipelines so they can never
    disagree with what staff set. Linked from every ticket page: should staff remove
    the article, the tables still answer here."""
    article = Article.objects.published().filter(slug=STATES_SLUG).first()
    return _render_article(request, article)


def _render_article(request, article: Article | None):
    before, after = article.sections() if article else ("", "")
    shows_pipelines = article is None or article.shows_pipelines
    return render(
        request,
        "help/article.html",
        {
            "article": article,
            "before": before,
            "after": after,
            "areas": _areas_with_stages() if shows_pipelines else None,
        },
    )


def suggestions(request):
    """JSON for the new-ticket form: the articles that may already answer `asunto`."""
    subject = request.GET.get("asunto", "")[:MAX_QUERY]
    articles = Article.objects.published().only("slug", "title", "keywords", "position").suggested_for(subject)
    return JsonResponse(
        {
            "heading": _("Quizá esto le ayude antes de enviar su solicitud:"),
            "articles": [{"title": article.title, "url": article.get_absolute_url()} for article in articles],
        }
    )
