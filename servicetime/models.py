"""The calendar of the service clock: days nobody works besides the weekends."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from jhl_portal import cached_rows

# Every rest day, as the clock reads them: a few dozen dates that staff edit a few times
# a year, while each new ticket and each stage change counts over them (issue 10).
CACHE_KEY = "servicetime:holidays"


class HolidayManager(models.Manager):
    def dates_from(self, day: date) -> frozenset[date]:
        """The holidays on or after `day`: what the clock needs to count forward.

        Read through the cache (Redis in production: one round trip instead of a
        query); a change to the table forgets it (forget_cached_holidays)."""
        every = cached_rows.read_through(CACHE_KEY, lambda: frozenset(self.values_list("date", flat=True)))
        return frozenset(holiday for holiday in every if holiday >= day)


def forget_cached_holidays(**kwargs) -> None:
    """After any change to the rest days (admin, load_holidays); a signal receiver too."""
    cached_rows.forget(CACHE_KEY)


class Holiday(models.Model):
    """An official rest day (LFT art. 74) or another day the teams do not work."""

    date = models.DateField(_("fecha"), unique=True)
    name = models.CharField(_("motivo"), max_length=100)

    objects = HolidayManager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("día de descanso")
        verbose_name_plural = _("días de descanso")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
