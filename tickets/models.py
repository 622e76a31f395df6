"""Tickets and their timeline.

Every event on a ticket (a client's message, a staff reply, an internal note, a logged
conversation, a stage change) is one TimelineEntry row. Stage changes only happen
through Ticket.move_to(), which records them; views, admin, commands and the e-mail
ingester all go through it or through tickets.services.
"""

import re
import unicodedata
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jhl_portal.text import SingleLineCharField, single_line
from servicetime.deadlines import ClockState, clock_on_entering
from workflows.models import Stage, State

from . import events, page_cache
from .uploads import EXTENSIONS, CheckedUpload
from .vehicles import PlatesField, VinField


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("Correo")
    PHONE = "phone", _("Teléfono")
    CHAT = "chat", _("Chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    INTERNAL = "internal", _("Interno")


def searchable(text: str) -> str:
    """`text` lower-cased with its accents stripped: "Gestoría" → "gestoria".

    The portal search compares this form on both sides (seed 001: search by subject),
    so it ignores case and accents on SQLite as well as on PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# A ticket number as people type it: ASCII digits only, optionally after "#". Other
# digits (², ٣, １２) are text: str.isdigit() accepts them and int() then fails or reads
# them as a number nobody meant. Fewer than 19 digits fits a bigint primary key.
_TICKET_NUMBER = re.compile(r"#?\s*([0-9]{1,18})", re.ASCII)


def ticket_number(text: str) -> int | None:
    """The ticket number `text` is ("123", "#123"), or None when it is not one."""
    match = _TICKET_NUMBER.fullmatch((text or "").strip())
    return int(match[1]) if match else None


# Rules a move to another stage must pass, added by the apps that own them when they
# load (documents: a stage's required documents, issue 11.3). Each is called inside
# move_to()'s transaction, the ticket's row locked, as check(ticket, from_stage,
# to_stage) and returns why the move may not happen ("" when it may).
MOVE_CHECKS: list = []


def loaded_relations(instance: models.Model) -> set[str]:
    """The names of `instance`'s foreign keys that were set from model instances.

    Those rows are known to exist, and full_clean(exclude=…) can skip the SELECT it
    would run for each to check it (six per new ticket and its first message, issue 10).
    """
    return {field.name for field in instance._meta.concrete_fields if field.is_relation and field.is_cached(instance)}


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tickets `user` may see; anything else simply does not exist for them.

        Superusers see every ticket; other staff the tickets of their areas' teams;
        a client their own tickets and their organization's.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_staff:
            return self.filter(area__team__in=user.groups.all())
        mine = Q(requester=user)
        if user.organization_id:
            mine |= Q(organization_id=user.organization_id)
        return self.filter(mine)

    def requested_by(self, user):
        """The tickets `user` asked for: the first half of what a client may see."""
        return self.filter(requester=user)

    def of_organization_of(self, user):
        """The tickets of `user`'s company (none without one): the other half."""
        if not user.organization_id:
            return self.none()
        return self.filter(organization_id=user.organization_id)

    def open(self):
        return self.filter(stage__state=State.OPEN)

    def closed(self):
        return self.filter(stage__state=State.CLOSED)

    def with_related(self):
        return self.select_related("area", "stage", "requester", "organization", "owner")

    def touch(self, at) -> int:
        """Move these tickets' last activity forward to `at`, never back; return how many
        rows matched (locked, as by any UPDATE, until the transaction ends)."""
        return self.update(last_activity_at=Greatest("last_activity_at", Value(at, output_field=models.DateTimeField())))

    def locked(self):
        """The tickets under a row lock until the transaction ends, for a write that
        depends on what was read. Only the ticket rows: a stage or area joined in is
        shared by thousands of tickets, and locking it made every reply to a ticket in
        the same stage wait for the others (issue 10). FOR NO KEY UPDATE, as the
        writes that follow change no key: rows that refer to the ticket (its
        timeline, its documents) may still be inserted meanwhile."""
        return self.select_for_update(of=("self",), no_key=True)

    # What a row of the portal's list shows (tickets/templatetags/portal.py ticket_row).
    LIST_FIELDS = ("subject", "requester", "created_at", "last_activity_at", "area__name", "stage")

    def for_list(self):
        """Only what the portal's list shows: a page of 25 rows neither loads each
        ticket's description nor its organization and owner (issue 10)."""
        return self.select_related("area", "stage", "requester").only(*self.LIST_FIELDS)

    def owned_by(self, user):
        return self.filter(owner=user)

    def unassigned(self):
        return self.filter(owner__isnull=True)

    def waiting_on_client(self):
        return self.filter(stage__waits_on_client=True)

    def search(self, text: str):
        """Tickets whose subject contains `text` (case and accents ignored), or whose
        number is `text` when it is one ("123" or "#123").

        A plain LIKE '%…%' on the normalised column: on PostgreSQL the trigram index of
        migration 0004 serves it, so the search does not scan the table.
        """
        text = (text or "").strip()
        if not text:
            return self
        matches = Q(subject_search__contains=searchable(text))
        number = ticket_number(text)
        if number is not None:
            matches |= Q(pk=number)
        return self.filter(matches)


class Ticket(models.Model):
    # The seed's vehicle fields, in the form's order: Marca, Línea, Modelo, Número de
    # Serie, Color, Placas.
    VEHICLE_FIELDS = ("vehicle_brand", "vehicle_line", "vehicle_year", "vehicle_vin", "vehicle_color", "vehicle_plates")

    area = models.ForeignKey("workflows.Area", verbose_name=_("área"), on_delete=models.PROTECT, related_name="tickets")
    stage = models.ForeignKey(Stage, verbose_name=_("etapa"), on_delete=models.PROTECT, related_name="tickets")
    subject = SingleLineCharField(_("asunto"), max_length=200)
    # searchable(subject), kept by save(): what the portal search looks in.
    subject_search = models.CharField(max_length=200, blank=True, editable=False)
    description = models.TextField(_("descripción"), blank=True)
    # No index of their own for requester and organization: the portal's list indexes
    # below lead with them, and PostgreSQL preferred the narrower single-column ones
    # for counting, which then read every row from the table (issue 10).
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitante"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    # The requester's company when the ticket was opened: it stays with the
    # organization even if the person later moves to another company.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
    )
    # Issue 12: the staff member of the area's team who takes care of the ticket. It
    # changes only through assign_to(), which records it; clients see only the team.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_tickets",
    )
    # "Nombre y apellidos" as typed in the new-ticket form (seed 001: the person who
    # asks may word their name differently from their account); empty otherwise.
    contact_name = SingleLineCharField(_("nombre y apellidos"), max_length=150, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    # The one-time token of the portal form that created the ticket: unique per requester
    # (constraint below), so a double click or a reload of the POST can never open the
    # same request twice.
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("creado"), default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(_("última actividad"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)
    # Kept by move_to() and TimelineEntry.record() so that the board's "time in stage"
    # and the area reports read a column instead of searching each ticket's timeline
    # (issue 12: reports under a second at a million tickets). NULL stage_entered_at:
    # still in the stage it was opened in (since created_at); NULL first_response_at:
    # the team has not replied yet.
    stage_entered_at = models.DateTimeField(_("en la etapa desde"), null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(_("primera respuesta"), null=True, blank=True, editable=False)
    # Issue 11.2, the service clock (servicetime.deadlines): the deadline in the current
    # stage, empty when it has none, is closed, or waits on the client; then the
    # business time that was left, and the stage it belongs to, wait for the resume.
    # Only move_to() and services.ticket_open() write them.
    due_at = models.DateTimeField(_("plazo"), null=True, blank=True, editable=False)
    paused_remaining = models.DurationField(_("tiempo restante en pausa"), null=True, blank=True, editable=False)
    paused_stage = models.ForeignKey(
        Stage,
        verbose_name=_("etapa en pausa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    vehicle_brand = SingleLineCharField(_("marca"), max_length=60, blank=True)
    vehicle_line = SingleLineCharField(_("línea"), max_length=60, blank=True)
    vehicle_year = models.PositiveSmallIntegerField(_("modelo"), null=True, blank=True)
    # Checked and normalised wherever a ticket is cleaned (portal, admin, services).
    vehicle_vin = VinField(_("número de serie"), max_length=17, blank=True)
    vehicle_color = SingleLineCharField(_("color"), max_length=40, blank=True)
    vehicle_plates = PlatesField(_("placas"), max_length=12, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # The portal's two lists in their default order, the primary key breaking ties
            # as the list's ORDER BY does: PostgreSQL walks the index and stops after the
            # page instead of sorting a company's ten thousand tickets. The stage and the
            # search text ride along (PostgreSQL only) so that counting a company's open
            # tickets, or those matching a search, reads the index alone (issue 10).
            models.Index(
                fields=["requester", "-last_activity_at", "-id"],
                include=["stage", "subject_search"],
                name="ticket_requester_activity",
            ),
            models.Index(
                fields=["organization", "-last_activity_at", "-id"],
                include=["stage", "subject_search"],
                name="ticket_org_activity",
            ),
            models.Index(fields=["area", "-last_activity_at"], name="ticket_area_activity"),
            # "Mis tickets" in admin and each staff member's counts on the admin index.
            models.Index(fields=["owner", "-last_activity_at"], name="ticket_owner_activity"),
            # The board's columns: the newest tickets of one stage (workspace.board).
            models.Index(fields=["stage", "-last_activity_at"], name="ticket_stage_activity"),
            # The area reports: tickets opened and closed per week (workspace.reports).
            # First-response time rides along (PostgreSQL only): the report reads the index alone.
            models.Index(fields=["area", "created_at"], include=["first_response_at"], name="ticket_area_created_response"),
            models.Index(fields=["area", "closed_at"], name="ticket_area_closed"),
            # The vehicle view (issue 11) looks tickets up by VIN, or by plates; most
            # tickets have neither, so the indexes leave the blanks out.
            models.Index(fields=["vehicle_vin"], name="ticket_vehicle_vin", condition=~Q(vehicle_vin="")),
            models.Index(fields=["vehicle_plates"], name="ticket_vehicle_plates", condition=~Q(vehicle_plates="")),
            # The admin list's default order (issue 11.2: the most urgent deadline first,
            # tickets without one after, by last activity): walked in order, the first
            # page needs no sort of the whole table.
            models.Index(fields=["due_at", "-last_activity_at", "-id"], name="ticket_due_order"),
            # Overdue and due-today filters and counts per area: only tickets with a
            # running clock (open, not waiting on the client) have a due_at.
            models.Index(fields=["due_at", "area"], name="ticket_due_running", condition=Q(due_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["requester", "client_token"], name="ticket_unique_form_token"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def save(self, *args, **kwargs):
        # From the subject as it will be stored: on one line (SingleLineCharField).
        self.subject_search = searchable(single_line(self.subject))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "subject" in update_fields:
            kwargs["update_fields"] = {*update_fields, "subject_search"}
        super().save(*args, **kwargs)
        page_cache.bump(organization_id=self.organization_id, requester_id=self.requester_id)

    @property
    def requester_name(self) -> str:
        """Who asked, as they wrote it in the form, else their account's name."""
        return self.contact_name or str(self.requester)

    @property
    def number(self) -> int:
        """The ID clients see (seed 001: "número único con el cual identificamos un ticket")."""
        return self.pk

    @property
    def status_text(self) -> str:
        return self.stage.status_text

    @property
    def is_closed(self) -> bool:
        return self.stage.is_closed

    @property
    def clock(self) -> ClockState:
        return ClockState(due_at=self.due_at, paused_remaining=self.paused_remaining, paused_stage_id=self.paused_stage_id)

    @clock.setter
    def clock(self, state: ClockState) -> None:
        self.due_at, self.paused_remaining, self.paused_stage_id = state.due_at, state.paused_remaining, state.paused_stage_id

    @property
    def is_clock_paused(self) -> bool:
        return self.paused_remaining is not None

    @property
    def has_vehicle(self) -> bool:
        return any(getattr(self, name) for name in self.VEHICLE_FIELDS)

    def clean(self) -> None:
        if self.stage_id and self.area_id and self.stage.area_id != self.area_id:
            raise ValidationError(
                {"stage": _("La etapa «%(stage)s» no pertenece al área del ticket.") % {"stage": self.stage.name}}
            )

    def move_to(self, stage: Stage, *, by, note: str = "", at=None, override_reason: str = "") -> "TimelineEntry | None":
        """Move the ticket to `stage`, recording who did it; return the timeline row.

        The only way a ticket changes stage. Entering a Cerrado stage sets closed_at,
        leaving one (reopening) clears it; the service clock starts, pauses, resumes
        or stops (servicetime.deadlines). Moving to the current stage does nothing.
        `at` backdates the change (imports, demo data); it defaults to now. A move that
        a MOVE_CHECKS rule refuses raises ValidationError, unless a staff member gives
        `override_reason`: then it happens, and an internal note says who and why.
        """
        if stage.area_id != self.area_id:
            raise ValidationError(_("La etapa «%(stage)s» no pertenece al área del ticket.") % {"stage": stage.name})
        with transaction.atomic():
            # Lock the row so two staff moving the same ticket record a consistent history.
            locked = Ticket.objects.locked().select_related("stage").get(pk=self.pk)
            if locked.stage_id == stage.pk:
                return None
            previous = locked.stage
            now = at or timezone.now()
            self._pass_move_checks(previous, stage, by=by, override_reason=override_reason, at=now)
            stay = max(now - (locked.stage_entered_at or locked.created_at), timedelta(0))
            self.stage = stage
            self.stage_entered_at = now
            if stage.is_closed and not previous.is_closed:
                self.closed_at = now
            elif not stage.is_closed:
                self.closed_at = None
            else:
                self.closed_at = locked.closed_at
            self.last_activity_at = now
            self.clock = clock_on_entering(stage, at=now, current=locked.clock, previous_stage=previous)
            Ticket.objects.filter(pk=self.pk).update(
                stage=stage,
                stage_entered_at=now,
                closed_at=self.closed_at,
                last_activity_at=now,
                **self.clock.as_fields(),
            )
            return TimelineEntry.record(
                ticket=self,
                kind=TimelineEntry.Kind.STAGE_CHANGE,
                channel=Channel.INTERNAL,
                author=by,
                body=note,
                from_stage=previous,
                to_stage=stage,
                stage_stay=stay,
                created_at=now,
            )

    def move_refusals(self, stage: Stage, *, from_stage: Stage | None = None) -> list[str]:
        """Why MOVE_CHECKS refuse moving the ticket (from `from_stage`, default its
        stage) to `stage`; empty when they allow it. Writes nothing: forms ask it first."""
        from_stage = from_stage or self.stage
        return [refusal for check in MOVE_CHECKS if (refusal := check(self, from_stage, stage))]

    def _pass_move_checks(self, previous: Stage, stage: Stage, *, by, override_reason: str, at) -> None:
        refusals = self.move_refusals(stage, from_stage=previous)
        if not refusals:
            return
        override_reason = override_reason.strip()
        if not override_reason or by is None or not by.is_staff:
            raise ValidationError(refusals, code="move_refused")
        TimelineEntry.record(
            ticket=self,
            kind=TimelineEntry.Kind.INTERNAL_NOTE,
            channel=Channel.INTERNAL,
            author=by,
            body=_(
                "%(who)s movió el ticket de «%(from)s» a «%(to)s» sin cumplir lo que la etapa pide: %(refusals)s\nMotivo: %(reason)s"
            )
            % {
                "who": by,
                "from": previous.name,
                "to": stage.name,
                "refusals": " ".join(refusals),
                "reason": override_reason,
            },
            created_at=at,
        )

    def assign_to(self, owner, *, by) -> "TimelineEntry | None":
        """Make `owner` (None: nobody) responsible for the ticket, recording who did it;
        return the timeline row, or None when the owner was already `owner`.

        The only way a ticket changes owner. An owner must be active staff of the
        ticket's area's team (issue 12: "among the staff of its area").
        """
        if owner is not None and not type(owner).objects.team_of(self.area_id).filter(pk=owner.pk).exists():
            raise ValidationError(
                _("%(user)s no pertenece al equipo de %(area)s.") % {"user": owner, "area": self.area.name}, code="not_in_team"
            )
        with transaction.atomic():
            locked = Ticket.objects.locked().get(pk=self.pk)
            if locked.owner_id == (owner.pk if owner else None):
                self.owner = owner
                return None
            previous_id = locked.owner_id
            self.owner = owner
            Ticket.objects.filter(pk=self.pk).update(owner=owner)
            return TimelineEntry.record(
                ticket=self,
                kind=TimelineEntry.Kind.OWNER_CHANGE,
                channel=Channel.INTERNAL,
                author=by,
                from_owner_id=previous_id,
                to_owner=owner,
            )


class TimelineEntryQuerySet(models.QuerySet):
    def visible_to_clients(self):
        return self.exclude(kind__in=TimelineEntry.STAFF_ONLY_KINDS)


class TimelineEntry(models.Model):
    class Kind(models.TextChoices):
        CLIENT_MESSAGE = "client_message", _("Mensaje del cliente")
        STAFF_REPLY = "staff_reply", _("Respuesta del equipo")
        INTERNAL_NOTE = "internal_note", _("Nota interna")
        CONVERSATION = "conversation", _("Conversación registrada")
        STAGE_CHANGE = "stage_change", _("Cambio de etapa")
        OWNER_CHANGE = "owner_change", _("Cambio de responsable")
        SYSTEM = "system", _("Aviso del sistema")
        TICKET_EDIT = "ticket_edit", _("Edición del ticket")

    # Never shown in the portal: the team's notes, its housekeeping of the ticket's
    # fields, and who inside the team owns it (clients see the team).
    STAFF_ONLY_KINDS = (Kind.INTERNAL_NOTE, Kind.OWNER_CHANGE, Kind.TICKET_EDIT)

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("mensaje"), blank=True)
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("de la etapa"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("a la etapa"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable anterior"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nuevo responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A stage change's stay: how long the ticket had been in from_stage (from its
    # previous stage change, or its creation). Written by Ticket.move_to(); the area
    # reports' time per stage aggregates it (issue 12).
    stage_stay = models.DurationField(_("tiempo en la etapa"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    objects = TimelineEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interacción")
        verbose_name_plural = _("interacciones")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="entry_ticket_time"),
            # A ticket's last stage change (the board's "time in stage", the reports'
            # time per stage) and its first staff reply (first-response time).
            models.Index(fields=["ticket", "kind", "created_at"], name="entry_ticket_kind_time"),
            # The reports' stage changes of an area's stages in a period.
            models.Index(
                fields=["from_stage", "created_at"],
                include=["stage_stay"],
                name="entry_stage_change_stay",
                condition=models.Q(kind="stage_change"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · #{self.ticket_id}"

    @property
    def is_internal(self) -> bool:
        return self.kind in self.STAFF_ONLY_KINDS

    @property
    def is_from_staff(self) -> bool:
        return self.author is not None and self.author.is_staff

    @classmethod
    def record(cls, *, ticket: Ticket, created_at=None, announce: bool = True, **fields) -> "TimelineEntry":
        """Write one timeline row and move the ticket's last activity to it.

        Every event counts, internal notes included (issue 2; seed 001: "cuándo se
        realizó alguna actualización sobre el ticket"). Listeners of
        events.entry_recorded (e-mail notifications) are told in the same
        transaction, unless `announce` is False (a new ticket's first message:
        events.ticket_created covers it).
        """
        created_at = created_at or timezone.now()
        entry = cls(ticket=ticket, created_at=created_at, **fields)
        entry.full_clean(exclude=loaded_relations(entry))
        entry.save()
        # The stored value only ever moves forward (this conditional UPDATE), so when
        # our copy is already at or past the entry (a new ticket's first message) the
        # UPDATE would change nothing.
        if ticket.last_activity_at < created_at:
            Ticket.objects.filter(pk=ticket.pk, last_activity_at__lt=created_at).touch(created_at)
            ticket.last_activity_at = created_at
        page_cache.bump(organization_id=ticket.organization_id, requester_id=ticket.requester_id)
        if entry.kind == cls.Kind.STAFF_REPLY and not (ticket.first_response_at and ticket.first_response_at <= created_at):
            Ticket.objects.filter(Q(first_response_at__isnull=True) | Q(first_response_at__gt=created_at), pk=ticket.pk).update(
                first_response_at=created_at
            )
            ticket.first_response_at = created_at
        if announce:
            events.announce(events.entry_recorded, sender=cls, entry=entry)
        return entry


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # A random name with the extension of the sniffed type: the client's file name is
    # kept in original_name, never in a path.
    suffix = EXTENSIONS.get(instance.content_type, "")
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    entry = models.ForeignKey(TimelineEntry, verbose_name=_("interacción"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("archivo"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("nombre"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño"))
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")

    def __str__(self) -> str:
        return self.original_name


def held_upload_to(instance: "HeldUpload", filename: str) -> str:
    # Like attachments: a random name with the sniffed type's extension, never the client's.
    suffix = EXTENSIONS.get(instance.content_type, "")
    return f"held/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class HeldUpload(models.Model):
    """A checked file of a new-ticket form that was not sent yet, kept under the form's
    one-time token (issue 8.1).

    The form comes back when the client has open tickets in the area (the duplicate
    confirmation) or a field to fix, and browsers never keep a chosen file: the server
    keeps it instead, for the same person's next submit of the same form only. The
    ticket takes it when opened; tickets.services drops it then, and after a day.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_token = models.UUIDField()
    file = models.FileField(upload_to=held_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    MAX_AGE = timedelta(days=1)
    # A client may leave several forms unsent (tabs); beyond this, the oldest go, so
    # unsent forms cannot fill the disk.
    MAX_PER_OWNER = 3

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "client_token"], name="held_upload_unique_form_token")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_usable(self) -> bool:
        """Young enough to go with its form: a form left open longer than MAX_AGE is
        sent without its file, and the client chooses it again."""
        return self.created_at >= timezone.now() - self.MAX_AGE

    def as_upload(self) -> CheckedUpload:
        """The held file as the checked upload it was, for tickets.services to store."""
        return CheckedUpload(file=self.file, name=self.original_name, content_type=self.content_type, size=self.size)
