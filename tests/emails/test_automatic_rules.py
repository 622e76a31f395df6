"""Each automatic-mail rule on its own (issue 8, point 13): a message that trips only
that rule, so that removing any one rule fails exactly its test."""

import pytest

from emails import addressing, mime
from emails.inbound import ingest
from emails.models import InboundEmail
from emails.routing import Rule, automatic_rules
from tickets.models import TimelineEntry

pytestmark = pytest.mark.django_db

BASE = {
    "From": "Ana Garcia <ana@transportesdelnorte.mx>",
    "To": "{reply_to}",
    "Subject": "Re: [Ticket #{number}] Renovación",
    "Message-ID": "<CAJx8QmRULE{rule}@mail.gmail.com>",
    "Content-Type": 'text/plain; charset="utf-8"',
}
BODY = "Gracias, quedo atenta."
REPORT = (
    'multipart/report; report-type=delivery-status; boundary="r"',
    "--r\nContent-Type: text/plain\n\n" + BODY + "\n--r\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mx.transportesdelnorte.mx\n\nFinal-Recipient: rfc822; x@y.mx\nAction: failed\n--r--\n",
)

# rule -> (headers replaced or added, body)
CASES = {
    Rule.AUTO_SUBMITTED: ({"Auto-Submitted": "auto-replied"}, BODY),
    Rule.PRECEDENCE: ({"Precedence": "bulk"}, BODY),
    Rule.X_AUTOREPLY: ({"X-Autoreply": "yes"}, BODY),
    Rule.BOUNCE: ({"From": "Mail Delivery System <MAILER-DAEMON@transportesdelnorte.mx>"}, BODY),
    Rule.DELIVERY_REPORT: ({"Content-Type": REPORT[0]}, REPORT[1]),
    Rule.OWN_MESSAGE_ID: ({"Message-ID": "<ticket-{number}.0123456789abcdef01234567@jhl.mx>"}, BODY),
    Rule.OWN_TICKET_HEADER: ({"X-JHL-Ticket": "{number}"}, BODY),
    Rule.OWN_SENDER: ({"From": "JHLeasing Soporte <soporte@jhl.mx>"}, BODY),
    Rule.AUTO_SUBJECT: ({"Subject": "Respuesta automática: [Ticket #{number}] Renovación"}, BODY),
}


def message(ticket, rule: str = "none", headers: dict | None = None, body: str = BODY) -> bytes:
    values = {"reply_to": addressing.reply_to_address(ticket.number), "number": ticket.number, "rule": rule}
    lines = [f"{name}: {value.format(**values)}" for name, value in {**BASE, **(headers or {})}.items()]
    return ("\n".join(lines) + "\n\n" + body).encode()


def test_the_plain_reply_they_start_from_trips_no_rule_and_is_added(ticket_a, committed):
    raw = message(ticket_a)
    assert automatic_rules(mime.read(raw)) == []

    inbound, _ = committed(ingest, raw, source="imap")

    assert inbound.outcome == InboundEmail.Outcome.ADDED and inbound.rule == Rule.REPLY


@pytest.mark.parametrize("rule", list(CASES), ids=str)
def test_each_automatic_rule_alone_ignores_the_message(rule, ticket_a, committed, deliver, mailoutbox):
    deliver()
    mailoutbox.clear()
    headers, body = CASES[rule]
    raw = message(ticket_a, rule, headers, body)
    assert [fired for fired, _reason in automatic_rules(mime.read(raw))] == [rule]  # only this one
    entries_before = ticket_a.entries.count()

    inbound, _ = committed(ingest, raw, source="imap")

    assert inbound.outcome == InboundEmail.Outcome.AUTOMATIC
    assert inbound.rule == rule
    assert inbound.ticket is None and inbound.entry is None
    assert ticket_a.entries.count() == entries_before
    assert not ticket_a.entries.filter(kind=TimelineEntry.Kind.CLIENT_MESSAGE, body=BODY).exists()
    assert deliver() == []  # never answered, nobody notified
