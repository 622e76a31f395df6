"""The service clock in the ticket admin: the "Plazo" filter and column, and the
overdue / due-today counts per area above the list (issue 11.2)."""

from functools import partial

from django.contrib import admin
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tickets.templatetags.portal import short_datetime

from .deadlines import DueState, due_counts_by_area, due_state, due_state_filter

# The list's default order: overdue first (the oldest deadline on top), then due
# today, then the later deadlines, then the tickets with none by last activity. The
# ticket_due_order index walks it in this order (Ticket.Meta.indexes).
DUE_ORDERING = [F("due_at").asc(nulls_last=True), "-last_activity_at"]


class DueFilter(admin.SimpleListFilter):
    title = gettext_lazy("plazo")
    parameter_name = "plazo"

    def lookups(self, request, model_admin):
        return DueState.choices

    def queryset(self, request, queryset):
        condition = due_state_filter(self.value(), timezone.now())
        return queryset if condition is None else queryset.filter(condition)


@admin.display(description=gettext_lazy("Plazo"), ordering=DUE_ORDERING[0])
def due_column(ticket):
    state = due_state(ticket.due_at, timezone.now())
    if state == DueState.OVERDUE:
        text = _("Vencido · %(when)s") % {"when": short_datetime(ticket.due_at)}
    elif state == DueState.TODAY:
        text = _("Hoy, %(time)s") % {"time": dateformat.format(timezone.localtime(ticket.due_at), "H:i")}
    elif state == DueState.ON_TIME:
        text = short_datetime(ticket.due_at)
    elif ticket.is_clock_paused:
        text = _("En pausa")
    else:
        return "—"
    return format_html('<span class="due due-{}">{}</span>', state, text)


def due_counts_context(tickets) -> dict:
    """The changelist template's `due_counts`: called only when the list is shown (not
    on an action's intermediate page)."""
    return {"due_counts": partial(due_counts_by_area, tickets, timezone.now())}
