"""Two ingesters at once (two cron runs, a webhook retry racing IMAP) on the same message."""

import threading

import pytest
from django.db import connection

from emails.inbound import ingest
from emails.models import InboundEmail
from tests.emails.conftest import load_eml
from tickets.models import Ticket


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_ingestions_of_one_message_make_one_ticket(pipelines, client_a):
    raw = load_eml("07_new_request_encoded_subject.eml")
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(ingest(raw, source="imap")[1])
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, True]  # one created it, the other found it
    assert InboundEmail.objects.count() == 1
    assert Ticket.objects.filter(subject="Cotización de póliza para camión nuevo").count() == 1
