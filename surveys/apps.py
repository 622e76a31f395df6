from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Encuestas de satisfacción")

    def ready(self):
        from tickets import events

        from .services import survey_on_entry_recorded

        events.entry_recorded.connect(survey_on_entry_recorded, dispatch_uid="surveys.survey_on_entry_recorded")
