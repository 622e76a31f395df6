"""Reading a raw e-mail: its headers, its text and its files. Pure: no database.

read() parses a message once into a Message that the rest of the ingester works on.
It never loses a client's words: every text part is kept in order (an Apple Mail
message of text / pasted photo / text keeps both texts), an attached message
(Outlook's "forward as attachment") keeps its text, and any charset is decoded with
fallbacks (declared -> its common superset -> UTF-8 -> windows-1252), in headers
(raw 8-bit ones included) as in bodies, so no U+FFFD replaces a decodable character.
"""

import base64
import binascii
import hashlib
import html as html_module
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from email import errors, policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import PurePosixPath

import nh3
import tnefparse

from .addressing import message_ids_in

logger = logging.getLogger(__name__)

# --- Charsets ---------------------------------------------------------------------------

# Labels mail clients declare but do not mean: the bytes are of a superset that decodes
# everything the label does, identically. Latin-1 labels usually hide Windows-1252
# (curly quotes, €), GB2312 hides GBK (镕, 堃), EUC-KR hides CP949, Shift_JIS CP932.
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "iso-8859-8-i": "iso-8859-8",
    "utf8": "utf-8",
}


def charsets_to_try(declared: str | None) -> list[str]:
    """The codecs to try, in order, for bytes labelled `declared` (None: no label)."""
    label = (declared or "").strip().strip("\"'").lower()
    candidates = [_SUPERSETS.get(label, label)] if label else []
    # windows-1252 decodes all but five bytes; Latin-1 decodes every byte, so nothing
    # ever ends as U+FFFD (a C1 control at worst, where the source had no character).
    return [*candidates, "utf-8", "cp1252", "latin-1"]


def decode_bytes(data: bytes, declared: str | None) -> str:
    for candidate in charsets_to_try(declared):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    raise AssertionError("latin-1 decodes any byte")  # pragma: no cover


# --- Headers ----------------------------------------------------------------------------

# RFC 2047 encoded words (=?charset*language?B|Q?text?=); whitespace between two of them
# is not part of the text.
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")


def _word_bytes(encoding: str, text: str) -> bytes | None:
    try:
        if encoding.lower() == "b":
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        return binascii.a2b_qp(text.replace("_", " ").encode("ascii", "surrogateescape"))
    except (binascii.Error, ValueError):
        return None


def decode_header_value(value: str) -> str:
    """A header's readable text: raw 8-bit bytes and encoded words decoded, unfolded.

    `value` is what the parser keeps of the header (8-bit bytes as surrogates).
    Adjacent encoded words in one charset are joined before decoding, since mailers
    split multi-byte characters across them.
    """
    data = value.encode("ascii", "surrogateescape")
    text = decode_bytes(data, None) if not data.isascii() else value
    text = _BETWEEN_WORDS.sub(r"\1\2", text)
    pieces: list[str] = []
    pending: tuple[str, bytearray] | None = None  # (charset, bytes) of adjacent words
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        charset = match.group(1).split("*")[0]
        decoded = _word_bytes(match.group(2), match.group(3))
        if decoded is None:
            continue  # not really an encoded word: left as it is
        if pending and (match.start() != position or pending[0].lower() != charset.lower()):
            pieces.append(decode_bytes(bytes(pending[1]), pending[0]))
            pending = None
        if match.start() != position:
            pieces.append(text[position : match.start()])
        if pending is None:
            pending = (charset, bytearray())
        pending[1].extend(decoded)
        position = match.end()
    if pending:
        pieces.append(decode_bytes(bytes(pending[1]), pending[0]))
    pieces.append(text[position:])
    return " ".join("".join(pieces).replace("\x00", "").split())


# --- Bodies -----------------------------------------------------------------------------

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


def part_text(part: EmailMessage) -> str:
    """The readable text of a text/plain or text/html part."""
    text = decode_bytes(part.get_payload(decode=True) or b"", part.get_param("charset"))
    return html_to_text(text) if part.get_content_type() == "text/html" else tidy(text)


