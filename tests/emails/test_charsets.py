"""Issue 9, point 4: any charset, never a replacement character where the source had a
decodable one (raw 8-bit headers, mislabelled charsets, unknown labels)."""

import pytest
from django.urls import reverse

from emails import mime
from emails.inbound import ingest
from emails.models import InboundEmail
from tests.emails.conftest import load_eml

pytestmark = pytest.mark.django_db


def test_a_raw_latin1_subject_is_stored_exactly(committed, client_a, staff_seguros, client):
    inbound, _ = committed(ingest, load_eml("35_raw_latin1_subject.eml"), source="imap")

    assert inbound.subject == "Cotización de póliza"
    ticket = inbound.ticket
    assert ticket.subject == "Cotización de póliza"
    assert ticket.description == "Necesitamos la cotización de la póliza para 3 unidades más.\nAtte. Compras"
    client.force_login(staff_seguros)
    listing = client.get(reverse("admin:emails_inboundemail_changelist")).text
    assert "Cotización de póliza" in listing and "\ufffd" not in listing


def test_a_gb2312_label_on_gbk_text_is_read_as_gbk(committed, client_a, deliver):
    inbound, _ = committed(ingest, load_eml("36_gb2312_labelled_gbk_subject.eml"), source="imap")

    assert inbound.outcome == InboundEmail.Outcome.TICKET_CREATED
    assert inbound.subject == "报价请求：堃达物流车辆保险"  # 堃 is in GBK, not in GB2312
    assert inbound.ticket.description == "您好，我们需要堃达物流三辆卡车的保险报价。\n谢谢"
    created_mail = next(m for m in deliver() if m.to == ["ana@transportesdelnorte.mx"])
    assert "报价请求：堃达物流车辆保险" in created_mail.subject


def test_an_unknown_charset_label_falls_back_to_utf8(committed, colleague_a):
    inbound, _ = committed(ingest, load_eml("39_unknown_charset_label.eml"), source="imap")

    assert inbound.ticket.subject == "Trámite de verificación"
    assert inbound.ticket.description == "Necesitamos el trámite de verificación de la unidad 14 — ¿qué documentos llevan?"


@pytest.mark.parametrize(
    ("data", "declared", "text"),
    [
        ("“listo” — 1,200 €".encode("cp1252"), "iso-8859-1", "“listo” — 1,200 €"),  # Latin-1 that is windows-1252
        ("堃达".encode("gbk"), "gb2312", "堃达"),
        ("팔레트".encode("cp949"), "euc-kr", "팔레트"),
        ("póliza".encode(), "us-ascii", "póliza"),  # "ASCII" that is UTF-8
        ("póliza".encode(), "x-no-such-charset", "póliza"),
        ("póliza".encode("cp1252"), "utf-8", "póliza"),  # UTF-8 that is not
        ("póliza".encode("cp1252"), None, "póliza"),
        (b"\x81\x8d", "utf-8", "\x81\x8d"),  # no charset has these: Latin-1, never U+FFFD
    ],
)
def test_bytes_are_decoded_with_fallbacks(data, declared, text):
    assert mime.decode_bytes(data, declared) == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Cotizaci\udcf3n de p\udcf3liza", "Cotización de póliza"),  # raw Latin-1 bytes, as the parser keeps them
        ("Cotizaci\udcc3\udcb3n", "Cotización"),  # raw UTF-8 bytes
        ("=?gb2312?B?sai82w==?=", "报价"),
        # A multi-byte character split across two encoded words.
        ("=?utf-8?B?Q290aXphY2nD?= =?utf-8?B?s24=?=", "Cotización"),
        ("=?UTF-8?Q?Renovaci=C3=B3n?= de =?iso-8859-1?Q?p=F3liza?=", "Renovación de póliza"),
        ("=?utf-8*es?Q?S=C3=AD?=", "Sí"),  # RFC 2231 language tag
        ("Hola =?utf-8?B?no-base64!?= mundo", "Hola =?utf-8?B?no-base64!?= mundo"),
        ("=?bogus-label?Q?Tr=C3=A1mite?=", "Trámite"),
    ],
)
def test_headers_are_decoded_with_fallbacks(raw, text):
    assert mime.decode_header_value(raw) == text


def test_attachment_names_in_raw_latin1_or_rfc_2231_are_read():
    raw = (
        b'From: a@b.mx\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nhola\n"
        b'--b\nContent-Type: image/jpeg\nContent-Disposition: attachment; filename="p\xf3liza 2026.jpg"\n\n/9j/\n'
        b"--b\nContent-Type: image/jpeg\nContent-Disposition: attachment; filename*=gb2312''%B1%A8%BC%DB.jpg\n\n/9j/\n"
        b"--b--\n"
    )
    assert [name for name, _data in mime.read(raw).files] == ["póliza 2026.jpg", "报价.jpg"]
