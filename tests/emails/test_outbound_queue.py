"""The durable outbound queue: stored in the caller's transaction, sent by the worker
after commit, retried with backoff, never twice, never lost."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from emails import outbound
from emails.admin import OutboundEmailAdmin
from emails.models import OutboundEmail
from emails.outbound import queue_email, retry_delay

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


def queue_notice(to="ana@transportesdelnorte.mx", **kwargs):
    return queue_email(template="ticket_closed_reply", to=[to], context={"new_ticket_url": "/portal-de-clientes/"}, **kwargs)


@pytest.fixture
def failing_smtp(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)


def test_it_stores_the_message_and_sends_it_once_after_commit(committed, deliver, ticket_a):
    email = committed(queue_notice, ticket=ticket_a)

    email.refresh_from_db()
    assert email.status == Status.QUEUED
    assert DBTaskResult.objects.get(pk=email.task_id).status == "READY"
    sent = deliver()

    assert len(sent) == 1
    assert sent[0].to == ["ana@transportesdelnorte.mx"]
    assert f"[Ticket #{ticket_a.number}]" in sent[0].subject
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1 and email.sent_at is not None
    # A second worker run, or a duplicate task, does not send it again.
    outbound.enqueue_delivery(email.pk)
    assert len(deliver()) == 1


def test_it_enqueues_only_after_the_transaction_commits(django_capture_on_commit_callbacks, deliver, ticket_a):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_notice(ticket=ticket_a)
    assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1
    assert deliver() == []


def test_nothing_is_sent_for_work_that_was_rolled_back(committed, deliver, ticket_a):
    def failing_view():
        with transaction.atomic():
            queue_notice(ticket=ticket_a)
            raise RuntimeError("the view failed")

    with pytest.raises(RuntimeError):
        committed(failing_view)

    assert OutboundEmail.objects.count() == 0
    assert deliver() == []


def test_a_failed_send_is_retried_with_backoff_then_marked_failed(settings, committed, failing_smtp, ticket_a):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BASE_DELAY = 60
    email = committed(queue_notice, ticket=ticket_a)

    outbound.deliver(email.pk)
    email.refresh_from_db()
    assert email.status == Status.QUEUED and email.attempts == 1
    assert "Connection refused" in email.last_error
    retry = DBTaskResult.objects.get(pk=email.task_id)
    assert retry.status == "READY"
    assert retry.run_after == email.next_attempt_at
    assert timedelta(seconds=55) < email.next_attempt_at - timezone.now() <= timedelta(seconds=60)

    outbound.deliver(email.pk)
    email.refresh_from_db()
    assert email.attempts == 2 and email.status == Status.QUEUED
    outbound.deliver(email.pk)
    email.refresh_from_db()
    assert email.attempts == 3 and email.status == Status.FAILED
    # The first task (never run here: deliver() was called directly) and two retries;
    # no retry after the last attempt.
    assert DBTaskResult.objects.filter(status="READY").count() == 3


def test_backoff_doubles_and_is_capped(settings):
    settings.EMAIL_RETRY_BASE_DELAY = 60
    settings.EMAIL_RETRY_MAX_DELAY = 600
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_the_worker_runs_the_retry_only_when_it_is_due(settings, committed, deliver, monkeypatch, ticket_a):
    settings.EMAIL_RETRY_BASE_DELAY = 300
    calls = []
    original = EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        calls.append(self.subject)
        if len(calls) == 1:
            raise TimeoutError("SMTP timed out")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    committed(queue_notice, ticket=ticket_a)

    assert deliver() == []  # failed once, retry scheduled in 5 minutes
    assert len(calls) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        sent = deliver()
    assert len(sent) == 1 and len(calls) == 2
    assert OutboundEmail.objects.get().status == Status.SENT


def test_staff_can_retry_failed_mail_from_admin(superuser, committed, deliver, ticket_a):
    email = committed(queue_notice, ticket=ticket_a)
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=8, last_error="boom")
    DBTaskResult.objects.all().delete()
    request = RequestFactory().post("/")
    request.user = superuser
    request._messages = type("Messages", (), {"add": lambda *a, **k: None})()
    model_admin = OutboundEmailAdmin(OutboundEmail, site)

    assert "retry" in model_admin.get_actions(request)
    committed(model_admin.retry, request, OutboundEmail.objects.all())

    email.refresh_from_db()
    assert email.status == Status.QUEUED and email.attempts == 0
    assert len(deliver()) == 1


def test_the_sweep_requeues_mail_whose_task_vanished(committed, deliver, ticket_a):
    """The worker's table was pruned, or the enqueue after commit failed: nothing is lost."""
    first = committed(queue_notice, ticket=ticket_a)
    second = committed(queue_notice, to="luis@transportesdelnorte.mx", ticket=ticket_a)
    first.refresh_from_db()
    DBTaskResult.objects.filter(pk=first.task_id).delete()

    # Too recent: its enqueue may still be on the way.
    call_command("requeue_email", verbosity=0)
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        call_command("requeue_email", verbosity=0)
        assert DBTaskResult.objects.filter(status="READY").count() == 2  # second still had its own task
        sent = deliver()

    assert sorted(m.to[0] for m in sent) == ["ana@transportesdelnorte.mx", "luis@transportesdelnorte.mx"]
    assert {e.status for e in OutboundEmail.objects.filter(pk__in=[first.pk, second.pk])} == {Status.SENT}


