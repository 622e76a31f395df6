"""Small uploads for the portal tests: real signatures, so the content check passes."""

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "poliza.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def fake_pdf(name: str = "factura.pdf") -> SimpleUploadedFile:
    """Named and typed like a PDF, but it is not one."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is an executable", content_type="application/pdf")
