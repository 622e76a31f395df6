"""Turning a raw e-mail into the right effect on a ticket.

ingest() is the one entry point, fed by `manage.py fetch_mail` (IMAP) and by the
providers' inbound webhooks (emails.webhooks). Every message is stored raw as an
InboundEmail first (unique Message-ID: the same message is never ingested twice, even
by two runs at once), then the rules of issue 4 decide what it does:

- automatic mail (auto-replies, out-of-office, bounces, our own messages coming back)
  touches nothing and is never answered;
- a reply that names a ticket (our signed Reply-To, or In-Reply-To/References to one
  of our Message-IDs) from the requester or a colleague of the same organization is
  added to that ticket; to a Cerrado ticket it gets one automatic answer instead;
- a new e-mail from a registered client opens a ticket (channel Correo) in the area
  whose address it was sent to, or in the triage area;
- a sender our receiving server could not authenticate (Authentication-Results with
  dmarc=fail, or spf=fail without DKIM; with INBOUND_REQUIRE_AUTHENTICATED_SENDER,
  anything short of a pass) is held for staff review instead: it joins no ticket,
  opens none and is not answered;
- anything else (unknown senders, forged tokens, outsiders) is kept for staff, who may
  turn it into a ticket from admin. Nobody outside is ever answered (no backscatter).

Tickets and their entries are written only through tickets.services.
"""

import hashlib
import html as html_module
import logging
import re
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from pathlib import PurePosixPath

import nh3
import tnefparse
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry
from tickets.uploads import CheckedUpload, validate_upload
from workflows.models import Area

from . import addressing
from .models import InboundEmail, OutboundEmail

logger = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome
Kind = TimelineEntry.Kind


# --- Reading a message --------------------------------------------------------------


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def header(msg: EmailMessage, name: str) -> str:
    """A header's decoded value ("" if absent or unreadable); encoded words decoded."""
    try:
        value = str(msg.get(name) or "")
    except Exception:  # a malformed header must not stop the rest of the message
        value = ""
    return " ".join(value.replace("\x00", "").split())


def addresses(msg: EmailMessage, *names: str) -> list[str]:
    values = []
    for name in names:
        values.extend(str(v) for v in (msg.get_all(name) or []))
    return [addr.lower() for _name, addr in getaddresses(values) if "@" in addr]


def sender_address(msg: EmailMessage) -> str:
    return parseaddr(header(msg, "From"))[1].lower()


def message_id_of(msg: EmailMessage | None, raw: bytes) -> str:
    value = addressing.message_ids_in(header(msg, "Message-ID")) if msg is not None else []
    if value:
        return value[0][:255]
    # No (readable) Message-ID: one derived from the bytes still deduplicates.
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@sin-message-id>"


# Charsets mail clients declare but do not mean: Latin-1 labels usually hide
# Windows-1252 (curly quotes, €), and "us-ascii" often hides UTF-8.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "iso8859-1": "cp1252",
    "windows-1252": "cp1252",
}


def decode_text(payload: bytes, charset: str | None) -> str:
    charset = (charset or "us-ascii").lower()
    candidates = (
        ["utf-8", "cp1252"] if charset in {"us-ascii", "ascii"} else [_CHARSET_ALIASES.get(charset, charset), "utf-8", "cp1252"]
    )
    for candidate in candidates:
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def part_text(part: EmailMessage) -> str:
    return decode_text(part.get_payload(decode=True) or b"", part.get_content_charset())


_BLOCK_END = re.compile(r"(?i)</(p|div|tr|li|h[1-6]|blockquote|table|ul|ol)\s*>|<br\s*/?>")


_LINK = re.compile(r"""(?is)<a\b[^>]*?\bhref\s*=\s*["']?(https?://[^"'\s>]+)["']?[^>]*>(.*?)</a\s*>""")


