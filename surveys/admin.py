from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import reports
from .models import Survey

COMMENTS_SHOWN = 50


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: what clients said is not edited. Staff see their areas' surveys."""

    list_display = ["ticket", "area", "rating", "short_comment", "sent_at", "answered_at"]
    list_filter = ["area", "rating", ("answered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["ticket", "area"]
    search_fields = ["comment", "ticket__subject"]
    date_hierarchy = "sent_at"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comentario"))
    def short_comment(self, survey):
        return survey.comment[:80] + ("…" if len(survey.comment) > 80 else "")

    def get_urls(self):
        results = path("resultados/", self.admin_site.admin_view(self.results_view), name="surveys_survey_results")
        return [results, *super().get_urls()]

    def results_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        surveys = self.get_queryset(request)
        rows = reports.results(surveys)
        comments = (
            surveys.answered().exclude(comment="").select_related("ticket", "area").order_by("-answered_at")[:COMMENTS_SHOWN]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Resultados de las encuestas de satisfacción"),
            "rows": rows,
            "chart": reports.chart(rows),
            "comments": comments,
        }
        return TemplateResponse(request, "admin/surveys/results.html", context)
