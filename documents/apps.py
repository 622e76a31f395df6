from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documentos requeridos")

    def ready(self):
        from tickets.models import MOVE_CHECKS

        from .services import missing_documents_refusal

        # Issue 11.3: a ticket does not leave a stage for a later one until the
        # documents that stage asks for are accepted (Ticket.move_to asks this check).
        if missing_documents_refusal not in MOVE_CHECKS:
            MOVE_CHECKS.append(missing_documents_refusal)