def _link_as_text(match: re.Match) -> str:
    """A web link keeps its address in the text (a shared folder the client sends)."""
    url, label = match.group(1), match.group(2)
    shown = html_module.unescape(re.sub(r"<[^>]*>", "", label)).strip()
    url_text = html_module.unescape(url)
    return label if shown == url_text else f"{label} ({url})"


def html_to_text(markup: str) -> str:
    """Plain text of an HTML body: every tag dropped (nh3), never rendered."""
    markup = re.sub(r"(?is)<(script|style|head|title)\b.*?</\1\s*>", "", markup)
    markup = _LINK.sub(_link_as_text, markup)
    markup = re.sub(r"(?i)<hr\b[^>]*>", "\n________________________________\n", markup)
    markup = _BLOCK_END.sub("\n", markup)
    markup = re.sub(r"(?i)<li\b[^>]*>", "- ", markup)
    text = html_module.unescape(nh3.clean(markup, tags=set(), strip_comments=True))
    return tidy(text)


def tidy(text: str) -> str:
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where the quoted history of a reply begins (Gmail, Outlook, Apple Mail, in Spanish
# and English).
_QUOTE_HEADER = re.compile(
    r"^[ \t>]*(El|On|Le|Am)\s[^\n]{0,200}?(\n[^\n]{0,200}?)?(escribió|wrote|a écrit|schrieb)\s*:\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_OUTLOOK_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Mensaje original|Original Message|Mensaje reenviado|Forwarded message)\s*-{2,}|_{10,})\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_OUTLOOK_HEADER_BLOCK = re.compile(
    r"^\s*\*?(De|From)\s*:\*?\s.*\n(.*\n){0,3}?\s*\*?(Enviado|Sent|Fecha|Date|Enviado el)\s*:", re.MULTILINE | re.IGNORECASE
)
_SIGNATURE = re.compile(
    r"^(-- ?|—|Enviado desde mi (iPhone|iPad|teléfono|celular|móvil).*|Sent from my .*|Obtener Outlook para .*|Get Outlook for .*)\s*$",
    re.MULTILINE | re.IGNORECASE,
)


def strip_reply(text: str) -> str:
    """The new part of a reply: quoted history and signature removed, for display.

    The full message is always kept (InboundEmail.raw and .text); if stripping would
    leave nothing, the whole text is shown instead.
    """
    cut = len(text)
    for pattern in (_QUOTE_HEADER, _OUTLOOK_SEPARATOR, _OUTLOOK_HEADER_BLOCK, _SIGNATURE):
        if match := pattern.search(text):
            cut = min(cut, match.start())
    kept = [line for line in text[:cut].split("\n") if not line.lstrip().startswith(">")]
    stripped = tidy("\n".join(kept))
    return stripped or tidy(text)


@dataclass
class Content:
    text: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)


def _tnef_content(data: bytes) -> Content:
    tnef = tnefparse.TNEF(data)
    content = Content()
    body = tnef.body or b""
    content.text = body if isinstance(body, str) else decode_text(body, "cp1252")
    if not content.text.strip() and tnef.htmlbody:
        markup = tnef.htmlbody if isinstance(tnef.htmlbody, str) else decode_text(tnef.htmlbody, "cp1252")
        content.text = html_to_text(markup)
    for attachment in tnef.attachments:
        name = attachment.long_filename() or attachment.name
        content.files.append((name if isinstance(name, str) else decode_text(name, "cp1252"), attachment.data))
    return content


