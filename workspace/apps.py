from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Issue 12: the staff workspace inside admin (board, owners, ready answers, reports)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    verbose_name = _("Espacio de trabajo")
