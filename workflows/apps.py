from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = _("Áreas y etapas")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Area, Stage, forget_cached_pipelines
        from .pipelines import analyze_pipeline_tables
        from .teams import grant_team_permissions

        # The cached pipelines (models.forget_cached_pipelines): every change forgets
        # them, and so does every migrate (a migration's models send these no signals).
        for model in (Area, Stage):
            post_save.connect(forget_cached_pipelines, sender=model, dispatch_uid=f"workflows.cached.save.{model.__name__}")
            post_delete.connect(forget_cached_pipelines, sender=model, dispatch_uid=f"workflows.cached.delete.{model.__name__}")
        post_migrate.connect(forget_cached_pipelines, dispatch_uid="workflows.cached.migrate")

        # Permissions only exist after every app has migrated, hence post_migrate.
        post_migrate.connect(grant_team_permissions, dispatch_uid="workflows.grant_team_permissions")
        post_migrate.connect(analyze_pipeline_tables, sender=self, dispatch_uid="workflows.analyze_pipeline_tables")
