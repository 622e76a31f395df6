from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcenterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "helpcenter"
    verbose_name = _("Centro de Ayuda")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from workflows.models import Area, Stage

        from .models import refresh_pipelines_search

        # The states article is drawn from the live pipelines: its search text follows them.
        for model in (Area, Stage):
            post_save.connect(refresh_pipelines_search, sender=model, dispatch_uid=f"helpcenter-refresh-{model.__name__}")
            post_delete.connect(refresh_pipelines_search, sender=model, dispatch_uid=f"helpcenter-refresh-del-{model.__name__}")
