from django.contrib import admin

from workflows.models import Area

from .models import ReadyAnswer


@admin.register(ReadyAnswer)
class ReadyAnswerAdmin(admin.ModelAdmin):
    """A team manages the ready answers of its own areas only (superusers: all)."""

    list_display = ["title", "area", "updated_at"]
    list_filter = ["area"]
    list_select_related = ["area"]
    search_fields = ["title", "body"]
    fields = ["area", "title", "body"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_staff(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = Area.objects.worked_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
