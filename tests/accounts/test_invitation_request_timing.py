""" "Regístrese aquí" answers in the same time for every address (issue 8, point 12):
the request only queues a task, the same work whatever the address; the lookup, the new
token and the e-mail happen afterwards in the worker."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emails.models import OutboundEmail
from tests.accounts.helpers import invitation_path
from tests.emails.conftest import run_worker

pytestmark = pytest.mark.django_db

URL = "/cuentas/registrese/"


@pytest.fixture(autouse=True)
def _real_task_queue(settings):
    # The accounts suite runs tasks at once; here they wait in the database for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def statements_of_a_request(client, email, capture) -> list[str]:
    """The SQL a POST runs, with its values blanked out: the work, not the data."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(URL, {"email": email})
    assert response.status_code == 302
    return [re.sub(r"'[^']*'|\b\d+(\.\d+)?\b", "?", query["sql"]) for query in queries]


def test_a_pending_invitation_and_an_unknown_address_cost_the_same_request(
    client, invited_client, client_a, django_capture_on_commit_callbacks
):
    pending = statements_of_a_request(client, invited_client.email, django_capture_on_commit_callbacks)
    unknown = statements_of_a_request(client, "nadie@ejemplo.mx", django_capture_on_commit_callbacks)
    active = statements_of_a_request(client, client_a.email, django_capture_on_commit_callbacks)
    assert pending == unknown == active
    # Nothing about the user was read or written while the client waited.
    assert not any("accounts_user" in statement for statement in pending)
    assert OutboundEmail.objects.count() == 0 and mail.outbox == []


def test_the_worker_then_sends_the_invitation(client, invited_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": invited_client.email.upper()})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the invitation task: a new token, and the e-mail queued…
    run_worker()  # …which the next round sends
    [invitation] = mail.outbox
    assert invitation.to == [invited_client.email]
    assert invitation_path(invitation)


def test_the_worker_sends_nothing_for_an_unknown_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": "nadie@ejemplo.mx"})
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    run_worker()
    assert mail.outbox == [] and OutboundEmail.objects.count() == 0
