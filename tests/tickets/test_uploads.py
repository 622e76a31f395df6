"""Uploads are judged by their bytes, and stored and named by what they really are."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_ticket
from tests.files import PDF_BYTES, pdf, png
from tickets.uploads import validate_upload


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.html", b"<script>alert(1)</script><!-- %PDF-1.4 -->"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><!-- %PDF-1.7 --></svg>"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"%PDF-1.4 inside the DOS stub"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_that_merely_contains_a_pdf_marker_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, content))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("factura.exe", "factura.pdf"),
        ("póliza 2026.PDF", "póliza 2026.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\ana\\Escritorio\\carta.html", "carta.pdf"),
        ("\x00\x1b.pdf", "archivo.pdf"),
    ],
)
def test_the_name_ends_in_the_real_type_and_loses_folders(name, expected):
    assert validate_upload(upload(name, PDF_BYTES)).name == expected


def test_a_png_named_pdf_is_kept_as_a_png():
    checked = validate_upload(png("escaneo.pdf"))
    assert (checked.content_type, checked.name) == ("image/png", "escaneo.png")


def test_the_stored_file_and_the_download_carry_the_sniffed_extension(client, client_a):
    ticket = make_ticket(requester=client_a, attachments=[validate_upload(pdf("orden.exe"))])
    attachment = ticket.entries.get().attachments.get()
    assert attachment.file.name.endswith(".pdf")
    client.force_login(client_a)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="orden.pdf"'
    assert response["Content-Type"] == "application/pdf"
