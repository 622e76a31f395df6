"""Background tasks (django.tasks, run by django-tasks-db's `db_worker`)."""

from django.tasks import task

from . import outbound


@task
def deliver_email(outbound_id: int) -> str:
    """Send one OutboundEmail; failures are retried by outbound.deliver() itself."""
    return outbound.deliver(outbound_id)
