"""The new words of a reply: our quoted history and the signature taken off.

Applied only to replies on existing tickets: a new ticket keeps its whole text, since
what a client forwards to open a request (an insurer's or an authority's e-mail) is
the request. On a reply, a forwarded block the client adds below their words is kept
too: only history that quotes our own messages is cut.
"""

import re
from itertools import takewhile

from django.conf import settings

from .addressing import mail_domain
from .mime import tidy

# Where quoted history begins (Gmail, Outlook, Apple Mail, in Spanish and English).
_QUOTE_HEADER = re.compile(
    r"^[ \t>]*(El|On|Le|Am)\s[^\n]{0,200}?(\n[^\n]{0,200}?)?(escribió|wrote|a écrit|schrieb)\s*:\s*$",
    re.MULTILINE | re.IGNORECASE,
)
# Outlook's separators and header block: used both for replies and for forwards, so
# whether they start history or a forward depends on whose message follows them.
_OUTLOOK_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Mensaje original|Original Message)\s*-{2,}|_{10,})\s*$", re.MULTILINE | re.IGNORECASE
)
_OUTLOOK_HEADER_BLOCK = re.compile(
    r"^\s*\*?(De|From)\s*:\*?\s.*\n(.*\n){0,3}?\s*\*?(Enviado|Sent|Fecha|Date|Enviado el)\s*:", re.MULTILINE | re.IGNORECASE
)
_FORWARD_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Mensaje reenviado|Forwarded message)\s*-{2,}|(Begin forwarded message|Inicio del mensaje reenviado)\s*:)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(-- ?|—|Enviado desde mi (iPhone|iPad|teléfono|celular|móvil).*|Sent from my .*|Obtener Outlook para .*|Get Outlook for .*)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_HEADER_LINES = 8


def _quotes_us(text: str, start: int) -> bool:
    """The block starting at `start` quotes one of our messages: its header lines (up to
    the first blank line) name our mail domain or a ticket tag."""
    first, *following = text[start:].split("\n")[:_HEADER_LINES]
    block = "\n".join([first, *takewhile(str.strip, following)]).lower()
    domains = {mail_domain(), settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ").lower()}
    return "[ticket #" in block or any(f"@{domain}" in block for domain in domains if domain)


def _without_signature(words: str) -> str:
    if match := _SIGNATURE.search(words):
        words = words[: match.start()]
    return "\n".join(line for line in words.split("\n") if not line.lstrip().startswith(">"))


def strip_reply(text: str) -> str:
    """The new part of a reply: our quoted history and the signature removed.

    The full message is always kept (InboundEmail.raw and .text); if stripping would
    leave nothing, the whole text is returned instead.
    """
    forward = len(text)
    for match in _FORWARD_SEPARATOR.finditer(text):
        forward = min(forward, match.start())
        break
    history = len(text)
    for pattern in (_OUTLOOK_SEPARATOR, _OUTLOOK_HEADER_BLOCK):
        for match in pattern.finditer(text):
            if _quotes_us(text, match.start()):
                history = min(history, match.start())
                break
            forward = min(forward, match.start())  # someone else's message: forwarded
    for match in _QUOTE_HEADER.finditer(text):
        # Inside a forwarded block, "… escribió:" belongs to the forwarded thread.
        if match.start() < forward or _quotes_us(text, match.start()):
            history = min(history, match.start())
            break
    words = _without_signature(text[: min(forward, history)])
    forwarded = text[forward:history] if forward < history else ""
    return tidy(words + "\n\n" + forwarded) or tidy(text)