# Defects of the message's structure (not of one header): the parts cannot be trusted.
STRUCTURAL_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.MissingHeaderBodySeparatorDefect,
    errors.FirstHeaderLineIsContinuationDefect,
    errors.MisplacedEnvelopeHeaderDefect,
)
_TEXT_TYPES = ("text/plain", "text/html")
_FORWARD_HEADERS = (("From", "De"), ("Date", "Fecha"), ("Subject", "Asunto"), ("To", "Para"))


def _filename(part: EmailMessage) -> str:
    name = part.get_filename() or ""
    if "\ufffd" in name:
        # A raw 8-bit name the email package could not decode: read it ourselves.
        for header_name in ("Content-Disposition", "Content-Type"):
            raw = _raw_header(part, header_name) or ""
            if match := re.search(r'(?:file)?name\s*=\s*"?([^";]+)', decode_header_value(raw), re.IGNORECASE):
                name = match.group(1)
                break
    return PurePosixPath(name.replace("\\", "/").replace("\x00", "")).name


def _raw_header(part: EmailMessage, name: str) -> str | None:
    return next((value for key, value in part.raw_items() if key.lower() == name.lower()), None)


def _alternative_rank(part: EmailMessage) -> int:
    """How good an alternative is to read from: plain text first, then HTML."""
    types = [p.get_content_type() for p in part.walk()] if part.is_multipart() else [part.get_content_type()]
    for rank, wanted in enumerate(_TEXT_TYPES):
        if wanted in types:
            return rank
    return len(_TEXT_TYPES)


@dataclass
class _Reading:
    texts: list[str] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    index: int = 0


def _tnef(data: bytes, reading: _Reading, with_text: bool) -> None:
    tnef = tnefparse.TNEF(data)
    body = tnef.body or b""
    text = tidy(body if isinstance(body, str) else decode_bytes(body, "cp1252"))
    if not text and tnef.htmlbody:
        markup = tnef.htmlbody
        text = html_to_text(markup if isinstance(markup, str) else decode_bytes(markup, "cp1252"))
    if with_text and text and not reading.texts:
        reading.texts.append(text)
    for attachment in tnef.attachments:
        name = attachment.long_filename() or attachment.name
        reading.files.append((name if isinstance(name, str) else decode_bytes(name, "cp1252"), attachment.data))


def _forwarded_block(attached: EmailMessage, text: str) -> str:
    """An attached message as the text a mail client shows for a forward."""
    lines = ["---------- Mensaje reenviado ----------"]
    for name, label in _FORWARD_HEADERS:
        if (raw := _raw_header(attached, name)) is not None:
            lines.append(f"{label}: {decode_header_value(raw)}")
    return "\n".join(lines) + ("\n\n" + text if text else "")


def _read_part(part: EmailMessage, reading: _Reading, with_text: bool = True) -> None:
    """Collect a part's texts (in order) and files; `with_text` False for an
    alternative not chosen (its images still count, its text repeats the chosen one)."""
    reading.index += 1
    content_type = part.get_content_type()
    if part.is_multipart():
        children = list(part.iter_parts())
        if content_type == "multipart/alternative" and children:
            chosen = min(children, key=_alternative_rank)
            for child in children:
                _read_part(child, reading, with_text and child is chosen)
        elif content_type == "message/rfc822" and children:
            attached = _Reading()
            _read_part(children[0], attached, with_text)
            reading.files.extend(attached.files)
            if with_text:
                reading.texts.append(_forwarded_block(children[0], "\n\n".join(attached.texts)))
        else:
            for child in children:
                _read_part(child, reading, with_text)
        return
    if content_type.startswith(("multipart/", "message/")):
        return  # an unsplit multipart (broken boundary) or a delivery report: no file
    filename = _filename(part)
    if content_type in _TEXT_TYPES and not filename and part.get_content_disposition() != "attachment":
        if with_text and (text := part_text(part)):
            reading.texts.append(text)
        return
    data = part.get_payload(decode=True) or b""
    if content_type == "application/ms-tnef" or filename.lower() == "winmail.dat":
        try:
            _tnef(data, reading, with_text)
            return
        except Exception:
            logger.warning("Unreadable winmail.dat kept as a file", exc_info=True)
    reading.files.append((filename or f"adjunto-{reading.index}", data))


