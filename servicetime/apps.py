from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicetimeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicetime"
    verbose_name = _("Plazos de atención")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Holiday, forget_cached_holidays

        post_save.connect(forget_cached_holidays, sender=Holiday, dispatch_uid="servicetime.holiday_saved")
        post_delete.connect(forget_cached_holidays, sender=Holiday, dispatch_uid="servicetime.holiday_deleted")