def test_a_message_left_sending_by_a_dead_worker_goes_back_to_the_queue(settings, committed, deliver, ticket_a):
    settings.EMAIL_SENDING_TIMEOUT = 60
    email = committed(queue_notice, ticket=ticket_a)
    # The worker took the task and the row, then died: both stay "running"/"sending".
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    DBTaskResult.objects.update(status="RUNNING")

    call_command("requeue_email", verbosity=0)
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # the worker may still be sending
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("requeue_email", verbosity=0)
        assert len(deliver()) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT


def test_a_row_being_sent_is_not_sent_by_a_second_task(committed, deliver, ticket_a):
    email = committed(queue_notice, ticket=ticket_a)
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.SENDING, claimed_at=timezone.now())

    assert deliver() == []
    assert OutboundEmail.objects.get(pk=email.pk).status == Status.SENDING


# --- Access links are not kept at rest -------------------------------------------------


def queue_password_reset(to="ana@transportesdelnorte.mx"):
    link = "https://soporte.jhl.mx/cuentas/password/reset/key/abc-123secreto/"
    queue_email(template="account/password_reset_key", to=[to], context={"password_reset_url": link})
    return link


def test_an_access_link_is_scrubbed_from_the_stored_body_once_delivered(committed, deliver):
    link = committed(queue_password_reset)
    email = OutboundEmail.objects.get()
    assert link in email.text and link in email.html  # the worker still needs it

    sent = deliver()

    assert link in sent[0].body  # the client got it
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert link not in email.text and link not in email.html
    assert email.text == "[Contenido retirado tras el envío: contenía un enlace de acceso personal.]"
    assert email.subject  # the record of what was sent, to whom and when stays


def test_an_access_link_stays_until_the_send_succeeds(committed, failing_smtp):
    link = committed(queue_password_reset)
    email = OutboundEmail.objects.get()

    outbound.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == Status.QUEUED and link in email.text  # the retry must send it


def test_ordinary_mail_keeps_its_body_after_delivery(committed, deliver, ticket_a):
    email = committed(queue_notice, ticket=ticket_a)
    text = email.text

    deliver()

    email.refresh_from_db()
    assert email.status == Status.SENT and email.text == text


def test_the_invitation_and_password_reset_of_accounts_are_scrubbed(client, client_a, org_a, committed, deliver):
    from accounts.services import invitation_send
    from tests.factories import UserFactory

    invited = UserFactory(email="nuevo@transportesdelnorte.mx", organization=org_a, password=None)
    token = committed(invitation_send, user=invited)
    with committed.capture():
        client.post(reverse("account_reset_password"), {"email": client_a.email})

    sent = {message.to[0]: message for message in deliver()}

    reset_link = next(line for line in sent[client_a.email].body.splitlines() if "/reset/key/" in line)
    assert token in sent[invited.email].body
    assert {email.template for email in OutboundEmail.objects.all()} == {"invitation", "account/password_reset_key"}
    for email in OutboundEmail.objects.all():
        assert token not in email.text and reset_link not in email.text and reset_link not in email.html


def test_the_migration_scrubs_access_links_sent_before_it(committed, deliver):
    from importlib import import_module

    from django.apps import apps

    link = committed(queue_password_reset)
    deliver()
    OutboundEmail.objects.update(text=f"old body {link}", html=f"<a href='{link}'>")  # as sent before the fix

    import_module("emails.migrations.0002_scrub_sent_access_links").scrub(apps, None)

    email = OutboundEmail.objects.get()
    assert link not in email.text and email.html == ""
