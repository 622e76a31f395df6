"""Checks an uploaded file by its content (its first bytes), never by its name.

Portal uploads and e-mail attachments both go through validate_upload(), so the same
types and limits apply whichever way a file arrives.
"""

from dataclasses import dataclass
from pathlib import PurePath

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
    # Strictly at the start: readers tolerate junk before the header, but then an
    # HTML page or an .exe with "%PDF-" tucked in a comment would pass as a PDF.
    if head.startswith(b"%PDF-"):
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
    return CheckedUpload(file=uploaded, name=safe_name(name, content_type), content_type=content_type, size=uploaded.size)


def safe_name(name: str, content_type: str) -> str:
    """The client's file name, without folders or control characters, ending in the
    extension of what the file really is ("factura.exe" that is a PDF → "factura.pdf"),
    so a downloaded copy never opens as something else."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(char for char in base if char.isprintable()).strip()
    root, dot, _extension = base.rpartition(".")
    stem = (root if dot else base).strip(". ") or "archivo"
    return stem[:190] + EXTENSIONS[content_type]


def validate_upload_count(files) -> None:
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        raise ValidationError(
            _("Puede adjuntar como máximo %(max)d archivos.") % {"max": settings.ATTACHMENT_MAX_FILES},
            code="too_many",
        )