def extract(msg: EmailMessage) -> Content:
    """The message's readable text and its files (winmail.dat unpacked)."""
    content = Content()
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = part_text(body)
        content.text = html_to_text(text) if body.get_content_type() == "text/html" else tidy(text)
    for index, part in enumerate(msg.walk(), start=1):
        if part.is_multipart() or part is body or part.get_content_type().startswith("message/"):
            continue
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type in ("text/plain", "text/html") and not filename and part.get_content_disposition() != "attachment":
            continue  # the other alternative of the body, or a part of an attached message
        data = part.get_payload(decode=True) or b""
        if content_type == "application/ms-tnef" or (filename or "").lower() == "winmail.dat":
            try:
                tnef = _tnef_content(data)
            except Exception:
                logger.warning("Unreadable winmail.dat kept as a file", exc_info=True)
            else:
                content.text = content.text or tidy(tnef.text)
                content.files.extend(tnef.files)
                continue
        name = PurePosixPath((filename or "").replace("\\", "/").replace("\x00", "")).name or f"adjunto-{index}"
        content.files.append((name, data))
    return content


def check_files(files: list[tuple[str, bytes]]) -> tuple[list[CheckedUpload], list[str]]:
    """The files that pass the portal's checks, and a line per refused one."""
    accepted, refused = [], []
    for name, data in files:
        if len(accepted) >= settings.ATTACHMENT_MAX_FILES:
            refused.append(
                _("«%(name)s»: se aceptan como máximo %(max)d archivos por mensaje.")
                % {"name": name, "max": settings.ATTACHMENT_MAX_FILES}
            )
            continue
        try:
            accepted.append(validate_upload(SimpleUploadedFile(name, data)))
        except ValidationError as error:
            refused.extend(error.messages)
    return accepted, refused


# --- Deciding what a message is -------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(respuesta automática|automatic reply|auto[- ]?reply|fuera de la oficina|out of (the )?office|"
    r"undeliverable|no se puede entregar|delivery status notification|mail delivery failed|returned mail)\b",
    re.IGNORECASE,
)
_DAEMON_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "noreply-dmarc")


def automatic_reason(msg: EmailMessage, sender: str) -> str | None:
    """Why a message was written by a program (never to be answered), or None."""
    auto_submitted = header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = header(msg, "Precedence").lower()
    if precedence in {"bulk", "junk", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if msg.get(name) is not None:
            return name
    if not sender or sender.split("@")[0] in _DAEMON_SENDERS:
        return _("remitente de rebotes")
    if msg.get_content_type() == "multipart/report" or any(
        part.get_content_type() in ("message/delivery-status", "message/disposition-notification") for part in msg.walk()
    ):
        return _("informe de entrega")
    if addressing.is_our_message_id(header(msg, "Message-ID")) or msg.get("X-JHL-Ticket") is not None:
        return _("nuestro propio mensaje (bucle)")
    ours = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), settings.REPLY_TO_BASE_ADDRESS.lower()}
    if sender in ours:
        return _("enviado por el propio portal (bucle)")
    if _AUTO_SUBJECT.match(header(msg, "Subject")):
        return _("asunto de respuesta automática")
    return None


# Authentication-Results (RFC 8601): "authserv-id; method=result property=value …; …".
_AR_COMMENT = re.compile(r"\([^()]*\)")
_AR_RESULT = re.compile(r"^\s*([a-z0-9_-]+)(?:/[0-9]+)?\s*=\s*([a-z0-9_-]+)(.*)$", re.IGNORECASE | re.DOTALL)
_AR_DOMAIN = {
    "dkim": re.compile(r"\bheader\.d\s*=\s*\"?([a-z0-9.-]+)", re.IGNORECASE),
    "dmarc": re.compile(r"\bheader\.from\s*=\s*\"?([a-z0-9.-]+)", re.IGNORECASE),
}


@dataclass(frozen=True)
class AuthResult:
    method: str  # "spf", "dkim", "dmarc"…
    result: str  # "pass", "fail", "none"…
    domain: str = ""  # header.d of a DKIM signature, header.from of a DMARC check


