"""How our e-mail names a ticket, and how a reply is traced back to it.

Every e-mail about ticket 123 carries "[Ticket #123]" in its subject, its own
Message-ID (<ticket-123.<random>@jhl.mx>), References to the ticket's thread root
(<ticket-123@jhl.mx>) and a Reply-To address soporte+123.<signature>@jhl.mx whose
signature (an HMAC on SECRET_KEY) nobody outside can forge. The subject alone never
proves anything: anyone can type "[Ticket #123]".
"""

import re
import secrets
from email.headerregistry import Address

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SIGNATURE_SALT = "emails.reply-to"
_SIGNATURE_LENGTH = 16
_SUBJECT_TAG = re.compile(r"\[Ticket #(\d+)\]", re.IGNORECASE)


def _base() -> Address:
    return Address(addr_spec=settings.REPLY_TO_BASE_ADDRESS)


def mail_domain() -> str:
    return _base().domain.lower()


def _signature(ticket_number: int) -> str:
    # Lower-case hex: some mail servers lower-case the local part on the way back.
    return salted_hmac(_SIGNATURE_SALT, str(ticket_number), algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def reply_to_address(ticket_number: int) -> str:
    base = _base()
    return f"{base.username}+{ticket_number}.{_signature(ticket_number)}@{base.domain}"


class BadToken(Exception):
    """An address names a ticket but its signature is wrong (forged or mangled)."""


def ticket_number_from_address(address: str) -> int | None:
    """The ticket an address of ours names, None if it names none; BadToken if forged."""
    base = _base()
    local, _at, domain = address.strip().lower().rpartition("@")
    if domain != base.domain.lower():
        return None
    prefix = base.username.lower() + "+"
    if not local.startswith(prefix):
        return None
    number, _dot, signature = local[len(prefix) :].partition(".")
    if not number.isdigit():
        raise BadToken(address)
    if not constant_time_compare(signature, _signature(int(number))):
        raise BadToken(address)
    return int(number)


def thread_root_id(ticket_number: int) -> str:
    return f"<ticket-{ticket_number}@{mail_domain()}>"


def new_message_id(ticket_number: int | None = None) -> str:
    prefix = f"ticket-{ticket_number}." if ticket_number else "portal."
    return f"<{prefix}{secrets.token_hex(12)}@{mail_domain()}>"


def is_our_message_id(message_id: str) -> bool:
    return message_id.strip().lower().endswith(f"@{mail_domain()}>")


def tag_subject(subject: str, ticket_number: int) -> str:
    tag = f"[Ticket #{ticket_number}]"
    if tag.lower() in subject.lower():
        return subject
    return f"{tag} {subject}"


def strip_subject_tag(subject: str) -> str:
    """The subject without our tag and the Re:/RV:/Fwd: prefixes mail clients add."""
    subject = _SUBJECT_TAG.sub("", subject)
    subject = re.sub(r"^\s*((re|rv|fw|fwd|aw|sv)\s*:\s*)+", "", subject.strip(), flags=re.IGNORECASE)
    return " ".join(subject.split())


def ticket_headers(ticket_number: int) -> dict[str, str]:
    root = thread_root_id(ticket_number)
    return {"References": root, "In-Reply-To": root, "X-JHL-Ticket": str(ticket_number)}


MESSAGE_ID_PATTERN = re.compile(r"<[^<>\s]+>")


def message_ids_in(header_value: str | None) -> list[str]:
    return MESSAGE_ID_PATTERN.findall(header_value or "")
