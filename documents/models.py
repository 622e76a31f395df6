"""The documents a stage asks of the client, and each ticket's copy of them (issue 11.3).

A stage lists its RequiredDocuments (e.g. Gestorías · Integración expediente: factura,
tarjeta de circulación, identificación oficial). A ticket holds one TicketDocument per
requirement once the client sent a file for it: the current file (an Attachment of the
timeline entry that brought it, so it downloads through the same access checks as a
reply's) and the team's verdict. Every upload and verdict is also a timeline row: this
table is the present state, the timeline its history. documents.services writes both.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jhl_portal.text import SingleLineCharField


class RequiredDocumentQuerySet(models.QuerySet):
    def of_stage(self, stage_id: int):
        return self.filter(stage_id=stage_id).order_by("position", "pk")

    def missing_for(self, ticket, stage_id: int):
        """The requirements of `stage_id` that `ticket` has no accepted document for."""
        accepted = TicketDocument.objects.filter(ticket=ticket, status=TicketDocument.Status.ACCEPTED)
        return self.of_stage(stage_id).exclude(pk__in=accepted.values("requirement_id"))


class RequiredDocument(models.Model):
    stage = models.ForeignKey(
        "workflows.Stage", verbose_name=_("etapa"), on_delete=models.CASCADE, related_name="required_documents"
    )
    name = SingleLineCharField(_("documento"), max_length=100)
    help_text = models.CharField(
        _("indicaciones"),
        max_length=200,
        blank=True,
        help_text=_("Lo que el cliente lee bajo el nombre, p. ej. «Vigente, por ambos lados»."),
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)

    objects = RequiredDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "position", "pk"]
        verbose_name = _("documento requerido")
        verbose_name_plural = _("documentos requeridos")
        constraints = [models.UniqueConstraint(fields=["stage", "name"], name="required_document_unique_name_per_stage")]

    def __str__(self) -> str:
        return self.name


class TicketDocument(models.Model):
    class Status(models.TextChoices):
        # No row at all means "Pendiente": nothing was sent yet.
        IN_REVIEW = "in_review", _("En revisión")
        ACCEPTED = "accepted", _("Aceptado")
        REJECTED = "rejected", _("Rechazado")

    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument, verbose_name=_("documento"), on_delete=models.CASCADE, related_name="ticket_documents"
    )
    # The file of the last upload; earlier ones stay on the timeline.
    attachment = models.ForeignKey("tickets.Attachment", verbose_name=_("archivo"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.IN_REVIEW)
    reason = models.TextField(_("motivo"), blank=True, help_text=_("Lo que el cliente lee (y recibe por correo) si se rechaza."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enviado por"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("enviado"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("revisado"), null=True, blank=True)

    class Meta:
        ordering = ["requirement__stage__position", "requirement__position", "pk"]
        verbose_name = _("documento del ticket")
        verbose_name_plural = _("documentos del ticket")
        constraints = [models.UniqueConstraint(fields=["ticket", "requirement"], name="ticket_document_unique_requirement")]

    def __str__(self) -> str:
        return f"{self.requirement.name} · #{self.ticket_id}"


PENDING = "pending"


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a ticket's checklist: a requirement and where the client stands."""

    requirement_id: int
    name: str
    help_text: str
    status: str  # PENDING or a TicketDocument.Status value
    reason: str
    attachment_id: int | None
    file_name: str

    @property
    def status_label(self) -> str:
        return str(_("Pendiente")) if self.status == PENDING else str(TicketDocument.Status(self.status).label)

    @property
    def accepts_upload(self) -> bool:
        """The client may send a file: nothing sent yet, or the last one was rejected."""
        return self.status in (PENDING, TicketDocument.Status.REJECTED)


def checklist(ticket) -> list[ChecklistItem]:
    """The documents the ticket's current stage asks for, with the client's progress on
    each; one query (the requirements joined to this ticket's documents)."""
    rows = (
        RequiredDocument.objects.of_stage(ticket.stage_id)
        .annotate(current=FilteredRelation("ticket_documents", condition=Q(ticket_documents__ticket_id=ticket.pk)))
        .values_list(
            "pk",
            "name",
            "help_text",
            "current__status",
            "current__reason",
            "current__attachment_id",
            "current__attachment__original_name",
        )
    )
    return [
        ChecklistItem(
            requirement_id=pk,
            name=name,
            help_text=help_text,
            status=status or PENDING,
            reason=reason or "",
            attachment_id=attachment_id,
            file_name=file_name or "",
        )
        for pk, name, help_text, status, reason, attachment_id, file_name in rows
    ]
