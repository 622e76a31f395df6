"""Issue 9, points 2 and 3: every text part is kept in order, and forwarded content is
kept (whole text for a new ticket; below a reply's words on an existing one)."""

import pytest
from django.urls import reverse

from emails.inbound import ingest
from emails.models import InboundEmail
from tests.emails.conftest import load_eml
from tickets.models import Attachment, Channel, TimelineEntry

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
Kind = TimelineEntry.Kind


def test_apple_mail_text_image_text_keeps_both_texts_in_order_and_the_photo(
    receive, ticket_a, staff_seguros, deliver, client, client_a
):
    inbound, _ = receive("29_apple_text_image_text.eml")

    assert inbound.outcome == Outcome.ADDED
    entry = ticket_a.entries.filter(kind=Kind.CLIENT_MESSAGE).last()
    assert inbound.entry == entry
    assert entry.body == (
        "Buen día, así quedó el tablero después del golpe:\n\n"
        "La luz de advertencia se queda encendida. ¿La llevo al taller de la aseguradora?"
    )
    [photo] = entry.attachments.all()
    assert photo.original_name == "IMG_0412.jpg" and photo.content_type == "image/jpeg"
    # The team is told, with both texts.
    [team_mail] = [m for m in deliver() if m.to == ["patricia@jhl.mx"]]
    assert "tablero después del golpe" in team_mail.body and "taller de la aseguradora" in team_mail.body
    # The client sees both texts on the ticket's page.
    client.force_login(client_a)
    page = client.get(reverse("portal:ticket_detail", args=[ticket_a.number])).text
    assert page.index("tablero después del golpe") < page.index("taller de la aseguradora")


@pytest.mark.parametrize(
    ("name", "area", "subject", "kept"),
    [
        (
            "30_gmail_forward_new_request_es.eml",
            "seguros",
            "Fwd: Requerimiento de documentación siniestro 88213",
            [
                "Nos llegó esto de la aseguradora, ¿nos ayudan?",
                "---------- Mensaje reenviado ---------\nDe: Siniestros Qualitas <siniestros@qualitas.com.mx>",
                "necesitamos la factura original del\nvehículo",
                "> Reporto el robo de la unidad con placas XYZ-98-76.",
                "Atentamente,\nQualitas",
            ],
        ),
        (
            "31_gmail_forward_new_request_en.eml",
            "gestorias",
            "Fwd: Registration renewal notice - plate 12-AB-34",
            ["Please handle this one.", "From: Texas DMV <noreply@txdmv.gov>", "Renew online with PIN 4471."],
        ),
        (
            "32_outlook_forward_new_request_es.eml",
            "seguros",
            "RV: Aviso de cobro - poliza 5521",
            ["De: Cobranza GNP <cobranza@gnp.com.mx>\nEnviado: martes", "vence el 30 de noviembre por $18,450.00."],
        ),
        (
            "33_outlook_forward_new_request_en.eml",
            "seguros",
            "FW: Claim 7734 - adjuster visit",
            ["FYI, can you confirm the time?", "-----Original Message-----\nFrom: Claims Desk", "on Friday at 10:00."],
        ),
    ],
)
def test_a_forward_that_opens_a_ticket_keeps_the_forwarded_text(
    name, area, subject, kept, committed, client_a, colleague_a, deliver
):
    inbound, _ = committed(ingest, load_eml(name), source="imap")

    assert inbound.outcome == Outcome.TICKET_CREATED and inbound.rule == "new_request"
    ticket = inbound.ticket
    assert ticket.area.slug == area and ticket.channel == Channel.EMAIL
    assert ticket.subject == subject.split(": ", 1)[1]  # "Fwd:"/"RV:"/"FW:" dropped
    for text in kept:
        assert text in ticket.description
    [first] = ticket.entries.all()
    assert first.body == ticket.description and first.kind == Kind.CLIENT_MESSAGE
    created_mail = next(m for m in deliver() if m.to == [ticket.requester.email])
    assert f"[Ticket #{ticket.number}]" in created_mail.subject


def test_a_forward_below_a_replys_words_is_kept_and_our_history_is_not(receive, ticket_a):
    inbound, _ = receive("34_reply_with_forward_below.eml")

    assert inbound.outcome == Outcome.ADDED
    assert inbound.entry.body == (
        "Les reenvío lo que nos pidió la aseguradora.\n\n"
        "---------- Forwarded message ---------\n"
        "De: Siniestros Qualitas <siniestros@qualitas.com.mx>\n"
        "Date: mar, 24 nov 2026 a las 18:40\n"
        "Subject: Documentos pendientes\n"
        "To: <ana@transportesdelnorte.mx>\n\n"
        "Falta la copia de la licencia del conductor."
    )
    assert "¿Ya tiene la respuesta" in inbound.text  # the whole message stays for staff


def test_a_message_forwarded_as_an_attachment_keeps_its_text_and_files(committed, client_a):
    jpeg = load_eml("29_apple_text_image_text.eml").split(b"IMG_0412.jpeg\nContent-Transfer-Encoding: base64\n\n")[1]
    jpeg = jpeg.split(b"\n--")[0]
    raw = (
        b"From: Ana Garcia <ana@transportesdelnorte.mx>\nTo: seguros@jhl.mx\nSubject: RV: Placas\n"
        b"Message-ID: <fwd-attached@transportesdelnorte.mx>\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="o"\n\n'
        b"--o\nContent-Type: text/plain; charset=utf-8\n\nVer el correo adjunto.\n"
        b"--o\nContent-Type: message/rfc822\n\nFrom: Tr\xc3\xa1nsito <avisos@transito.gob.mx>\nSubject: Multa 4471\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="i"\n\n'
        b"--i\nContent-Type: text/plain; charset=utf-8\n\nSu unidad tiene una multa pendiente.\n"
        b'--i\nContent-Type: image/jpeg; name="boleta.jpg"\nContent-Disposition: attachment; filename="boleta.jpg"\n'
        b"Content-Transfer-Encoding: base64\n\n" + jpeg + b"\n--i--\n--o--\n"
    )
    inbound, _ = committed(ingest, raw, source="imap")

    assert inbound.ticket.description == (
        "Ver el correo adjunto.\n\n---------- Mensaje reenviado ----------\n"
        "De: Tránsito <avisos@transito.gob.mx>\nAsunto: Multa 4471\n\nSu unidad tiene una multa pendiente."
    )
    assert [a.original_name for a in Attachment.objects.filter(entry__ticket=inbound.ticket)] == ["boleta.jpg"]