def our_authentication_results(msg: EmailMessage) -> list[AuthResult]:
    """The checks our receiving server (settings.INBOUND_AUTHSERV_ID) reported.

    Anyone can write an Authentication-Results header into a message, so the ones
    naming another server are ignored; the MTA strips incoming ones that name ours.
    """
    ours = settings.INBOUND_AUTHSERV_ID.lower()
    results = []
    if not ours:
        return results
    for value in msg.get_all("Authentication-Results") or []:
        try:
            text = " ".join(str(value).split())
        except Exception:  # a malformed header is no evidence either way
            continue
        while _AR_COMMENT.search(text):
            text = _AR_COMMENT.sub(" ", text)
        authserv, *resinfos = text.split(";")
        if authserv.lower().split()[:1] != [ours]:
            continue
        for resinfo in resinfos:
            if match := _AR_RESULT.match(resinfo):
                method, result, properties = match.group(1).lower(), match.group(2).lower(), match.group(3)
                domain = _AR_DOMAIN[method].search(properties) if method in _AR_DOMAIN else None
                results.append(AuthResult(method, result, domain.group(1).lower().rstrip(".") if domain else ""))
    return results


def _aligned(domain: str, sender_domain: str) -> bool:
    """DMARC's relaxed alignment, without a public-suffix list: one domain is the other
    or a subdomain of it (a signature by a parent like "com" cannot exist: no key)."""
    return bool(domain) and (
        domain == sender_domain or sender_domain.endswith("." + domain) or domain.endswith("." + sender_domain)
    )


def _vouched_for(sender: str, results: list[AuthResult]) -> bool:
    """Our server confirmed the From domain: DMARC passed for it, or it signed (DKIM)."""
    sender_domain = sender.rpartition("@")[2]
    return any(
        r.result == "pass"
        and (
            (r.method == "dmarc" and r.domain in ("", sender_domain))
            or (r.method == "dkim" and _aligned(r.domain, sender_domain))
        )
        for r in results
    )


def authentication_problem(msg: EmailMessage, sender: str) -> str | None:
    """Why the From address cannot be trusted, from our receiving server's checks; None
    if nothing speaks against it. Who a message is from decides whose ticket it opens
    or joins, and From alone is trivially forged."""
    results = our_authentication_results(msg)
    reported = {(r.method, r.result) for r in results}
    if ("dmarc", "fail") in reported:
        return _("Nuestro servidor de correo reporta dmarc=fail: el remitente puede estar falsificado.")
    if ("spf", "fail") in reported and ("dkim", "pass") not in reported:
        return _("Nuestro servidor de correo reporta spf=fail sin una firma DKIM válida: el remitente puede estar falsificado.")
    if settings.INBOUND_REQUIRE_AUTHENTICATED_SENDER and not _vouched_for(sender, results):
        return _(
            "Nuestro servidor de correo no confirmó al remitente (ni dmarc=pass ni una firma DKIM de su dominio); "
            "se exige remitente autenticado."
        )
    return None


@dataclass
class Reference:
    ticket: Ticket | None = None
    forged: bool = False


def find_reference(msg: EmailMessage, recipients: list[str]) -> Reference:
    """The ticket a message is a reply to, by our signed address or our Message-IDs.

    "[Ticket #N]" in the subject is deliberately not looked at: anyone can type it.
    """
    forged = False
    for address in recipients:
        try:
            number = addressing.ticket_number_from_address(address)
        except addressing.BadToken:
            forged = True
            continue
        if number is not None:
            return Reference(ticket=Ticket.objects.with_related().filter(pk=number).first(), forged=False)
    if forged:
        return Reference(forged=True)
    ids = addressing.message_ids_in(header(msg, "In-Reply-To")) + addressing.message_ids_in(header(msg, "References"))
    if ids:
        ours = OutboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).order_by("-pk").first()
        if ours:
            return Reference(ticket=Ticket.objects.with_related().get(pk=ours.ticket_id))
        # A colleague answering all to the client's own e-mail that opened the ticket.
        theirs = InboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).order_by("-pk").first()
        if theirs:
            return Reference(ticket=Ticket.objects.with_related().get(pk=theirs.ticket_id))
    return Reference()


