"""Real files for tests, made on the spot: uploads are checked by their structure
(tickets.upload_checks), so a PDF must parse and have a page and an image must decode."""

import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def valid_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(kind: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def valid_jpeg(size: tuple[int, int] = (8, 8)) -> bytes:
    return _image("JPEG", size)


def valid_png(size: tuple[int, int] = (8, 8)) -> bytes:
    return _image("PNG", size)


PDF_BYTES = valid_pdf()
PNG_BYTES = valid_png()
JPEG_BYTES = valid_jpeg()


def pdf(name: str = "poliza.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def fake_pdf(name: str = "factura.pdf") -> SimpleUploadedFile:
    """Named and typed like a PDF, but it is not one."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is an executable", content_type="application/pdf")


def refused_uploads() -> dict[str, SimpleUploadedFile]:
    """Files that start right but are refused by their structure or name (issue 8.9),
    each with the words of its message."""
    return {
        "no termina como un PDF": SimpleUploadedFile("parte.pdf", PDF_BYTES[:-60], content_type="application/pdf"),
        "lleva código de página web (HTML) dentro": SimpleUploadedFile(
            "parte.pdf", PDF_BYTES.replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1), content_type="application/pdf"
        ),
        "es un PDF sin páginas": SimpleUploadedFile("parte.pdf", valid_pdf(pages=0), content_type="application/pdf"),
        "lleva caracteres invisibles (U+202E)": SimpleUploadedFile("\u202efdp.exe", PDF_BYTES, content_type="application/pdf"),
    }


def stored_files(root) -> list[str]:
    """Every file under `root` (settings.MEDIA_ROOT: attachments and held uploads)."""
    return sorted(str(path) for path in Path(root).rglob("*") if path.is_file())


def write_large_pdf(out, size: int, block: int = 1024 * 1024) -> None:
    """Write to `out` a valid one-page PDF of exactly `size` bytes, in blocks of at most
    `block` bytes: the bulk is the page's content stream (spaces, which draw nothing)."""
    start = out.tell()

    def objects(length: int) -> list[bytes]:
        return [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % length,
        ]

    def tail(offsets: list[int], xref_at: int) -> bytes:
        entries = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        return (
            b"\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n" + entries + b"trailer\n<< /Size 5 /Root 1 0 R >>\n"
            b"startxref\n%d\n%%%%EOF\n" % xref_at
        )

    header = b"%PDF-1.7\n"
    # The stream's length decides the offsets, and their digits are fixed (10): the
    # size without the stream is the same for any length of the same number of digits.
    probe = _layout(header, objects(size))
    overhead = len(probe[0]) + len(tail(probe[1], size))
    length = size - overhead
    head, offsets = _layout(header, objects(length))
    out.write(head)
    written = 0
    while written < length:
        chunk = min(block, length - written)
        out.write(b" " * chunk)
        written += chunk
    out.write(tail(offsets, len(head) + length + len(b"\nendstream\nendobj\n")))
    assert out.tell() - start == size, out.tell() - start


def _layout(header: bytes, objects: list[bytes]) -> tuple[bytes, list[int]]:
    """The bytes up to the start of the last object's stream data, and each object's offset."""
    parts, offsets, position = [header], [], len(header)
    for number, body in enumerate(objects, start=1):
        offsets.append(position)
        text = b"%d 0 obj\n" % number + body + (b"" if body.endswith(b"stream\n") else b"\nendobj\n")
        parts.append(text)
        position += len(text)
    return b"".join(parts), offsets


def pdf_from_objects(objects: list[bytes], *, xref: bool = True, header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF whose objects 1, 2, … are `objects` (object 1 the catalog), with a
    cross-reference table unless `xref` is False (then readers must rebuild it)."""
    body, offsets = _layout(header, [*objects])
    if not xref:
        return body + b"trailer\n<< /Size %d /Root 1 0 R >>\n%%%%EOF\n" % (len(objects) + 1)
    entries = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return (
        body
        + b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        + entries
        + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(body))
    )


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header claims `width` × `height` pixels (a
    decompression bomb's header: decoding it would allocate them all)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
