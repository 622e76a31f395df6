"""`manage.py fetch_mail` against a real Dovecot IMAP server over TLS."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from emails import mailbox
from emails.models import InboundEmail
from tests.emails.conftest import EML_DIR, load_eml, reply_values
from tests.emails.dovecot import DOVECOT, PASSWORD, USER, Dovecot
from tests.servers import missing
from tickets.models import Ticket, TimelineEntry
from workflows.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dovecot_server():
    if not shutil.which(DOVECOT) or not shutil.which("openssl"):
        missing("Dovecot is not installed: apt-get install dovecot-imapd openssl")
    server = Dovecot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def dovecot(dovecot_server, settings):
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_PORT = dovecot_server.port
    settings.IMAP_USER = USER
    settings.IMAP_PASSWORD = PASSWORD
    settings.IMAP_CA_FILE = str(dovecot_server.ca_file)
    settings.IMAP_FOLDER = "INBOX"
    settings.IMAP_PROCESSED_FOLDER = "Procesados"
    settings.IMAP_FAILED_FOLDER = "Fallidos"
    yield dovecot_server
    # Empty every folder for the next test (the server lives for the module).
    imap = dovecot_server.connect()
    for folder in ("INBOX", "Procesados", "Fallidos"):
        typ, data = imap.select(f'"{folder}"')
        if typ == "OK" and int(data[0]) > 0:
            imap.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            imap.expunge()
    imap.logout()


def test_it_ingests_the_inbox_and_files_each_message(dovecot, client_a, ticket_a, monkeypatch):
    dovecot.deliver(load_eml("07_new_request_encoded_subject.eml"))
    dovecot.deliver(load_eml("01_gmail_reply_es.eml", message_id="<none@x>", **reply_values(ticket_a)))
    dovecot.deliver(load_eml("22_stranger.eml"))
    monkeypatch.setattr("emails.inbound.apply_decision", _explode_on_strangers(monkeypatch))

    call_command("fetch_mail", verbosity=0)

    assert dovecot.messages("INBOX") == []
    assert len(dovecot.messages("Procesados")) == 2
    [failed] = dovecot.messages("Fallidos")
    assert b"proveedor-desconocido.com" in failed
    outcomes = dict(InboundEmail.objects.values_list("subject", "outcome"))
    assert outcomes["Cotización de póliza para camión nuevo"] == InboundEmail.Outcome.TICKET_CREATED
    assert outcomes[f"Re: [Ticket #{ticket_a.number}] Recibimos tu requerimiento: Renovación de póliza"] == "added"
    assert outcomes["Oferta exclusiva de llantas para su flotilla"] == InboundEmail.Outcome.FAILED
    assert Ticket.objects.filter(subject="Cotización de póliza para camión nuevo", channel="email").exists()
    assert ticket_a.entries.filter(kind=TimelineEntry.Kind.CLIENT_MESSAGE, channel="email").count() == 1


def _explode_on_strangers(monkeypatch):
    from emails import inbound

    real = inbound.apply_decision

    def rules(record, message, decision):
        if "proveedor-desconocido" in record.from_address:
            raise RuntimeError("simulated bug")
        return real(record, message, decision)

    return rules


@pytest.mark.parametrize("server_has_move", [True, False], ids=["MOVE", "COPY+EXPUNGE"])
def test_two_overlapping_runs_never_ingest_a_message_twice(dovecot, client_a, ticket_a, monkeypatch, server_has_move):
    """Run 2 starts and finishes while run 1 holds a message it already fetched."""
    if not server_has_move:
        real_connect = mailbox.connect

        def connect_without_move():
            imap = real_connect()
            imap.capabilities = tuple(c for c in imap.capabilities if c != "MOVE")
            return imap

        monkeypatch.setattr(mailbox, "connect", connect_without_move)
    for name in ("07_new_request_encoded_subject.eml", "08_new_request_with_pdf.eml", "09_new_request_to_unknown_address.eml"):
        dovecot.deliver(load_eml(name))
    real_ingest = mailbox.ingest
    overlapped = []

    def ingest_while_another_run_goes(raw, *, source):
        if not overlapped:
            overlapped.append(True)
            mailbox.fetch_mail()  # the second cron run, complete, with the real ingester
        return real_ingest(raw, source=source)

    monkeypatch.setattr(mailbox, "ingest", ingest_while_another_run_goes)
    counts = mailbox.fetch_mail()

    assert counts["duplicate"] == 1  # run 1's message had been ingested by run 2
    assert InboundEmail.objects.count() == 3
    assert Ticket.objects.filter(channel="email").count() == 3
    assert dovecot.messages("INBOX") == []
    assert len(dovecot.messages("Procesados")) == 3  # each exactly once


def test_a_message_is_left_in_the_inbox_when_the_database_fails(dovecot, client_a, monkeypatch):
    dovecot.deliver(load_eml("07_new_request_encoded_subject.eml"))

    def database_down(raw, *, source):
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(mailbox, "ingest", database_down)
    assert mailbox.fetch_mail()["error"] == 1
    assert len(dovecot.messages("INBOX")) == 1
    monkeypatch.undo()
    assert mailbox.fetch_mail()["new"] == 1
    assert dovecot.messages("INBOX") == []


def test_it_refuses_a_server_whose_certificate_it_cannot_verify(dovecot, settings):
    settings.IMAP_CA_FILE = ""
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        call_command("fetch_mail", verbosity=0)


def test_without_a_host_it_says_so(settings):
    settings.IMAP_HOST = ""
    with pytest.raises(CommandError, match="IMAP_HOST"):
        call_command("fetch_mail")


def test_the_whole_corpus_leaves_the_inbox_empty_with_no_traceback_and_no_replacement_character(
    dovecot, client_a, colleague_a, client_b, staff_seguros, ticket_a, our_message, caplog
):
    closed = Ticket.objects.get(pk=ticket_a.pk)
    names = sorted(path.name for path in EML_DIR.glob("*.eml"))
    for name in names:
        dovecot.deliver(load_eml(name, message_id=our_message.message_id, **reply_values(ticket_a)))
    closed.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)  # 21 answers a closed one

    with caplog.at_level("WARNING", logger="emails"):
        counts = mailbox.fetch_mail()

    assert dovecot.messages("INBOX") == []
    assert dovecot.messages("Fallidos") == []
    assert counts["failed"] == counts["error"] == 0
    assert counts["new"] + counts["duplicate"] == len(names)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert not InboundEmail.objects.filter(outcome=InboundEmail.Outcome.FAILED).exists()
    stored = [
        *InboundEmail.objects.values_list("subject", "text", "from_address", "to_addresses"),
        *Ticket.objects.values_list("subject", "description"),
        *TimelineEntry.objects.values_list("body"),
        *TimelineEntry.objects.values_list("attachments__original_name"),
    ]
    assert not [values for values in stored if any("\ufffd" in (value or "") for value in values)]
