"""Checks an uploaded file by its content, never by its name: its first bytes say what
type it claims to be, and tickets.upload_checks reads it as that type (a PDF must parse
and have a page, an image must decode; issue 8, point 9).

Portal uploads and e-mail attachments both go through validate_upload(), so the same
types and limits apply whichever way a file arrives.
"""

import html
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.multipartparser import MultiPartParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jhl_portal.text import describe_characters

from .upload_checks import MAX_IMAGE_PIXELS, Unreadable, check_structure

# Content types we accept, each with the signature its files start with and the
# extension we store it under.
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
TYPE_LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}

# Why tickets.upload_checks refused a file, by Unreadable.code; %(name)s is its name.
MESSAGES = {
    "markup": gettext_lazy(
        "«%(name)s» lleva código de página web (HTML) dentro; por seguridad no lo aceptamos. "
        "Guárdelo de nuevo como %(kind)s y vuelva a adjuntarlo."
    ),
    "pdf_no_end": gettext_lazy(
        "«%(name)s» no termina como un PDF: puede estar incompleto (cortado al descargarlo o copiarlo) "
        "o llevar otro archivo pegado al final."
    ),
    "pdf_damaged": gettext_lazy("«%(name)s» está dañado: no se pudo leer como PDF."),
    "pdf_no_pages": gettext_lazy("«%(name)s» es un PDF sin páginas."),
    "pdf_encrypted": gettext_lazy("«%(name)s» está protegido con contraseña: adjúntelo sin contraseña."),
    "pdf_too_complex": gettext_lazy(
        "No pudimos revisar «%(name)s» a tiempo: su estructura es demasiado compleja. "
        "Guárdelo de nuevo con «Imprimir como PDF» y vuelva a adjuntarlo."
    ),
    "image_damaged": gettext_lazy("La imagen «%(name)s» está dañada o incompleta: no se pudo leer como %(kind)s."),
    "image_too_large": gettext_lazy(
        "La imagen «%(name)s» tiene demasiados píxeles (el máximo es %(megapixels)d megapíxeles): redúzcala y vuelva a adjuntarla."
    ),
}


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
    """Check one uploaded file's name, size, real type and structure; raise
    ValidationError in Spanish."""
    name = uploaded.name or "archivo"
    hidden = hidden_characters(name)
    if hidden:
        raise ValidationError(
            _(
                "El nombre «%(name)s» lleva caracteres invisibles (%(chars)s) que cambian cómo se lee, "
                "por ejemplo para ocultar su extensión real. Cámbiele el nombre al archivo y vuelva a adjuntarlo."
            )
            % {"name": "".join(char for char in name if char not in hidden), "chars": describe_characters(hidden)},
            code="hidden_characters",
        )
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
    try:
        check_structure(uploaded, content_type)
    except Unreadable as unreadable:
        raise ValidationError(
            MESSAGES[unreadable.code]
            % {"name": name, "kind": TYPE_LABELS[content_type], "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
            code=unreadable.code,
        ) from None
    return CheckedUpload(file=uploaded, name=safe_name(name, content_type), content_type=content_type, size=uploaded.size)


def hidden_characters(name: str) -> list[str]:
    """The format characters (Unicode Cf: bidi overrides and isolates, the marks U+200E
    and U+200F, zero-width spaces and joiners, the BOM) in `name`. They show nothing
    themselves but change what is shown: "\u202efdp.exe" reads as "exe.pdf"."""
    return list(dict.fromkeys(char for char in name if unicodedata.category(char) == "Cf"))


class NameKeepingMultiPartParser(MultiPartParser):
    """Django's multipart parser, except that a name with format characters keeps them.

    Django drops every non-printable character from an upload's name, so "\u202efdp.exe"
    would reach validate_upload() as a harmless-looking "fdp.exe" and be accepted; with
    them kept, it is refused with a message saying why. Django's sanitising (folders,
    control characters) still applies. Set on every request by
    jhl_portal.middleware.UploadNamesMiddleware.
    """

    def sanitize_file_name(self, file_name):
        sanitized = super().sanitize_file_name(file_name)
        hidden = hidden_characters(html.unescape(file_name))
        if sanitized is None or not hidden:
            return sanitized
        # Never stored: validate_upload() refuses the name and names the characters.
        return "".join(hidden) + sanitized


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
