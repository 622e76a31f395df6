"""Ready answers ("Respuestas predefinidas", issue 12): per area, a title and a text
staff insert into a ticket's reply box, with placeholders filled for that ticket."""

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Only these are replaced; anything else in braces stays as typed. A plain
# substitution, never str.format(), which would let "{ticket.requester.password}" in.
PLACEHOLDER = re.compile(r"\{(nombre|ticket|etapa)\}")


def fill_placeholders(text: str, ticket) -> str:
    """`text` with {nombre} (who asked), {ticket} (its number) and {etapa} (its stage)
    replaced for `ticket`."""
    values = {"nombre": ticket.requester_name, "ticket": f"#{ticket.number}", "etapa": ticket.stage.name}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


class ReadyAnswerQuerySet(models.QuerySet):
    def for_staff(self, user):
        from workflows.models import Area

        return self.filter(area__in=Area.objects.worked_by(user))


class ReadyAnswer(models.Model):
    area = models.ForeignKey("workflows.Area", verbose_name=_("área"), on_delete=models.CASCADE, related_name="ready_answers")
    title = models.CharField(_("título"), max_length=120)
    body = models.TextField(
        _("texto"),
        help_text=_(
            "Puede usar {nombre} (quien pidió el ticket), {ticket} (su número) y {etapa} (su etapa actual): "
            "se sustituyen al insertar la respuesta."
        ),
    )
    updated_at = models.DateTimeField(_("actualizada"), default=timezone.now)

    objects = ReadyAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["area__position", "title"]
        verbose_name = _("respuesta predefinida")
        verbose_name_plural = _("respuestas predefinidas")
        constraints = [models.UniqueConstraint(fields=["area", "title"], name="ready_answer_unique_title_per_area")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def text_for(self, ticket) -> str:
        return fill_placeholders(self.body, ticket)
