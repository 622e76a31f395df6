from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emails"
    verbose_name = _("Correo")

    def ready(self):
        from anymail.signals import inbound

        from documents import events as document_events
        from tickets import events

        from . import notifications, webhooks

        events.ticket_created.connect(notifications.on_ticket_created, dispatch_uid="emails.ticket_created")
        events.entry_recorded.connect(notifications.on_entry_recorded, dispatch_uid="emails.entry_recorded")
        events.closed_ticket_written.connect(notifications.notify_closed_ticket, dispatch_uid="emails.closed_ticket_written")
        document_events.document_reviewed.connect(notifications.notify_document_reviewed, dispatch_uid="emails.document_reviewed")
        inbound.connect(webhooks.handle_inbound, dispatch_uid="emails.anymail_inbound")
