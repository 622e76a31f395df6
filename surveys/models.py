"""Satisfaction surveys (issue 11): one per ticket, sent when it is first closed.

The client answers through a signed link (django.core.signing, timestamped): no login,
usable once (answered_at), valid for Survey.LINK_MAX_AGE. One survey per ticket, ever:
a ticket reopened and closed again is not surveyed twice (the client already told us
how it went; a second e-mail for the same request reads as spam).
"""

from datetime import timedelta

from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jhl_portal.links import absolute_url
from tickets.models import Ticket

RATINGS = [
    (1, _("1 · Muy insatisfecho")),
    (2, _("2 · Insatisfecho")),
    (3, _("3 · Regular")),
    (4, _("4 · Satisfecho")),
    (5, _("5 · Muy satisfecho")),
]


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The surveys of the tickets `user` may see (staff: their areas)."""
        return self.filter(ticket__in=Ticket.objects.visible_to(user))

    def answered(self):
        return self.filter(answered_at__isnull=False)


class Survey(models.Model):
    LINK_MAX_AGE = timedelta(days=30)
    TOKEN_SALT = "surveys.answer"

    ticket = models.OneToOneField(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="survey")
    # The area that closed the ticket: results are per area and per month.
    area = models.ForeignKey("workflows.Area", verbose_name=_("área"), on_delete=models.PROTECT, related_name="+")
    sent_to = models.EmailField(_("enviada a"), blank=True)
    sent_at = models.DateTimeField(_("enviada"), default=timezone.now, db_index=True)
    rating = models.PositiveSmallIntegerField(
        _("calificación"), choices=RATINGS, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comentario"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("encuesta de satisfacción")
        verbose_name_plural = _("encuestas de satisfacción")
        indexes = [models.Index(fields=["area", "sent_at"], name="survey_area_sent")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} · {self.rating or '—'}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:answer", kwargs={"token": self.token()})

    @property
    def expires_at(self):
        return self.sent_at + self.LINK_MAX_AGE

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def token(self) -> str:
        return signing.dumps(self.pk, salt=self.TOKEN_SALT)

    def absolute_link(self, **query) -> str:
        link = absolute_url("surveys:answer", token=self.token())
        return f"{link}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else link

    @classmethod
    def pk_from_token(cls, token: str) -> int:
        """The survey's id; raises signing.SignatureExpired after LINK_MAX_AGE and
        signing.BadSignature for anything we did not sign."""
        return signing.loads(token, salt=cls.TOKEN_SALT, max_age=cls.LINK_MAX_AGE)
