"""Real SMTP conversations with an in-process aiosmtpd server."""

import smtplib
import socket
import uuid
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from emails.models import OutboundEmail
from emails.outbound import queue_email
from tests.admin_pages import save_ticket_page
from tests.emails.conftest import run_worker
from tests.factories import make_ticket
from tickets.models import TimelineEntry

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def parsed(self):
        return [message_from_bytes(content, policy=policy.default) for _from, _to, content in self.mailbox.messages]


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on a free port, configured as the project's default mailer."""
    server = SMTPServer(free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 5},
        }
    }
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_calls(monkeypatch):
    """Every SMTP connection opened, by whom (to prove requests never open one)."""
    calls = []
    original = smtplib.SMTP.__init__

    def spying_init(self, *args, **kwargs):
        calls.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "__init__", spying_init)
    return calls


def test_a_message_goes_through_a_real_smtp_conversation(smtp_server, committed, ticket_a):
    email = committed(
        queue_email,
        template="ticket_closed_reply",
        to=["ana@transportesdelnorte.mx"],
        context={"new_ticket_url": "https://soporte.jhl.mx/portal-de-clientes/"},
        ticket=ticket_a,
    )
    run_worker()

    [(mail_from, rcpt_tos, _content)] = smtp_server.mailbox.messages
    assert mail_from == "soporte@jhl.mx"
    assert rcpt_tos == ["ana@transportesdelnorte.mx"]
    [message] = smtp_server.parsed()
    assert message["Subject"] == f"[Ticket #{ticket_a.number}] Este ticket está cerrado: Renovación de póliza de flotilla"
    assert message["Message-ID"] == email.message_id
    assert message["References"] == f"<ticket-{ticket_a.number}@jhl.mx>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"el ticket #{ticket_a.number} está cerrado" in text
    assert f"el ticket #{ticket_a.number} está cerrado" in html
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_mail_queued_while_smtp_is_down_is_delivered_exactly_once_when_it_returns(
    smtp_server, committed, client_a, staff_seguros, settings
):
    settings.EMAIL_RETRY_BASE_DELAY = 60
    smtp_server.stop()
    tickets = [committed(make_ticket, requester=client_a, subject=f"Solicitud {n}") for n in range(3)]

    run_worker()  # the e-mails are written, and every send fails: the server is down
    queued = OutboundEmail.objects.count()
    assert queued == 6  # per ticket: the client's "ticket created" and the team's notice
    assert smtp_server.mailbox.messages == []
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("queued", 1)}

    smtp_server.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_worker()
        run_worker()  # a second pass, and the sweep, must not send anything again
        call_command("requeue_email", verbosity=0)
        run_worker()

    delivered = [m["Message-ID"] for m in smtp_server.parsed()]
    assert len(delivered) == queued
    assert sorted(delivered) == sorted(OutboundEmail.objects.values_list("message_id", flat=True))
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    subjects = {m["Subject"] for m in smtp_server.parsed()}
    assert {f"[Ticket #{t.number}] Recibimos su requerimiento: Solicitud {n}" for n, t in enumerate(tickets)} <= subjects


def test_no_view_talks_smtp_during_the_request(
    settings, client, client_a, ticket_a, staff_seguros, smtp_calls, django_capture_on_commit_callbacks
):
    """With the SMTP server down, the portal's mail-sending views still answer at once."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "use_tls": False, "timeout": 5},
        }
    }
    client.force_login(client_a)

    # The requests' transactions commit (and their on_commit hooks run) inside this block.
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("portal:ticket_reply", args=[ticket_a.number]), {"body": "¿Hay novedades?"})
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(
            reverse("portal:ticket_new"),
            {
                "contact_name": "Ana García",
                "area": "gestorias",
                "subject": "Alta de placas",
                "description": "Necesito dar de alta las placas de una unidad nueva.",
                "client_token": str(uuid.uuid4()),
            },
        )

    assert reply.status_code == 302
    assert new.status_code == 302
    assert smtp_calls == []
    # The requests left one task each: a worker writes the e-mails and sends them.
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == {
        "emails.tasks.notify_entry_recorded",
        "emails.tasks.notify_ticket_created",
    }
    assert not OutboundEmail.objects.exists()
    run_worker()  # the worker, not the request, meets the dead server
    assert OutboundEmail.objects.count() == 3  # team notice, ticket created ×2
    assert len(smtp_calls) == 3
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"queued"}


def test_a_staff_reply_from_admin_does_not_talk_smtp(settings, client, staff_seguros, ticket_a, smtp_calls, committed):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "use_tls": False, "timeout": 5},
        }
    }
    client.force_login(staff_seguros)

    with committed.capture():
        response = save_ticket_page(client, ticket_a, kind=TimelineEntry.Kind.STAFF_REPLY, body="Listo.")

    assert response.status_code == 302
    assert smtp_calls == []
    run_worker()
    assert len(smtp_calls) == 1
    assert OutboundEmail.objects.filter(template="staff_reply", status="queued").count() == 1
