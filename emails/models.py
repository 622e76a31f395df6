"""E-mail the portal sends (a durable queue) and receives (kept raw, never dropped).

OutboundEmail rows are written in the transaction that caused them and delivered by a
background task (emails.tasks); InboundEmail rows keep every message that arrived,
with what the ingester (emails.inbound) did with it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued messages whose next attempt is due (the sweep re-enqueues these)."""
        now = now or timezone.now()
        return self.filter(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now)

    def stuck_sending(self, now=None):
        """Messages a worker claimed and never finished (it died mid-send)."""
        now = now or timezone.now()
        cutoff = now - timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT)
        return self.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff)


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        SENDING = "sending", _("Enviando")
        SENT = "sent", _("Enviado")
        FAILED = "failed", _("Fallido")

    template = models.CharField(_("plantilla"), max_length=80)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    from_email = models.CharField(_("remitente"), max_length=254)
    to = models.JSONField(_("destinatarios"), default=list)
    reply_to = models.JSONField(_("responder a"), default=list, blank=True)
    headers = models.JSONField(_("cabeceras"), default=dict, blank=True)
    # Unique: replies name it in In-Reply-To/References, which is how they find the ticket.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    subject = models.CharField(_("asunto"), max_length=255)
    text = models.TextField(_("texto"))
    html = models.TextField(_("HTML"), blank=True)

    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    claimed_at = models.DateTimeField(_("tomado por el worker"), null=True, blank=True)
    task_id = models.CharField(_("tarea"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("creado"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    # Templates whose message carries a personal access link (a credential): the
    # invitation (accounts.services) and allauth's password reset (accounts.adapters).
    # "account/notice" is the adapter's fallback for any other allauth text, which may
    # carry a confirmation link or login code if those features are switched on. Their
    # body is never shown in admin and is scrubbed once the message has left.
    SENSITIVE_TEMPLATES = frozenset({"invitation", "account/password_reset_key", "account/notice"})
    SCRUBBED_NOTE = _("[Contenido retirado tras el envío: contenía un enlace de acceso personal.]")

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correo saliente")
        verbose_name_plural = _("correos salientes")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_status_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def is_sensitive(self) -> bool:
        """True when the body carries a personal access link (see SENSITIVE_TEMPLATES)."""
        return self.template in self.SENSITIVE_TEMPLATES

    def scrub_body(self) -> None:
        """Replace the body of a sent sensitive message by a note (not saved here).

        The link is only needed to send the message; kept at rest, anyone who reads
        the table (a backup, a staff member, a SQL console) could take over the account.
        """
        if self.is_sensitive:
            self.text = str(self.SCRUBBED_NOTE)
            self.html = ""

    def build_message(self) -> EmailMultiAlternatives:
        headers = {**self.headers, "Message-ID": self.message_id}
        message = EmailMultiAlternatives(
            self.subject, self.text, self.from_email, self.to, reply_to=self.reply_to or None, headers=headers
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        return message


class InboundEmail(models.Model):
    class Outcome(models.TextChoices):
        ADDED = "added", _("Añadido al ticket")
        TICKET_CREATED = "ticket_created", _("Ticket creado")
        CLOSED_TICKET = "closed_ticket", _("Respuesta a un ticket cerrado")
        UNKNOWN_SENDER = "unknown_sender", _("Remitente desconocido")
        REVIEW = "review", _("Para revisión del personal")
        AUTOMATIC = "automatic", _("Respuesta automática o rebote")
        FAILED = "failed", _("No se pudo procesar")
        CONVERTED = "converted", _("Convertido en ticket")

    # Outcomes staff may still turn into a ticket from admin.
    CONVERTIBLE = (Outcome.UNKNOWN_SENDER, Outcome.REVIEW)

    # A message without a Message-ID gets one derived from its bytes, so that
    # deduplication (this unique constraint) covers it too.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    source = models.CharField(_("origen"), max_length=40)
    raw = models.BinaryField(_("mensaje original"))
    from_address = models.CharField(_("remitente"), max_length=254, blank=True)
    to_addresses = models.TextField(_("destinatarios"), blank=True)
    subject = models.CharField(_("asunto"), max_length=255, blank=True)
    text = models.TextField(_("texto completo"), blank=True)
    outcome = models.CharField(_("resultado"), max_length=20, choices=Outcome.choices)
    # Which routing rule decided the outcome (emails.routing.Rule), e.g. "auto_submitted".
    rule = models.CharField(_("regla"), max_length=40, blank=True)
    detail = models.TextField(_("detalle"), blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    entry = models.ForeignKey(
        "tickets.TimelineEntry",
        verbose_name=_("interacción"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("recibido"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("correo entrante")
        verbose_name_plural = _("correos entrantes")
        indexes = [models.Index(fields=["outcome", "-received_at"], name="inbound_outcome_received")]
        constraints = [models.CheckConstraint(condition=~Q(message_id=""), name="inbound_message_id_not_empty")]

    def __str__(self) -> str:
        return f"{self.subject or _('(sin asunto)')} ← {self.from_address}"

    @property
    def is_convertible(self) -> bool:
        return self.outcome in self.CONVERTIBLE


class InboundDuplicate(models.Model):
    """A message that arrived again under a Message-ID already ingested.

    Counted and listed for staff so that a sender reusing a Message-ID for another
    message is noticed; when it is really another message (another sender, another
    body) it is also ingested in its own right (`kept_as`), never silently dropped.
    """

    original = models.ForeignKey(
        InboundEmail, verbose_name=_("correo original"), on_delete=models.CASCADE, related_name="duplicates"
    )
    kept_as = models.ForeignKey(
        InboundEmail,
        verbose_name=_("procesado como"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("recibido"), default=timezone.now)
    source = models.CharField(_("origen"), max_length=40)
    from_address = models.CharField(_("remitente"), max_length=254, blank=True)
    subject = models.CharField(_("asunto"), max_length=255, blank=True)
    same_body = models.BooleanField(_("mismo contenido"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("duplicado")
        verbose_name_plural = _("duplicados")

    def __str__(self) -> str:
        return f"{self.original.message_id} ← {self.from_address}"
