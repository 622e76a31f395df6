"""Uploads are judged by their bytes, and stored and named by what they really are."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from tests.factories import make_ticket
from tests.files import PDF_BYTES, pdf, pdf_from_objects, png, png_claiming, valid_jpeg, valid_pdf, valid_png
from tickets import upload_checks
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


# --- Structure (issue 8, point 9): a file must be what its first bytes say -------------

PDF_MESSAGE_START = {
    "pdf_no_end": "no termina como un PDF",
    "pdf_damaged": "está dañado: no se pudo leer como PDF",
    "pdf_no_pages": "es un PDF sin páginas",
    "markup": "lleva código de página web (HTML) dentro",
}


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(name, content))
    return refused.value


def with_markup(markup: bytes) -> bytes:
    """A valid PDF with `markup` in a comment line after its header, where a browser
    that sniffs the first bytes of a file would find it."""
    return PDF_BYTES.replace(b"\n", b"\n%" + markup + b"\n", 1)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(b"%PDF-1.7\n", "pdf_no_end", id="header-only"),
        pytest.param(PDF_BYTES[: len(PDF_BYTES) // 2], "pdf_no_end", id="truncated"),
        pytest.param(PDF_BYTES[:-1].replace(b"startxref", b"startxrfe"), "pdf_damaged", id="no-startxref"),
        pytest.param(b"%PDF-1.7\n" + b"\x00" * 2000 + b"\n%%EOF\n", "pdf_damaged", id="no-objects"),
        pytest.param(valid_pdf(pages=0), "pdf_no_pages", id="zero-pages"),
        pytest.param(with_markup(b"<html><body>hola</body></html>"), "markup", id="polyglot-html"),
        pytest.param(with_markup(b"<SCRIPT>alert(1)</SCRIPT>"), "markup", id="polyglot-script-upper-case"),
        pytest.param(with_markup(b"<iframe src=x>"), "markup", id="polyglot-iframe"),
        pytest.param(
            pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 5000 + b"] >>", b"<< /Kids [] >>"]),
            "pdf_damaged",
            id="nested-too-deep",
        ),
    ],
)
def test_a_pdf_that_does_not_parse_or_has_no_page_is_refused(content, code):
    refused = refusal("factura.pdf", content)
    assert refused.code == code
    assert refused.messages == [refused.messages[0]]
    assert refused.messages[0].startswith("«factura.pdf» " if code != "markup" else "«factura.pdf» lleva")
    assert PDF_MESSAGE_START[code] in refused.messages[0]


def test_a_pdf_whose_parse_takes_too_long_is_refused(monkeypatch):
    monkeypatch.setattr(upload_checks, "PDF_TIME_BUDGET_SECONDS", 0)
    monkeypatch.setattr(upload_checks, "_CLOCK_EVERY", 1)
    refused = refusal("factura.pdf", PDF_BYTES)
    assert refused.code == "pdf_too_complex"
    assert "No pudimos revisar «factura.pdf» a tiempo" in refused.messages[0]


def test_a_page_tree_that_leads_nowhere_is_not_walked_to_its_end():
    # Each node lists the next one 50 times, 40 levels deep: 50**40 paths, no page.
    nodes = [b"<< /Type /Pages /Kids [" + b" ".join([b"%d 0 R" % (n + 3)] * 50) + b"] /Count 1 >>" for n in range(40)]
    content = pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", *nodes, b"<< /Type /Pages /Kids [] /Count 0 >>"])
    assert refusal("factura.pdf", content).code == "pdf_no_pages"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(PDF_BYTES, id="pypdf"),
        pytest.param(valid_pdf(pages=3), id="three-pages"),
        pytest.param(PDF_BYTES + b"\r\n\x00\x00 \n", id="a-few-bytes-after-eof"),
        pytest.param(
            pdf_from_objects(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                    b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (<b>negritas</b>) Tj ET\nendstream",
                ]
            ),
            id="hand-made-with-a-short-tag-in-its-text",
        ),
    ],
)
def test_a_sound_pdf_is_accepted(content):
    checked = validate_upload(upload("poliza.pdf", content))
    assert (checked.content_type, checked.name) == ("application/pdf", "poliza.pdf")
    assert checked.file.tell() == 0  # read from the start by whoever stores it


def encrypted_pdf(*, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(PDF_BYTES))
    writer.encrypt(user_password=user_password, owner_password="dueño", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_needs_a_password_to_open_is_refused():
    refused = refusal("estado de cuenta.pdf", encrypted_pdf(user_password="secreta"))
    assert refused.code == "pdf_encrypted"
    assert refused.messages == ["«estado de cuenta.pdf» está protegido con contraseña: adjúntelo sin contraseña."]


def test_a_pdf_that_opens_without_a_password_is_accepted_though_encrypted():
    # Only an owner password (no printing, no copying): anyone can open it, staff too.
    assert validate_upload(upload("estado de cuenta.pdf", encrypted_pdf(user_password=""))).content_type == "application/pdf"


def test_a_pdf_with_wrong_offsets_is_repaired_not_refused():
    broken = PDF_BYTES[: PDF_BYTES.rindex(b"startxref")] + b"startxref\n12\n%%EOF\n"
    assert validate_upload(upload("poliza.pdf", broken)).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        pytest.param("foto.png", b"\x89PNG\r\n\x1a\n", "image_damaged", id="png-signature-only"),
        pytest.param("foto.png", valid_png()[:-20], "image_damaged", id="png-truncated"),
        pytest.param("foto.png", valid_png().replace(b"IDAT", b"IDAX"), "image_damaged", id="png-bad-chunk"),
        pytest.param("foto.jpg", b"\xff\xd8\xff", "image_damaged", id="jpeg-signature-only"),
        pytest.param("foto.jpg", valid_jpeg((64, 64))[:300], "image_damaged", id="jpeg-truncated"),
        pytest.param("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 500, "image_damaged", id="jpeg-corrupt"),
        pytest.param("bomba.png", png_claiming(30_000, 30_000), "image_too_large", id="png-bomb-900-megapixels"),
        pytest.param(
            "bomba.png",
            png_claiming(9_000, 9_000),
            "image_too_large",
            id="png-81-megapixels",  # Pillow only warns below twice its bound; we refuse
            marks=pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
        ),
        pytest.param("foto.png", valid_png() + b"<script>alert(1)</script>", "markup", id="png-with-a-script"),
    ],
)
def test_an_image_that_does_not_decode_is_refused(name, content, code):
    refused = refusal(name, content)
    assert refused.code == code
    if code == "image_too_large":
        assert f"La imagen «{name}» tiene demasiados píxeles (el máximo es 64 megapíxeles)" in refused.messages[0]
    elif code == "image_damaged":
        assert f"La imagen «{name}» está dañada o incompleta" in refused.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("foto.jpg", valid_jpeg((640, 480)), "image/jpeg"),
        ("foto.png", valid_png((640, 480)), "image/png"),
        ("pixel.png", valid_png((1, 1)), "image/png"),
    ],
)
def test_a_sound_image_is_accepted(name, content, content_type):
    assert validate_upload(upload(name, content)).content_type == content_type


# --- Names that hide their extension -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown", "named"),
    [
        ("\u202efdp.exe", "«fdp.exe»", "U+202E"),  # reads as "exe.pdf"
        ("factura\u202ageneral.pdf", "«facturageneral.pdf»", "U+202A"),
        ("poliza\u2066fdp.exe\u2069.pdf", "«polizafdp.exe.pdf»", "U+2066, U+2069"),
        ("poliza\u200e.pdf", "«poliza.pdf»", "U+200E"),
        ("poliza\u200f.pdf", "«poliza.pdf»", "U+200F"),
        ("poli\u200bza.pdf", "«poliza.pdf»", "U+200B"),
        ("\ufeffpoliza.pdf", "«poliza.pdf»", "U+FEFF"),
    ],
)
def test_a_name_with_hidden_direction_or_zero_width_characters_is_refused(name, shown, named):
    refused = refusal(name, PDF_BYTES)
    assert refused.code == "hidden_characters"
    message = refused.messages[0]
    assert message.startswith(f"El nombre {shown} lleva caracteres invisibles ({named})")
    assert not any(char in message for char in name if not char.isprintable())  # shown, it would turn the text
