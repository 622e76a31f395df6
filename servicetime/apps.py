from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicetimeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicetime"
    verbose_name = _("Plazos de atención")
