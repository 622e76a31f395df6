from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save

# Besides tickets and their timelines (Ticket.save(), TimelineEntry.record()), what the
# portal's cached pages show (tickets/page_cache.py): stage and area names, people's
# names, a stage's required documents and a ticket's copies of them.
SHOWN_ON_PAGES = (
    "workflows.Stage",
    "workflows.Area",
    settings.AUTH_USER_MODEL,
    "documents.RequiredDocument",
    "documents.TicketDocument",
)


def _pages_stale(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login, not a new name
    from . import page_cache

    page_cache.bump()


def _ticket_deleted(sender, instance, **kwargs):
    from . import page_cache

    page_cache.bump(organization_id=instance.organization_id, requester_id=instance.requester_id)


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self):
        for model in SHOWN_ON_PAGES:
            post_save.connect(_pages_stale, sender=model, dispatch_uid=f"tickets.pages_stale.save.{model}")
            post_delete.connect(_pages_stale, sender=model, dispatch_uid=f"tickets.pages_stale.delete.{model}")
        post_delete.connect(_ticket_deleted, sender="tickets.Ticket", dispatch_uid="tickets.pages_stale.ticket_deleted")