# --- The message ------------------------------------------------------------------------


@dataclass
class Message:
    """One received message, read once: decoded headers, text in order, files."""

    raw: bytes
    parsed: EmailMessage | None = None
    raw_headers: dict[str, list[str]] = field(default_factory=dict)  # lower-case name -> raw values
    text: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    structural_defects: list[str] = field(default_factory=list)
    part_types: frozenset[str] = frozenset()

    def header(self, name: str) -> str:
        """The first value of a header, decoded ("" if absent)."""
        values = self.raw_headers.get(name.lower())
        return decode_header_value(values[0]) if values else ""

    def has_header(self, name: str) -> bool:
        return name.lower() in self.raw_headers

    def addresses(self, *names: str) -> list[str]:
        values = [decode_header_value(v) for name in names for v in self.raw_headers.get(name.lower(), [])]
        return [address.lower() for _name, address in getaddresses(values) if "@" in address]

    @property
    def sender(self) -> str:
        found = self.addresses("From")
        return found[0] if found else ""

    @property
    def subject(self) -> str:
        return self.header("Subject")

    @property
    def message_id(self) -> str:
        if found := message_ids_in(self.header("Message-ID")):
            return found[0][:255]
        # No (readable) Message-ID: one derived from the bytes still deduplicates.
        return f"<sha256-{hashlib.sha256(self.raw).hexdigest()}@sin-message-id>"

    @property
    def is_malformed(self) -> bool:
        """The parser found the structure broken and no readable text came out of it."""
        return bool(self.structural_defects) and not self.text


def body_digest(raw: bytes) -> str:
    """A fingerprint of a message's body (what follows its headers, which relays
    rewrite), to tell apart two messages that carry the same Message-ID."""
    body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[-1]
    return hashlib.sha256(b"\n".join(line.rstrip() for line in body.strip().splitlines())).hexdigest()


def read(raw: bytes) -> Message:
    """Parse a raw RFC 5322 message; a message the parser cannot read at all comes back
    with `parsed` None and no headers (it is kept raw for staff, never dropped)."""
    try:
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:
        logger.warning("Unparseable message kept raw", exc_info=True)
        return Message(raw=raw)
    raw_headers: dict[str, list[str]] = {}
    for name, value in parsed.raw_items():
        raw_headers.setdefault(name.lower(), []).append(value)
    reading = _Reading()
    _read_part(parsed, reading)
    parts = list(parsed.walk())
    return Message(
        raw=raw,
        parsed=parsed,
        raw_headers=raw_headers,
        text=tidy("\n\n".join(reading.texts)),
        files=reading.files,
        structural_defects=sorted({type(d).__name__ for p in parts for d in p.defects if isinstance(d, STRUCTURAL_DEFECTS)}),
        part_types=frozenset(p.get_content_type() for p in parts),
    )


_BOUNDARY_LINE = re.compile(rb"^--([0-9A-Za-z'()+_,./:=?-]{1,70}?)(?:--)?[ \t]*\r?$", re.MULTILINE)
_BOUNDARY_PARAM = re.compile(rb"""boundary\s*=\s*("[^"\r\n]*"|[^;\s]+)""", re.IGNORECASE)


def salvage(message: Message) -> Message:
    """The message re-read with the boundary its body really uses, when the declared
    one is never found (a mailer that rewrote one and not the other); else as it is."""
    if "StartBoundaryNotFoundDefect" not in message.structural_defects:
        return message
    pieces = re.split(rb"(\r?\n\r?\n)", message.raw, maxsplit=1)
    if len(pieces) != 3:
        return message
    head, separator, body = pieces
    found = Counter(_BOUNDARY_LINE.findall(body))
    if not found or not _BOUNDARY_PARAM.search(head):
        return message
    boundary = found.most_common(1)[0][0]
    head = _BOUNDARY_PARAM.sub(lambda _m: b'boundary="' + boundary + b'"', head, count=1)
    return read(head + separator + body)
