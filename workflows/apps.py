from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = _("Áreas y etapas")

    def ready(self):
        from .pipelines import analyze_pipeline_tables
        from .teams import grant_team_permissions

        # Permissions only exist after every app has migrated, hence post_migrate.
        post_migrate.connect(grant_team_permissions, dispatch_uid="workflows.grant_team_permissions")
        post_migrate.connect(analyze_pipeline_tables, sender=self, dispatch_uid="workflows.analyze_pipeline_tables")
