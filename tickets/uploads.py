"""Checks an uploaded file by its content (its first bytes), never by its name.

Portal uploads and e-mail attachments both go through validate_upload(), so the same
types and limits apply whichever way a file arrives.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Content types we accept, each with the signature its files start with and the
# extension we store it under.
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
TYPE_LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type the bytes really are, or None if not one we accept."""
    # A PDF may start with a little garbage before its header (PDF 32000-1, 7.5.2
    # tolerance used by readers); 1024 bytes is what Acrobat allows.
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    content_type: str
    size: int


def validate_upload(uploaded, *, allowed: tuple[str, ...] = (PDF, JPEG, PNG)) -> CheckedUpload:
    """Check one uploaded file's size and real type; raise ValidationError in Spanish."""
    name = uploaded.name or "archivo"
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("«%(name)s» pesa %(size)s; el máximo es %(max)s por archivo.")
            % {"name": name, "size": filesizeformat(uploaded.size), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("«%(name)s» está vacío.") % {"name": name}, code="empty")
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    content_type = sniff_content_type(head)
    if content_type not in allowed:
        kinds = ", ".join(TYPE_LABELS[t] for t in allowed)
        raise ValidationError(
            _("«%(name)s» no es un archivo %(kinds)s válido (revisamos su contenido, no solo su nombre).")
            % {"name": name, "kinds": kinds},
            code="bad_type",
        )
    return CheckedUpload(file=uploaded, name=name[:200], content_type=content_type, size=uploaded.size)


def validate_upload_count(files) -> None:
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        raise ValidationError(
            _("Puede adjuntar como máximo %(max)d archivos.") % {"max": settings.ATTACHMENT_MAX_FILES},
            code="too_many",
        )
