"""The ingester, rule by rule, on the corpus of real-looking messages in eml/."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from emails import inbound as inbound_module
from emails import mime
from emails.authentication import authentication_problem
from emails.inbound import ingest
from emails.models import InboundEmail, OutboundEmail
from tests.emails.conftest import EML_DIR, load_eml, reply_values
from tickets.models import Attachment, Channel, Ticket, TimelineEntry
from workflows.models import Stage

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
Kind = TimelineEntry.Kind


def client_messages(ticket):
    return ticket.entries.filter(kind=Kind.CLIENT_MESSAGE).order_by("pk")


def test_the_corpus_has_every_kind_of_message_the_issue_lists():
    assert len(list(EML_DIR.glob("*.eml"))) >= 20


# --- Replies that name a ticket ---------------------------------------------------------


def test_a_gmail_reply_is_added_without_quoted_history_or_signature(receive, ticket_a, staff_seguros, deliver):
    before = Ticket.objects.get(pk=ticket_a.pk).last_activity_at
    inbound, created = receive("01_gmail_reply_es.eml")

    assert created and inbound.outcome == Outcome.ADDED
    entry = client_messages(ticket_a).last()
    assert inbound.entry == entry and inbound.ticket == ticket_a
    assert entry.channel == Channel.EMAIL and entry.author == ticket_a.requester
    assert entry.body == (
        "Hola Patricia,\n\nLes confirmo que las 12 unidades siguen con la misma cobertura amplia. La\n"
        "póliza vence el 30 de noviembre.\n\nSaludos,"
    )
    # The full original is kept for staff.
    assert b"escribi=C3=B3" in bytes(inbound.raw)
    assert "Recibimos tu requerimiento y abrimos un ticket" in inbound.text
    assert Ticket.objects.get(pk=ticket_a.pk).last_activity_at > before
    # The team hears about it.
    assert [m.to for m in deliver() if "Nuevo mensaje del cliente" in m.subject] == [["patricia@jhl.mx"]]


def test_an_outlook_reply_from_a_colleague_is_added(receive, ticket_a, colleague_a):
    inbound, _ = receive("02_outlook_reply_es.eml")

    assert inbound.outcome == Outcome.ADDED
    entry = client_messages(ticket_a).last()
    assert entry.author == colleague_a
    assert entry.body.startswith("Buenas tardes,\n\nAutorizamos la cotización de Qualitas. ¿Necesitan la orden")
    assert "De: JHLeasing Soporte" not in entry.body
    assert "Enviado:" not in entry.body


def test_a_reply_found_only_by_its_references_is_added(receive, ticket_a):
    inbound, _ = receive("03_apple_reply_by_references.eml")

    assert inbound.outcome == Outcome.ADDED
    assert client_messages(ticket_a).last().body == "Perfecto, quedo atenta a la cotización."


def test_html_only_mail_becomes_safe_text(receive, ticket_a):
    receive("04_html_only_reply.eml")

    body = client_messages(ticket_a).last().body
    assert "Les envío los datos de la unidad: Nissan NP300 & placas ABC-123-D." in body
    assert "- Serie 3N6AD33A5LK123456" in body
    # Web links keep their address; a javascript: link keeps only its words.
    assert "El expediente está en esta carpeta (https://drive.google.com/drive/folders/1AbC?usp=sharing&id=7)" in body
    assert "y en https://jhl.mx." in body
    for markup in ("<p>", "<b>", "onload", "alert(", "<img", "javascript:", "p { color"):
        assert markup not in body
    # Text that merely looks like a tag stays text (the portal escapes it on display).
    assert "<script>no es código</script>" in body


def test_latin1_labelled_mail_with_windows_1252_characters_is_read_right(receive, ticket_a):
    receive("05_latin1_reply.eml")
    assert (
        client_messages(ticket_a)
        .last()
        .body.startswith("Buenos días:\n\nAprobamos la “cotización” por 1,200 € más IVA; la señora Muñoz firmará el pedido.")
    )


def test_windows_1252_quoted_printable_and_its_original_message_block(receive, ticket_a, colleague_a):
    inbound, _ = receive("06_windows1252_quoted_printable.eml")

    assert inbound.subject == f"Re: [Ticket #{ticket_a.number}] Trámite de tenencia"
    assert client_messages(ticket_a).last().body == "Les comparto que el trámite quedó “listo” — falta el pago de la tenencia."


def test_pdf_and_image_attachments_are_stored_like_portal_uploads(receive, ticket_a, colleague_a):
    receive("10_reply_with_pdf.eml")
    receive("11_reply_with_photos.eml")

    files = {a.original_name: a for a in Attachment.objects.filter(entry__ticket=ticket_a)}
    assert {"poliza-2025.pdf", "IMG_2041.jpg", "croquis.png"} <= set(files)
    assert files["poliza-2025.pdf"].content_type == "application/pdf"  # by content, not the declared octet-stream
    assert files["IMG_2041.jpg"].content_type == "image/jpeg"
    assert files["croquis.png"].file.read().startswith(b"\x89PNG")


def test_inline_images_are_kept_as_attachments(receive, ticket_a):
    receive("12_reply_with_inline_image.eml")

    entry = client_messages(ticket_a).last()
    assert entry.body == "Este es el error que me aparece:"
    assert [a.original_name for a in entry.attachments.all()] == ["captura.png"]


def test_refused_attachments_are_noted_on_the_ticket(settings, receive, ticket_a):
    settings.ATTACHMENT_MAX_BYTES = 4096
    inbound, _ = receive("13_reply_with_oversized_attachment.eml")

    assert inbound.outcome == Outcome.ADDED
    entry = client_messages(ticket_a).last()
    assert [a.original_name for a in entry.attachments.all()] == ["ine.pdf"]
    note = ticket_a.entries.filter(kind=Kind.SYSTEM).get()
    assert "«expediente-escaneado.pdf» pesa" in note.body
    assert "el máximo es 4.0\xa0KB" in note.body
    assert "«factura.pdf» no es un archivo PDF, JPG, PNG válido" in note.body


def test_an_attachment_refused_by_its_structure_is_dropped_and_noted(committed, our_message, ticket_a):
    # 10_reply_with_pdf.eml with its PDF cut in half, as a failed upload would leave it.
    raw = load_eml("10_reply_with_pdf.eml", message_id=our_message.message_id, **reply_values(ticket_a))
    head, rest = raw.split(b"base64\r\n\r\n", 1)
    encoded, tail = rest.split(b"\r\n--b1_pdf--", 1)
    pdf = base64.b64decode(encoded)
    cut = base64.b64encode(pdf[: len(pdf) // 2])
    inbound, _ = committed(ingest, head + b"base64\r\n\r\n" + cut + b"\r\n--b1_pdf--" + tail, source="imap")

    assert inbound.outcome == Outcome.ADDED
    entry = client_messages(ticket_a).last()
    assert entry.body == "Adjunto la póliza anterior firmada."
    assert not entry.attachments.exists()
    note = ticket_a.entries.filter(kind=Kind.SYSTEM).get()
    assert "No se guardaron estos archivos adjuntos del correo:" in note.body
    assert "«poliza-2025.pdf» no termina como un PDF" in note.body


def test_a_winmail_dat_is_unpacked(receive, ticket_a, colleague_a):
    inbound, _ = receive("14_outlook_winmail_dat.eml")

    assert inbound.outcome == Outcome.ADDED
    entry = client_messages(ticket_a).last()
    assert entry.body.startswith("Adjunto la tarjeta de circulación y el comprobante de pago.")
    assert sorted(a.original_name for a in entry.attachments.all()) == ["comprobante.pdf", "tarjeta-circulacion.pdf"]


# --- Who may write ---------------------------------------------------------------------


def test_a_forged_token_is_not_enough(receive, ticket_a, deliver):
    inbound, _ = receive("19_spoofed_token.eml")

    assert inbound.outcome == Outcome.REVIEW
    assert "firma no válida" in inbound.detail
    assert client_messages(ticket_a).count() == 1  # only the ticket's first message
    assert not [m for m in deliver() if m.to != ["ana@transportesdelnorte.mx"]]


def test_a_subject_tag_alone_does_not_post_into_that_ticket(receive, ticket_a, client_b):
    inbound, _ = receive("20_subject_tag_only_from_other_company.eml")

    assert client_messages(ticket_a).count() == 1
    # María is a registered client writing afresh: her mail opens her own ticket.
    assert inbound.outcome == Outcome.TICKET_CREATED
    assert inbound.ticket.requester == client_b
    assert inbound.ticket.subject == "Renovación de póliza de flotilla"


def test_a_valid_token_from_another_company_is_held_for_staff(receive, ticket_a, client_b, deliver):
    inbound, _ = receive("23_outsider_with_valid_token.eml")

    assert inbound.outcome == Outcome.REVIEW
    assert inbound.ticket == ticket_a
    assert client_messages(ticket_a).count() == 1
    assert not any("maria@constructorasol.mx" in m.to for m in deliver())


# --- Closed tickets ----------------------------------------------------------------------


def test_a_reply_to_a_closed_ticket_gets_one_automatic_answer(receive, ticket_a, staff_seguros, deliver, mailoutbox):
    ticket_a.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
    deliver()
    mailoutbox.clear()

    inbound, _ = receive("21_reply_to_closed_ticket.eml")
    assert inbound.outcome == Outcome.CLOSED_TICKET
    assert client_messages(ticket_a).count() == 1
    [answer] = deliver()
    assert answer.to == ["ana@transportesdelnorte.mx"]
    assert f"el ticket #{ticket_a.number} está cerrado" in answer.body
    assert answer.message()["Auto-Submitted"] == "auto-replied"

    # She writes again (another message): no second answer, so two robots never loop.
    raw = load_eml("21_reply_to_closed_ticket.eml", **reply_values(ticket_a), message_id="<x@y>").replace(
        b"CAJx8QmCLOSED0001", b"CAJx8QmCLOSED0002"
    )
    again, created = ingest(raw, source="imap")
    assert created and again.outcome == Outcome.CLOSED_TICKET
    assert OutboundEmail.objects.filter(template="ticket_closed_reply").count() == 1


def test_the_closed_ticket_answer_leaves_through_the_ticket_events(receive, ticket_a, staff_seguros, committed):
    from tickets import events

    ticket_a.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
    heard = []

    def listener(*, ticket, to, **kwargs):
        heard.append((ticket.pk, to))

    events.closed_ticket_written.connect(listener)
    try:
        with events.muted():  # what demo data and imports do: nobody is e-mailed
            inbound, _ = receive("21_reply_to_closed_ticket.eml")
        assert inbound.outcome == Outcome.CLOSED_TICKET and inbound.rule == "closed_ticket"
        assert heard == [] and not OutboundEmail.objects.filter(template="ticket_closed_reply").exists()

        raw = load_eml("21_reply_to_closed_ticket.eml", **reply_values(ticket_a), message_id="<x@y>")
        committed(ingest, raw.replace(b"CAJx8QmCLOSED0001", b"CAJx8QmCLOSED0002"), source="imap")
    finally:
        events.closed_ticket_written.disconnect(listener)
    assert heard == [(ticket_a.pk, "ana@transportesdelnorte.mx")]
    assert OutboundEmail.objects.filter(template="ticket_closed_reply").count() == 1


# --- New e-mail ---------------------------------------------------------------------------


def test_a_new_email_from_a_client_opens_a_ticket_in_the_area_it_was_sent_to(committed, client_a, deliver):
    inbound, _ = committed(ingest, load_eml("07_new_request_encoded_subject.eml"), source="imap")

    assert inbound.outcome == Outcome.TICKET_CREATED
    ticket = inbound.ticket
    assert ticket.area.slug == "seguros"
    assert ticket.channel == Channel.EMAIL
    assert ticket.requester == client_a
    assert ticket.subject == "Cotización de póliza para camión nuevo"
    assert ticket.description.startswith("Hola,\n\nCompramos un camión Isuzu ELF 600 2025")
    created_mail = next(m for m in deliver() if m.to == ["ana@transportesdelnorte.mx"])
    assert created_mail.subject == f"[Ticket #{ticket.number}] Recibimos su requerimiento: Cotización de póliza para camión nuevo"


def test_a_new_email_keeps_its_attachment_and_a_colleagues_reply_all_joins_it(committed, client_a, colleague_a):
    inbound, _ = committed(ingest, load_eml("08_new_request_with_pdf.eml"), source="imap")

    ticket = inbound.ticket
    assert ticket.area.slug == "gestorias"
    assert [a.original_name for a in Attachment.objects.filter(entry__ticket=ticket)] == ["Factura camión 14.pdf"]

    reply, _ = committed(ingest, load_eml("24_colleague_reply_all_to_new_request.eml"), source="imap")
    assert reply.outcome == Outcome.ADDED and reply.ticket == ticket
    assert client_messages(ticket).last().body == "Agrego que la unidad es la de placas provisionales 12-AB-34."
    assert Ticket.objects.filter(requester__in=[client_a, colleague_a]).count() == 1


def test_a_new_email_to_no_areas_address_goes_to_the_triage_area(settings, committed, client_a):
    settings.TRIAGE_AREA_SLUG = "tecnologia-it"
    inbound, _ = committed(ingest, load_eml("09_new_request_to_unknown_address.eml"), source="imap")

    assert inbound.ticket.area.slug == "tecnologia-it"
    assert inbound.ticket.subject == "No puedo entrar: contraseña inválida"


def test_a_stranger_never_creates_a_ticket_and_gets_no_answer(committed, deliver, client_a):
    inbound, _ = committed(ingest, load_eml("22_stranger.eml"), source="imap")

    assert inbound.outcome == Outcome.UNKNOWN_SENDER
    assert inbound.from_address == "ventas@proveedor-desconocido.com"
    assert Ticket.objects.count() == 0
    assert deliver() == []


# --- Automatic mail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "15_out_of_office_outlook.eml",
        "16_vacation_x_autoreply.eml",
        "17_bounce_mailer_daemon.eml",
        "18_our_own_message_looping_back.eml",
    ],
)
def test_automatic_mail_touches_nothing_and_is_never_answered(name, receive, ticket_a, deliver, mailoutbox):
    deliver()
    mailoutbox.clear()
    entries_before = ticket_a.entries.count()

    inbound, _ = receive(name)

    assert inbound.outcome == Outcome.AUTOMATIC
    assert ticket_a.entries.count() == entries_before
    assert Ticket.objects.count() == 1
    assert deliver() == []


# --- Never twice, never dropped -------------------------------------------------------------


def test_the_same_message_id_is_ingested_once(receive, ticket_a):
    first, created = receive("01_gmail_reply_es.eml")
    # The same message again, e.g. fetched by a second run or retried by a webhook.
    again, created_again = receive("01_gmail_reply_es.eml", source="webhook:mailgun")

    assert created and not created_again
    assert again.pk == first.pk
    assert InboundEmail.objects.count() == 1
    assert client_messages(ticket_a).count() == 2


def test_a_message_that_cannot_be_processed_is_kept_raw(monkeypatch, committed, client_a):
    def explode(inbound, message, decision):
        raise ValueError("unexpected structure")

    monkeypatch.setattr(inbound_module, "apply_decision", explode)
    raw = load_eml("07_new_request_encoded_subject.eml")
    inbound, created = committed(ingest, raw, source="imap")

    assert created and inbound.outcome == Outcome.FAILED
    assert "unexpected structure" in inbound.detail
    assert bytes(InboundEmail.objects.get().raw) == raw
    assert Ticket.objects.count() == 0


def test_garbage_without_headers_is_kept_too(committed):
    raw = b"\x00\x01 esto no es un correo \xff\xfe"
    inbound, created = committed(ingest, raw, source="imap")

    assert created
    assert inbound.message_id.startswith("<sha256-")
    assert bytes(inbound.raw) == raw
    again, created_again = committed(ingest, raw, source="imap")
    assert not created_again and again.pk == inbound.pk


# --- Staff turn held mail into a ticket ------------------------------------------------------


def test_staff_can_turn_a_strangers_mail_into_a_ticket_for_a_client(committed, client_a, deliver):
    inbound, _ = committed(ingest, load_eml("22_stranger.eml"), source="imap")
    from workflows.models import Area

    ticket = committed(inbound_module.convert_to_ticket, inbound, requester=client_a, area=Area.objects.get(slug="seguros"))

    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.CONVERTED and inbound.ticket == ticket
    assert ticket.requester == client_a and ticket.channel == Channel.EMAIL
    assert ticket.subject == "Oferta exclusiva de llantas para su flotilla"
    assert any(m.to == ["ana@transportesdelnorte.mx"] for m in deliver())
    with pytest.raises(Exception, match="ya no se puede convertir"):
        inbound_module.convert_to_ticket(inbound, requester=client_a, area=ticket.area)


def test_old_closed_ticket_answers_do_not_block_a_new_one(receive, ticket_a, staff_seguros):
    ticket_a.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
    OutboundEmail.objects.create(
        template="ticket_closed_reply",
        ticket=ticket_a,
        to=["ana@transportesdelnorte.mx"],
        message_id="<old@jhl.mx>",
        subject="x",
        text="x",
        created_at=timezone.now() - timedelta(days=2),
    )
    receive("21_reply_to_closed_ticket.eml")
    assert OutboundEmail.objects.filter(template="ticket_closed_reply").count() == 2


# --- Forged senders (Authentication-Results of our receiving server) ------------------------


@pytest.fixture
def our_mx(settings):
    settings.INBOUND_AUTHSERV_ID = "mx.jhl.mx"
    return settings


def test_a_client_address_forged_with_dmarc_fail_is_held_and_opens_no_ticket(our_mx, committed, client_a, deliver):
    tickets_before = Ticket.objects.count()

    inbound, _ = committed(ingest, load_eml("25_spoofed_client_dmarc_fail.eml"), source="imap")

    assert inbound.outcome == Outcome.REVIEW and inbound.ticket is None
    assert "dmarc=fail" in inbound.detail
    assert Ticket.objects.count() == tickets_before
    assert deliver() == []  # nobody is answered, nobody notified


def test_a_reply_our_server_saw_fail_spf_without_dkim_is_held_not_added(our_mx, receive, ticket_a):
    messages_before = client_messages(ticket_a).count()

    inbound, _ = receive("28_spoofed_reply_spf_fail.eml")

    assert inbound.outcome == Outcome.REVIEW and "spf=fail" in inbound.detail
    assert inbound.ticket == ticket_a  # staff of the ticket's area see it
    assert client_messages(ticket_a).count() == messages_before


def test_a_forged_reply_to_a_closed_ticket_gets_no_automatic_answer(our_mx, receive, ticket_a, staff_seguros):
    ticket_a.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)

    inbound, _ = receive("28_spoofed_reply_spf_fail.eml")

    assert inbound.outcome == Outcome.REVIEW
    assert not OutboundEmail.objects.filter(template="ticket_closed_reply").exists()


def test_results_of_another_server_are_ignored(our_mx, committed, client_a):
    our_mx.INBOUND_AUTHSERV_ID = "mx.otro-servidor.mx"

    inbound, _ = committed(ingest, load_eml("25_spoofed_client_dmarc_fail.eml"), source="imap")

    assert inbound.outcome == Outcome.TICKET_CREATED  # as without the header: nothing vouched or spoke against


def test_without_the_requirement_mail_our_server_did_not_check_is_processed_as_before(our_mx, committed, client_a):
    inbound, _ = committed(ingest, load_eml("07_new_request_encoded_subject.eml"), source="imap")

    assert inbound.outcome == Outcome.TICKET_CREATED


@pytest.fixture
def required(our_mx):
    our_mx.INBOUND_REQUIRE_AUTHENTICATED_SENDER = True
    return our_mx


def test_when_required_a_pass_forged_by_another_server_is_held(required, committed, client_a, deliver):
    inbound, _ = committed(ingest, load_eml("26_forged_pass_from_foreign_server.eml"), source="imap")

    assert inbound.outcome == Outcome.REVIEW and inbound.ticket is None
    assert "se exige remitente autenticado" in inbound.detail
    assert deliver() == []


def test_when_required_mail_without_our_results_is_held(required, committed, client_a):
    inbound, _ = committed(ingest, load_eml("07_new_request_encoded_subject.eml"), source="imap")

    assert inbound.outcome == Outcome.REVIEW


def test_when_required_a_client_our_server_authenticated_opens_a_ticket(required, committed, client_a):
    inbound, _ = committed(ingest, load_eml("27_client_authenticated_by_our_server.eml"), source="imap")

    assert inbound.outcome == Outcome.TICKET_CREATED
    assert inbound.ticket.requester == client_a


@pytest.mark.parametrize(
    ("results", "trusted"),
    [
        ("mx.jhl.mx; dmarc=pass header.from=transportesdelnorte.mx", True),
        ("MX.JHL.MX 1; dmarc=pass", True),  # authserv-id, version
        ("mx.jhl.mx; dmarc=none; dkim=pass header.d=transportesdelnorte.mx", True),
        ("mx.jhl.mx; dkim=pass header.d=correo.transportesdelnorte.mx", True),
        ("mx.jhl.mx; dkim=pass header.d=sendgrid.net; spf=pass", False),
        ("mx.jhl.mx; dmarc=pass header.from=otro.mx", False),
        ("mx.jhl.mx; dmarc=fail; dkim=pass header.d=transportesdelnorte.mx", False),
        ("mx.jhl.mx; none", False),
        ("mx.jhl.mx.evil.example; dmarc=pass", False),
        ("evil.example (mx.jhl.mx); dmarc=pass", False),
    ],
)
def test_when_required_only_our_servers_pass_for_the_from_domain_is_trusted(required, results, trusted):
    message = mime.read(f"Authentication-Results: {results}\nFrom: ana@transportesdelnorte.mx\nSubject: x\n\nHola\n".encode())

    problem = authentication_problem(message)

    assert (problem is None) == trusted


# --- Cost ------------------------------------------------------------------------------------


def test_ingesting_a_reply_or_a_new_request_takes_a_fixed_number_of_queries(
    our_message, ticket_a, client_a, django_assert_num_queries
):
    # Exact counts, savepoints included: a query added per message, recipient or
    # attachment shows here as a changed number to explain. (Foreign keys set from
    # loaded rows are not SELECTed again by full_clean: tickets.models.loaded_relations.
    # A client's message locks, checks and dates its ticket in one UPDATE. The
    # notification's task is written in the same transaction, so it counts here.)
    reply = load_eml("01_gmail_reply_es.eml", message_id=our_message.message_id, **reply_values(ticket_a))
    with django_assert_num_queries(16):
        ingest(reply, source="imap")
    # A new ticket counts its first deadline over the rest days (issue 11.2): cached
    # since ticket_a's, so no query.
    with django_assert_num_queries(18):
        ingest(load_eml("08_new_request_with_pdf.eml"), source="imap")
