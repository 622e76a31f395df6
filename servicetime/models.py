"""The calendar of the service clock: days nobody works besides the weekends."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayQuerySet(models.QuerySet):
    def dates_from(self, day: date) -> frozenset[date]:
        """The holidays on or after `day`: what the clock needs to count forward (one query)."""
        return frozenset(self.filter(date__gte=day).values_list("date", flat=True))


class Holiday(models.Model):
    """An official rest day (LFT art. 74) or another day the teams do not work."""

    date = models.DateField(_("fecha"), unique=True)
    name = models.CharField(_("motivo"), max_length=100)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("día de descanso")
        verbose_name_plural = _("días de descanso")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
