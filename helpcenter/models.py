"""Help-center articles (seeds 000 and 001), written by staff in Markdown.

The article about ticket states carries PIPELINES_MARKER where the live pipelines'
tables go (seed 000's tables, drawn from workflows so they never disagree with what
staff configured).
"""

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tickets.models import searchable

from .markdown import render_markdown

PIPELINES_MARKER = "::: etapas :::"
# Words too common to suggest an article on their own ("de", "para", "ticket"…).
_MIN_WORD = 4
_STOPWORDS = {"para", "como", "cual", "cuales", "donde", "ticket", "tickets", "tengo", "quiero", "necesito", "favor"}


def words(text: str) -> list[str]:
    """The searchable words of `text` (lower case, no accents)."""
    return re.findall(r"\w+", searchable(text))


def pipelines_text(area_model=None) -> str:
    """Every area, stage name and description, for searching the states article.
    (`area_model`: a migration's historical Area.)"""
    if area_model is None:
        from workflows.models import Area as area_model

    parts = []
    for area in area_model.objects.prefetch_related("stages"):
        parts.append(area.name)
        parts.extend(f"{stage.name} {stage.description}" for stage in area.stages.all())
    return " ".join(parts)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def search(self, text: str):
        """Articles holding every word of `text` in their title, body or keywords
        (and, for the states article, its pipelines), accents and case ignored."""
        for word in words(text)[:10]:
            self = self.filter(search_text__contains=word)
        return self

    def suggested_for(self, subject: str, *, limit: int = 3) -> list["Article"]:
        """Articles whose title or keywords share a meaningful word with `subject`,
        best match first: what the new-ticket form offers before a client writes to us."""
        wanted = {_stem(w) for w in words(subject) if len(w) >= _MIN_WORD and w not in _STOPWORDS}
        if not wanted:
            return []
        scored = []
        for article in self:
            score = len(wanted & {_stem(w) for w in words(f"{article.title} {article.keywords}")})
            if score:
                scored.append((-score, article.position, article.pk, article))
        return [article for *_key, article in sorted(scored, key=lambda item: item[:3])[:limit]]


def _stem(word: str) -> str:
    # "estados" finds "estado", "contraseñas" finds "contrasena": Spanish plurals only.
    return word[:-2] if word.endswith("es") and len(word) > 5 else word.removesuffix("s")


class Article(models.Model):
    slug = models.SlugField(_("dirección"), max_length=80, unique=True)
    title = models.CharField(_("título"), max_length=200)
    summary = models.CharField(_("resumen"), max_length=300, blank=True)
    body = models.TextField(
        _("contenido"),
        help_text=_(
            "En Markdown: ## Subtítulo, - lista, **negrita**, [texto](https://…). No se admite HTML. "
            "Escriba «::: etapas :::» en una línea para insertar las etapas de cada área, tomadas de los procesos vigentes."
        ),
    )
    keywords = models.CharField(
        _("palabras clave"),
        max_length=300,
        blank=True,
        help_text=_("Separadas por comas. El formulario de nuevo ticket sugiere el artículo si el asunto contiene alguna."),
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_published = models.BooleanField(_("publicado"), default=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    # searchable() of title, summary, keywords, body (and pipelines for the states
    # article), kept by save() and by refresh_pipelines_search().
    search_text = models.TextField(editable=False, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("artículo de ayuda")
        verbose_name_plural = _("artículos de ayuda")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("help:article", kwargs={"slug": self.slug})

    @property
    def shows_pipelines(self) -> bool:
        return PIPELINES_MARKER in self.body

    def sections(self) -> tuple[str, str]:
        """The rendered body before and after the pipelines' place (the second empty
        when the article has no marker)."""
        before, _marker, after = self.body.partition(PIPELINES_MARKER)
        return render_markdown(before), render_markdown(after)

    def compute_search_text(self) -> str:
        return article_search_text(self)


def article_search_text(article, area_model=None) -> str:
    """searchable() of everything a reader may look for in `article` (a model instance,
    historical ones included)."""
    extra = pipelines_text(area_model) if PIPELINES_MARKER in article.body else ""
    body = article.body.replace(PIPELINES_MARKER, " ")
    return searchable(" ".join([article.title, article.summary, article.keywords, body, extra]))


def refresh_pipelines_search(**kwargs) -> None:
    """Stage or area changed: the states article's search text follows the pipelines."""
    if kwargs.get("raw"):
        return
    for article in Article.objects.filter(body__contains=PIPELINES_MARKER):
        Article.objects.filter(pk=article.pk).update(search_text=article.compute_search_text())
