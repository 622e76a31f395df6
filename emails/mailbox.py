"""Reading the support mailbox over IMAP (TLS) and feeding each message to ingest().

Safe to run every minute from cron, and safe when two runs overlap: a message is
fetched with BODY.PEEK (it stays unread until processed), ingest() deduplicates by
Message-ID under a unique constraint, and moving a message another run already moved
simply does nothing. A message is moved only after its ingestion committed, so a crash
leaves it in the inbox for the next run, never lost.
"""

import imaplib
import logging
import ssl
from collections import Counter

from django.conf import settings

from .inbound import ingest
from .models import InboundEmail

logger = logging.getLogger(__name__)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect() -> imaplib.IMAP4_SSL:
    context = ssl.create_default_context(cafile=settings.IMAP_CA_FILE or None)
    imap = imaplib.IMAP4_SSL(settings.IMAP_HOST, settings.IMAP_PORT, ssl_context=context, timeout=60)
    imap.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    # Servers announce more (MOVE, UIDPLUS) once logged in; imaplib keeps the first list.
    typ, data = imap.capability()
    if typ == "OK" and data and data[-1]:
        imap.capabilities = tuple(data[-1].decode().upper().split())
    return imap


def _ensure_folder(imap: imaplib.IMAP4, folder: str) -> None:
    typ, _data = imap.create(_quote(folder))
    if typ != "OK":  # usually "already exists"; anything worse shows up when moving
        logger.debug("CREATE %s: %s", folder, _data)


def _move(imap: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    if "MOVE" in imap.capabilities:
        imap.uid("MOVE", uid, _quote(folder))
    else:
        # RFC 3501 fallback; a UID already gone (moved by another run) copies nothing.
        typ, _data = imap.uid("COPY", uid, _quote(folder))
        if typ == "OK":
            imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
            if "UIDPLUS" in imap.capabilities:
                imap.uid("EXPUNGE", uid)
            else:
                imap.expunge()


def _fetch(imap: imaplib.IMAP4, uid: bytes) -> bytes | None:
    typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None  # gone meanwhile (another run moved it)


def fetch_mail(*, limit: int | None = None) -> Counter:
    """Process the messages waiting in IMAP_FOLDER; return counts by what happened."""
    counts = Counter()
    imap = connect()
    try:
        for folder in (settings.IMAP_PROCESSED_FOLDER, settings.IMAP_FAILED_FOLDER):
            _ensure_folder(imap, folder)
        typ, _data = imap.select(_quote(settings.IMAP_FOLDER))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"Cannot open folder {settings.IMAP_FOLDER!r}")
        typ, data = imap.uid("SEARCH", None, "UNDELETED")
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        for uid in uids[:limit]:
            raw = _fetch(imap, uid)
            if raw is None:
                counts["gone"] += 1
                continue
            try:
                inbound, created = ingest(raw, source="imap")
            except Exception:
                # The database failed, not the message: leave it for the next run.
                logger.exception("Could not store IMAP message UID %s; it stays in the inbox", uid)
                counts["error"] += 1
                continue
            failed = inbound.outcome == InboundEmail.Outcome.FAILED
            _move(imap, uid, settings.IMAP_FAILED_FOLDER if failed else settings.IMAP_PROCESSED_FOLDER)
            counts["failed" if failed else ("new" if created else "duplicate")] += 1
    finally:
        try:
            imap.logout()
        except Exception:
            pass
    return counts
