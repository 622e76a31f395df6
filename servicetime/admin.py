from django.contrib import admin
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The rest days the service clock skips (pre-filled for 2026–2028 from LFT art. 74)."""

    list_display = ["date", "weekday", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("día de la semana"), ordering="date")
    def weekday(self, holiday):
        return format_date(holiday.date, "l")
