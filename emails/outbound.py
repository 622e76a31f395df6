"""The one way the project sends e-mail.

queue_email() renders a Spanish template pair (templates/emails/<name>.txt and .html),
stores the message as an OutboundEmail row in the caller's transaction and, once that
transaction commits, enqueues a background task (django.tasks, django-tasks-db) that
sends it. No web request talks SMTP, nothing is sent for work that was rolled back,
and a message survives a stopped worker or SMTP server: it waits in the database.

Delivery (deliver(), run by the task) is at most once per row: a worker claims the row
under a lock before sending, and a row already claimed or sent is skipped. A failed
send is retried with exponential backoff up to EMAIL_MAX_ATTEMPTS, then marked failed
for staff to retry from admin (so a failed message keeps its body). A message whose
template carries an access link (OutboundEmail.SENSITIVE_TEMPLATES) has its body
scrubbed as soon as it is sent. requeue_stale() (the `requeue_email` command, run from
cron) re-enqueues rows whose task was lost.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import addressing
from .models import OutboundEmail

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Return (subject, text, html) of templates/emails/<template>.{subject.txt,txt,html}."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(
    *,
    template: str,
    to: list[str],
    context: dict,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    ticket=None,
) -> OutboundEmail:
    """Store one e-mail for sending once the current transaction commits; return it.

    With `ticket`, the message is threaded: "[Ticket #N]" in the subject, References to
    the ticket's thread and, unless `reply_to` is given, the ticket's signed Reply-To.
    """
    subject, text, html = render_email(template, {"ticket": ticket, **context} if ticket else context)
    # RFC 3834: what a program sends is marked so that autoresponders stay quiet,
    # and Outlook is asked not to send out-of-office replies to it.
    all_headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if ticket is not None:
        subject = addressing.tag_subject(subject, ticket.number)
        all_headers |= addressing.ticket_headers(ticket.number)
        if reply_to is None:
            reply_to = [addressing.reply_to_address(ticket.number)]
    all_headers |= headers or {}
    email = OutboundEmail.objects.create(
        template=template,
        ticket=ticket,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=all_headers,
        message_id=addressing.new_message_id(ticket.number if ticket else None),
        subject=subject[:255],
        text=text,
        html=html,
    )
    # robust: if enqueuing fails (database hiccup), the row is still queued and the
    # sweep (requeue_stale) picks it up; the caller's request must not fail for it.
    transaction.on_commit(lambda: enqueue_delivery(email.pk), robust=True)
    return email


def enqueue_delivery(outbound_id: int, *, run_after=None) -> None:
    from .tasks import deliver_email

    if run_after and not deliver_email.get_backend().supports_defer:
        # A development backend (immediate/dummy) cannot wait: the sweep retries later.
        return
    task = deliver_email.using(run_after=run_after) if run_after else deliver_email
    result = task.enqueue(outbound_id)
    OutboundEmail.objects.filter(pk=outbound_id).update(task_id=str(result.id))


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the `attempts`-th failure: base, 2×base, 4×base … capped."""
    seconds = settings.EMAIL_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_DELAY))


def _claim(outbound_id: int) -> OutboundEmail | None:
    """Mark the row as being sent by this worker; None if it is not ours to send."""
    with transaction.atomic():
        # The lock makes two workers (a duplicate task, the sweep) agree on who sends.
        email = OutboundEmail.objects.select_for_update().filter(pk=outbound_id).first()
        if email is None or email.status != OutboundEmail.Status.QUEUED:
            return None
        email.status = OutboundEmail.Status.SENDING
        email.claimed_at = timezone.now()
        email.save(update_fields=["status", "claimed_at"])
        return email


def deliver(outbound_id: int) -> str:
    """Send one queued message; return its status afterwards (or "skipped").

    The SMTP conversation happens outside any transaction: a slow server must not
    hold database locks (SQLite has only one writer).
    """
    email = _claim(outbound_id)
    if email is None:
        return "skipped"
    email.attempts += 1
    try:
        email.build_message().send()
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            email.status = OutboundEmail.Status.FAILED
            logger.error("E-mail %s failed for good after %d attempts: %s", email.pk, email.attempts, email.last_error)
        else:
            email.status = OutboundEmail.Status.QUEUED
            email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
            logger.warning("E-mail %s failed (attempt %d), retrying at %s", email.pk, email.attempts, email.next_attempt_at)
    else:
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.scrub_body()
    email.claimed_at = None
    email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at", "claimed_at", "text", "html"])
    if email.status == OutboundEmail.Status.QUEUED:
        enqueue_delivery(email.pk, run_after=email.next_attempt_at)
    return email.status


def retry_failed(queryset) -> int:
    """Put failed messages back in the queue with a fresh set of attempts (admin action)."""
    count = 0
    for email in queryset.filter(status=OutboundEmail.Status.FAILED):
        with transaction.atomic():
            updated = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(
                status=OutboundEmail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
            )
            if updated:
                transaction.on_commit(lambda pk=email.pk: enqueue_delivery(pk), robust=True)
                count += 1
    return count


def requeue_stale(*, grace: timedelta = timedelta(minutes=5)) -> int:
    """Re-enqueue queued rows whose task is gone; return how many.

    A row is stale when its attempt was due more than `grace` ago and no ready task
    points at it (the enqueue failed, someone pruned the task table, a worker died
    mid-send). A duplicate task is harmless: deliver() claims each row once.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    # A worker died between claiming and finishing: the message may or may not have
    # left. We resend rather than lose it; this crash window is the only one.
    stuck = list(OutboundEmail.objects.stuck_sending(now).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=stuck, status=OutboundEmail.Status.SENDING).update(
        status=OutboundEmail.Status.QUEUED, claimed_at=None, next_attempt_at=now
    )
    for pk in stuck:
        enqueue_delivery(pk)  # its own task died with the worker (left "running")
    pending = {
        str(pk)
        for pk in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"], task_path__endswith="deliver_email").values_list(
            "pk", flat=True
        )
    }
    requeued = len(stuck)
    for pk, task_id in OutboundEmail.objects.due(now - grace).exclude(pk__in=stuck).values_list("pk", "task_id"):
        if task_id and task_id in pending:
            continue
        enqueue_delivery(pk)
        requeued += 1
    return requeued
