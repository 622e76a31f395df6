"""The routing rules: what a received message does, as one decision value.

decide() reads the message and the database and returns a Decision; it changes
nothing. emails.inbound applies it (append, open, hold, ignore, answer closed). Each
Decision names the rule that made it, stored on the InboundEmail for staff and tests.

The rules (issue 4, issue 9):
- automatic mail (auto-replies, out-of-office, bounces, our own messages coming back)
  touches nothing and is never answered;
- a message whose MIME structure is broken with no readable text, or with no From, is
  held for staff (who may add it to a ticket or open one from it);
- a sender our receiving server could not authenticate is held for staff;
- a reply that names a ticket (our signed Reply-To, or In-Reply-To/References to one of
  our Message-IDs) from someone who may see the ticket is appended to it; to a Cerrado
  ticket it gets one automatic answer a day instead (seed 001);
- a new e-mail from a registered client opens a ticket in the area whose address it
  was sent to, or in the triage area;
- anything else (unknown senders, forged tokens, outsiders) is held for staff. Nobody
  outside is ever answered (no backscatter).
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Ticket
from workflows.models import Area

from . import addressing
from .authentication import authentication_problem
from .mime import Message
from .models import InboundEmail, OutboundEmail

Outcome = InboundEmail.Outcome


class Action(StrEnum):
    APPEND = "append"
    OPEN = "open"
    HOLD = "hold"
    IGNORE = "ignore"
    ANSWER_CLOSED = "answer_closed"


class Rule(StrEnum):
    # Automatic mail, one value per rule (a message may trip several; the first wins).
    AUTO_SUBMITTED = "auto_submitted"
    PRECEDENCE = "precedence"
    X_AUTOREPLY = "x_autoreply"
    BOUNCE = "bounce"
    DELIVERY_REPORT = "delivery_report"
    OWN_MESSAGE_ID = "own_message_id"
    OWN_TICKET_HEADER = "own_ticket_header"
    OWN_SENDER = "own_sender"
    AUTO_SUBJECT = "auto_subject"
    # Held for staff.
    MALFORMED = "malformed"
    NO_SENDER = "no_sender"
    UNAUTHENTICATED = "unauthenticated"
    FORGED_TOKEN = "forged_token"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_SENDER = "unknown_sender"
    # Acted on.
    REPLY = "reply"
    NEW_REQUEST = "new_request"
    CLOSED_TICKET = "closed_ticket"
    CLOSED_TICKET_TOLD = "closed_ticket_told"


@dataclass(frozen=True)
class Decision:
    action: Action
    rule: Rule
    outcome: str  # InboundEmail.Outcome
    reason: str = ""  # for staff, in Spanish
    ticket: Ticket | None = None
    author: object = None  # the client who writes (append, open)
    area: Area | None = None  # where a new ticket opens


# --- Automatic mail ---------------------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(respuesta automática|automatic reply|auto[- ]?reply|fuera de la oficina|out of (the )?office|"
    r"undeliverable|no se puede entregar|delivery status notification|mail delivery failed|returned mail)\b",
    re.IGNORECASE,
)
_DAEMON_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "noreply-dmarc")
_AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply")
_REPORT_TYPES = {"multipart/report", "message/delivery-status", "message/disposition-notification"}


def _our_addresses() -> set[str]:
    return {
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(),
        settings.REPLY_TO_BASE_ADDRESS.lower(),
    }


def automatic_rules(message: Message) -> list[tuple[Rule, str]]:
    """Every rule by which the message was written by a program, with its reason."""
    fired = []
    auto_submitted = message.header("Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        fired.append((Rule.AUTO_SUBMITTED, f"Auto-Submitted: {auto_submitted}"))
    precedence = message.header("Precedence").lower()
    if precedence in {"bulk", "junk", "auto_reply"}:
        fired.append((Rule.PRECEDENCE, f"Precedence: {precedence}"))
    if present := [name for name in _AUTOREPLY_HEADERS if message.has_header(name)]:
        fired.append((Rule.X_AUTOREPLY, present[0]))
    if message.sender and message.sender.split("@")[0] in _DAEMON_SENDERS:
        fired.append((Rule.BOUNCE, _("remitente de rebotes")))
    if message.part_types & _REPORT_TYPES:
        fired.append((Rule.DELIVERY_REPORT, _("informe de entrega")))
    if addressing.is_our_message_id(message.header("Message-ID")):
        fired.append((Rule.OWN_MESSAGE_ID, _("nuestro propio mensaje (bucle)")))
    if message.has_header("X-JHL-Ticket"):
        fired.append((Rule.OWN_TICKET_HEADER, _("nuestro propio mensaje (bucle)")))
    if message.sender and message.sender in _our_addresses():
        fired.append((Rule.OWN_SENDER, _("enviado por el propio portal (bucle)")))
    if _AUTO_SUBJECT.match(message.subject):
        fired.append((Rule.AUTO_SUBJECT, _("asunto de respuesta automática")))
    return fired


# --- The ticket a message names ---------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    ticket: Ticket | None = None
    forged: bool = False


def find_reference(message: Message) -> Reference:
    """The ticket a message is a reply to, by our signed address or our Message-IDs.

    "[Ticket #N]" in the subject is deliberately not looked at: anyone can type it.
    """
    forged = False
    for address in recipients(message):
        try:
            number = addressing.ticket_number_from_address(address)
        except addressing.BadToken:
            forged = True
            continue
        if number is not None:
            return Reference(ticket=Ticket.objects.with_related().filter(pk=number).first())
    if forged:
        return Reference(forged=True)
    ids = addressing.message_ids_in(message.header("In-Reply-To")) + addressing.message_ids_in(message.header("References"))
    if ids:
        ours = OutboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).order_by("-pk").first()
        if ours:
            return Reference(ticket=Ticket.objects.with_related().get(pk=ours.ticket_id))
        # A colleague answering all to the client's own e-mail that opened the ticket.
        theirs = InboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).order_by("-pk").first()
        if theirs:
            return Reference(ticket=Ticket.objects.with_related().get(pk=theirs.ticket_id))
    return Reference()


def recipients(message: Message) -> list[str]:
    return message.addresses("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


def client_by_address(address: str):
    """The active client (not staff) with this e-mail address, or None."""
    if not address:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True, is_staff=False)
        .select_related("organization")
        .first()
    )


def may_write_to(user, ticket: Ticket) -> bool:
    """Whoever may see the ticket in the portal may write to it by e-mail: the one rule
    is Ticket.objects.visible_to (the requester or a colleague of the organization)."""
    return user is not None and Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists()


def area_for(message: Message) -> Area:
    """The area whose address the message was sent to, else the triage area."""
    sent_to = recipients(message)
    # A handful of areas: comparing in Python is simpler than a case-insensitive IN.
    for area in Area.objects.order_by("position"):
        if area.email.lower() in sent_to:
            return area
    return Area.objects.filter(slug=settings.TRIAGE_AREA_SLUG).first() or Area.objects.order_by("position").first()


# --- Deciding ----------------------------------------------------------------------------


def closed_ticket_decision(ticket: Ticket, sender: str) -> Decision:
    """Seed 001: a Cerrado ticket takes no more messages; the sender is told once how to
    open a new one (once a day at most, so two autoresponders never loop)."""
    since = timezone.now() - timedelta(days=1)
    recent = OutboundEmail.objects.filter(ticket=ticket, template="ticket_closed_reply", created_at__gte=since)
    if any(sender in [to.lower() for to in email.to] for email in recent):
        reason = _("Ya se le había avisado en las últimas 24 horas; no se responde de nuevo.")
        return Decision(Action.IGNORE, Rule.CLOSED_TICKET_TOLD, Outcome.CLOSED_TICKET, reason, ticket=ticket)
    reason = _("Se avisó al remitente que el ticket está cerrado.")
    return Decision(Action.ANSWER_CLOSED, Rule.CLOSED_TICKET, Outcome.CLOSED_TICKET, reason, ticket=ticket)


def _hold(rule: Rule, reason: str, ticket=None, outcome=Outcome.REVIEW) -> Decision:
    return Decision(Action.HOLD, rule, outcome, reason, ticket=ticket)


def decide(message: Message) -> Decision:
    """What the message does; reads the database, writes nothing."""
    if fired := automatic_rules(message):
        rule, reason = fired[0]
        return Decision(Action.IGNORE, rule, Outcome.AUTOMATIC, reason)
    reference = find_reference(message)
    if message.is_malformed:
        reason = _(
            "La estructura MIME del correo está dañada (%(defects)s) y no se pudo leer su texto; "
            "descargue el original para revisarlo."
        ) % {"defects": ", ".join(message.structural_defects)}
        return _hold(Rule.MALFORMED, reason, reference.ticket)
    if not message.sender:
        return _hold(Rule.NO_SENDER, _("El correo no indica remitente (From)."), reference.ticket)
    if problem := authentication_problem(message):
        # Held before the sender is looked up: not added to a ticket, no ticket opened
        # in a client's name, and no automatic answer to an address that did not write.
        return _hold(Rule.UNAUTHENTICATED, problem, reference.ticket)
    if reference.forged:
        return _hold(Rule.FORGED_TOKEN, _("La dirección de respuesta nombra un ticket con una firma no válida."))
    user = client_by_address(message.sender)
    if (ticket := reference.ticket) is not None:
        if not may_write_to(user, ticket):
            reason = _("El remitente no es el solicitante ni pertenece a la organización del ticket #%(number)s.") % {
                "number": ticket.number
            }
            return _hold(Rule.NOT_ALLOWED, reason, ticket)
        if ticket.is_closed:
            return closed_ticket_decision(ticket, message.sender)
        return Decision(Action.APPEND, Rule.REPLY, Outcome.ADDED, ticket=ticket, author=user)
    if user is None:
        reason = _("El remitente no es un cliente registrado; no se le responde.")
        return _hold(Rule.UNKNOWN_SENDER, reason, outcome=Outcome.UNKNOWN_SENDER)
    return Decision(Action.OPEN, Rule.NEW_REQUEST, Outcome.TICKET_CREATED, author=user, area=area_for(message))