def client_by_address(address: str):
    """The active client (not staff) with this e-mail address, or None."""
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


def area_for(recipients: list[str]) -> Area:
    """The area whose address the message was sent to, else the triage area."""
    # A handful of areas: comparing in Python is simpler than a case-insensitive IN.
    for area in Area.objects.order_by("position"):
        if area.email.lower() in recipients:
            return area
    return Area.objects.filter(slug=settings.TRIAGE_AREA_SLUG).first() or Area.objects.order_by("position").first()


# --- Acting on it ----------------------------------------------------------------------


def _note_refusals(ticket: Ticket, refused: list[str]) -> None:
    if refused:
        services.entry_add(
            ticket=ticket,
            kind=Kind.SYSTEM,
            author=None,
            channel=Channel.EMAIL,
            body=_("No se guardaron estos archivos adjuntos del correo:") + "\n" + "\n".join(f"- {line}" for line in refused),
        )


def open_ticket_from(inbound: InboundEmail, msg: EmailMessage, *, requester, area: Area) -> Ticket:
    """Open a ticket (channel Correo) from a message; its sender gets "ticket created"."""
    content = extract(msg)
    accepted, refused = check_files(content.files)
    subject = addressing.strip_subject_tag(header(msg, "Subject")) or _("(sin asunto)")
    ticket = services.ticket_create(
        requester=requester,
        area=area,
        subject=subject[:200],
        description=strip_reply(content.text),
        channel=Channel.EMAIL,
        attachments=accepted,
    )
    _note_refusals(ticket, refused)
    inbound.ticket = ticket
    inbound.entry = ticket.entries.order_by("pk").first()
    return ticket


def _closed_answer_sent_recently(ticket: Ticket, address: str) -> bool:
    since = timezone.now() - timedelta(days=1)
    recent = OutboundEmail.objects.filter(ticket=ticket, template="ticket_closed_reply", created_at__gte=since)
    return any(address in [to.lower() for to in email.to] for email in recent)


def _apply_rules(inbound: InboundEmail, msg: EmailMessage) -> None:
    from .notifications import notify_closed_ticket

    sender = inbound.from_address
    recipients = addresses(msg, "To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")

    if reason := automatic_reason(msg, sender):
        inbound.outcome, inbound.detail = Outcome.AUTOMATIC, reason
        return

    reference = find_reference(msg, recipients)
    if problem := authentication_problem(msg, sender):
        # Held before the sender is looked up: not added to a ticket, no ticket opened
        # in a client's name, and no automatic answer to an address that did not write.
        inbound.ticket = reference.ticket
        inbound.outcome, inbound.detail = Outcome.REVIEW, problem
        return
    user = client_by_address(sender)
    if reference.forged:
        inbound.outcome = Outcome.REVIEW
        inbound.detail = _("La dirección de respuesta nombra un ticket con una firma no válida.")
        return
    if reference.ticket is not None:
        ticket = reference.ticket
        inbound.ticket = ticket
        if not may_write_to(user, ticket):
            inbound.outcome = Outcome.REVIEW
            inbound.detail = _("El remitente no es el solicitante ni pertenece a la organización del ticket #%(number)s.") % {
                "number": ticket.number
            }
            return
        if not ticket.is_closed:
            content = extract(msg)
            accepted, refused = check_files(content.files)
            try:
                inbound.entry = services.entry_add(
                    ticket=ticket,
                    kind=Kind.CLIENT_MESSAGE,
                    author=user,
                    body=strip_reply(content.text) or _("(mensaje sin texto)"),
                    channel=Channel.EMAIL,
                    attachments=accepted,
                )
            except services.TicketClosedError:
                pass  # closed meanwhile: answered below like any reply to a closed ticket
            else:
                _note_refusals(ticket, refused)
                inbound.outcome = Outcome.ADDED
                return
        # Seed 001: a Cerrado ticket takes no more messages; the sender is told once
        # how to open a new one (once a day at most, so two autoresponders never loop).
        inbound.outcome = Outcome.CLOSED_TICKET
        if _closed_answer_sent_recently(ticket, sender):
            inbound.detail = _("Ya se le había avisado en las últimas 24 horas; no se responde de nuevo.")
        else:
            notify_closed_ticket(ticket=ticket, to=sender)
            inbound.detail = _("Se avisó al remitente que el ticket está cerrado.")
        return

    if user is None:
        inbound.outcome = Outcome.UNKNOWN_SENDER
        inbound.detail = _("El remitente no es un cliente registrado; no se le responde.")
        return
    area = area_for(recipients)
    open_ticket_from(inbound, msg, requester=user, area=area)
    inbound.outcome = Outcome.TICKET_CREATED


