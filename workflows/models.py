"""Areas of JHLeasing and the pipeline of stages each area's tickets go through.

The pipelines are data (workflows/pipelines.json, from seed 000), not code: nothing in
the project branches on an area's name.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jhl_portal import cached_rows
from jhl_portal.i18n import once_per_language


class State(models.TextChoices):
    """The two states a client sees (seed 000: "Abierto" / "Cerrado")."""

    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")


class AreaQuerySet(models.QuerySet):
    def worked_by(self, user):
        """The areas whose tickets a staff member works on (all of them for superusers)."""
        if user.is_superuser:
            return self
        if not user.is_staff or not user.is_active:
            return self.none()
        return self.filter(team__in=user.groups.all())


# What every new ticket and every ticket list read of the pipelines is cached
# (jhl_portal.cached_rows; issue 10: each was a query of its own): the areas with the
# stage their new tickets start in (Area.objects.opening()) and the stage menu
# (Stage.objects.menu()). Forgotten at every save or deletion of an area or a stage
# (load_pipelines() included) and after every migrate (workflows/apps.py).
OPENING_CACHE_KEY = "workflows:opening-stages"
MENU_CACHE_KEY = "workflows:stage-menu"


def forget_cached_pipelines(**kwargs) -> None:
    """After any change to areas or stages; a signal receiver too."""
    cached_rows.forget(OPENING_CACHE_KEY, MENU_CACHE_KEY)


class AreaManager(models.Manager.from_queryset(AreaQuerySet)):
    def opening(self, slug: str) -> "Area":
        """The area with this slug and, loaded, the stage its new tickets start in, from
        the cache (issue 10: a new ticket read them in a query of its own). Raises
        Area.DoesNotExist for an unknown slug, or an area without stages."""
        areas = cached_rows.read_through(OPENING_CACHE_KEY, self._with_first_stages)
        try:
            return areas[slug]
        except (KeyError, TypeError):
            raise Area.DoesNotExist(f"No area {slug!r} with stages.") from None

    @staticmethod
    def _with_first_stages() -> dict[str, "Area"]:
        areas = {}
        for stage in Stage.objects.select_related("area").order_by("area_id", "position", "pk"):
            if stage.area.slug not in areas:
                stage.area._first_stage = stage
                areas[stage.area.slug] = stage.area
        return areas


class Area(models.Model):
    slug = models.SlugField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=80, unique=True)
    description = models.CharField(
        _("descripción"),
        max_length=200,
        help_text=_("Texto breve que el formulario de nuevo ticket muestra junto al área."),
    )
    email = models.EmailField(_("correo del equipo"))
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    team = models.OneToOneField(
        Group,
        verbose_name=_("grupo del equipo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="area",
        help_text=_("El personal de este grupo ve y atiende los tickets del área."),
    )

    objects = AreaManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("área")
        verbose_name_plural = _("áreas")

    def __str__(self) -> str:
        return self.name

    def first_stage(self) -> "Stage":
        """The stage a new ticket of the area starts in (already there when the area
        came from Area.objects.opening())."""
        loaded = self.__dict__.get("_first_stage")
        return loaded if loaded is not None else self.stages.order_by("position").first()


class StageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=State.OPEN)

    def closed(self):
        return self.filter(state=State.CLOSED)


class StageManager(models.Manager.from_queryset(StageQuerySet)):
    def menu(self) -> list[tuple[int, str, str, str]]:
        """(stage pk, stage name, area slug, area name) of every stage, areas in their
        order and stages in their pipeline's: the portal list's area and stage menus,
        from the cache."""
        return cached_rows.read_through(
            MENU_CACHE_KEY,
            lambda: list(
                self.order_by("area__position", "area__name", "position").values_list("pk", "name", "area__slug", "area__name")
            ),
        )


@once_per_language
def _state_label(state: str) -> str:
    return str(State(state).label)


class Stage(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("área"), related_name="stages", on_delete=models.CASCADE)
    name = models.CharField(_("etapa"), max_length=80)
    description = models.CharField(_("descripción"), max_length=200)
    state = models.CharField(_("estado"), max_length=10, choices=State.choices)
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    notify_client = models.BooleanField(
        _("avisar al cliente"),
        default=True,
        help_text=_("Enviar un correo al solicitante cuando su ticket entra en esta etapa."),
    )
    # Seed 000: "Esperando información cliente" / "Se ha solicitado información
    # adicional". The portal marks these tickets as needing the client's action, and
    # the service clock pauses while a ticket sits in one.
    waits_on_client = models.BooleanField(
        _("espera al cliente"),
        default=False,
        help_text=_("En esta etapa el ticket espera información o una acción del cliente."),
    )
    # Issue 11.2: the service clock. Business days of the teams' working hours
    # (servicetime.clock); a ticket entering the stage gets its deadline from it.
    target_business_days = models.PositiveSmallIntegerField(
        _("plazo (días hábiles)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Días hábiles que tiene el equipo para avanzar un ticket en esta etapa, contados en horario laboral "
            "sin fines de semana ni días de descanso. Vacío: sin plazo."
        ),
    )

    objects = StageManager()

    class Meta:
        ordering = ["area__position", "position"]
        verbose_name = _("etapa")
        verbose_name_plural = _("etapas")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="stage_unique_name_per_area")]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.name}"

    def clean(self) -> None:
        """A stage that tickets are in keeps its area and its state.

        Moving it to another area would leave those tickets in a foreign pipeline, and
        flipping Abierto/Cerrado would close or reopen them without a recorded change
        (and without closed_at). Staff move the tickets first.
        """
        if self.pk is None:
            return
        stored = Stage.objects.filter(pk=self.pk).values("area_id", "state").first()
        if stored is None or (stored["area_id"], stored["state"]) == (self.area_id, self.state):
            return
        if self.tickets.exists():
            raise ValidationError(
                _("Hay tickets en la etapa «%(stage)s»: muévalos a otra etapa antes de cambiar su área o su estado.")
                % {"stage": self.name}
            )

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    @property
    def state_label(self) -> str:
        """ "Abierto" or "Cerrado": get_state_display() without rebuilding the choices'
        dict of lazy labels on every call (a timeline of 30 entries paid it each time)."""
        return _state_label(self.state)

    @property
    def status_text(self) -> str:
        """What the portal shows, seed 000: "Estado-Etapa" (e.g. "Abierto-Cotización").

        Where the stage is named like its state ("Abierto", "Cerrado") the state alone.
        """
        state_label = self.state_label
        if self.name.casefold() == state_label.casefold():
            return state_label
        return f"{state_label}-{self.name}"
