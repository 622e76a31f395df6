from django.contrib import admin

from documents.admin import RequiredDocumentInline

from .models import Area, Stage


class StageInline(admin.TabularInline):
    model = Stage
    fields = ["position", "name", "description", "state", "notify_client", "waits_on_client", "target_business_days"]
    extra = 0
    ordering = ["position"]
    # Each stage's page lists the documents it asks of the client (issue 11.3).
    show_change_link = True
    # Deleting a stage that tickets are in is refused by the PROTECT foreign key; the
    # admin then lists the tickets that hold it.


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "email", "team", "position"]
    list_select_related = ["team"]
    fields = ["name", "slug", "description", "email", "team", "position"]
    inlines = [StageInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug ties the area to its row in workflows/pipelines.json.
        return ["slug"] if obj else []


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "state", "position", "notify_client", "waits_on_client", "target_business_days"]
    list_filter = ["area", "state"]
    list_select_related = ["area"]
    ordering = ["area__position", "position"]
    search_fields = ["name", "area__name"]
    inlines = [RequiredDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # A stage belongs to one pipeline for good; Stage.clean() guards its state.
        return ["area"] if obj else []