def ingest(raw: bytes, *, source: str) -> tuple[InboundEmail, bool]:
    """Store one raw RFC 5322 message and apply the rules; return (row, created).

    `created` is False when a message with the same Message-ID was ingested before
    (that earlier row is returned and nothing happens). A message that cannot be
    read is stored with outcome "No se pudo procesar", never dropped.
    """
    try:
        msg = parse(raw)
        message_id = message_id_of(msg, raw)
    except Exception:
        msg, message_id = None, message_id_of(None, raw)

    with transaction.atomic():
        inbound = InboundEmail(message_id=message_id, source=source[:40], raw=raw, outcome=Outcome.FAILED)
        try:
            with transaction.atomic():
                # The unique Message-ID is the lock: a second run (or a webhook retry)
                # waits here for the first to commit, then finds the row.
                inbound.save()
        except IntegrityError:
            return InboundEmail.objects.get(message_id=message_id), False
        _process(inbound, msg)
    return inbound, True


def _process(inbound: InboundEmail, msg: EmailMessage | None) -> None:
    """Read a stored message's headers and apply the rules; save the outcome.

    Anything wrong with the message itself marks it failed, kept raw for staff. A
    passing database failure (a deadlock, a lost connection) is not the message's
    fault: it propagates, the whole ingestion rolls back, and fetch_mail leaves the
    message in the inbox (a webhook answers 500 and the provider retries).
    """
    try:
        with transaction.atomic():
            if msg is None:
                raise ValueError("unparseable message")
            inbound.from_address = sender_address(msg)[:254]
            inbound.to_addresses = ", ".join(addresses(msg, "To", "Cc"))
            inbound.subject = header(msg, "Subject")[:255]
            inbound.text = extract(msg).text
            _apply_rules(inbound, msg)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Could not ingest message %s", inbound.message_id)
        inbound.outcome = Outcome.FAILED
        inbound.detail = traceback.format_exc()[-4000:].replace("\x00", "")
        inbound.ticket = inbound.entry = None
    inbound.save()


def reprocess(inbound: InboundEmail) -> InboundEmail:
    """Staff run the rules again on a message that failed (e.g. once a bug is fixed)."""
    with transaction.atomic():
        locked = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        if locked.outcome != Outcome.FAILED:
            raise ValidationError(_("Solo se reprocesan los correos que no se pudieron procesar."))
        try:
            msg = parse(bytes(locked.raw))
        except Exception:
            msg = None
        _process(locked, msg)
    return locked


def convert_to_ticket(inbound: InboundEmail, *, requester, area: Area) -> Ticket:
    """Staff turn a held message (unknown sender, review) into a ticket for a client."""
    with transaction.atomic():
        locked = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        if not locked.is_convertible:
            raise ValidationError(_("Este correo ya no se puede convertir en ticket."))
        ticket = open_ticket_from(locked, parse(bytes(locked.raw)), requester=requester, area=area)
        locked.outcome = Outcome.CONVERTED
        locked.detail = _("Convertido en el ticket #%(number)s para %(client)s.") % {"number": ticket.number, "client": requester}
        locked.save()
    return ticket
