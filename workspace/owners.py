"""Owners ("Responsable") in the ticket admin: the list filter and the bulk action.

Tickets change owner only through Ticket.assign_to(), which records it on the timeline.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jhl_portal.admin_actions import action_form_response
from workflows.models import Area


def owner_choices(area):
    """Who may own `area`'s tickets: the active staff of its team."""
    return get_user_model().objects.team_of(area).order_by("first_name", "last_name", "email")


class OwnerFilter(admin.SimpleListFilter):
    title = gettext_lazy("responsable")
    parameter_name = "responsable"
    MINE, MINE_WAITING, NOBODY = "mios", "mios-esperando", "nadie"

    def lookups(self, request, model_admin):
        return [
            (self.MINE, _("Mis tickets")),
            (self.MINE_WAITING, _("Míos, esperando al cliente")),
            (self.NOBODY, _("Sin responsable")),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.owned_by(request.user)
        if self.value() == self.MINE_WAITING:
            return queryset.owned_by(request.user).waiting_on_client()
        if self.value() == self.NOBODY:
            return queryset.unassigned()
        return queryset


class AssignOwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Responsable"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("— Sin responsable —"),
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(area)


@admin.action(description=gettext_lazy("Asignar responsable…"), permissions=["change"])
def assign_owner(model_admin, request, queryset):
    area_ids = set(queryset.values_list("area_id", flat=True))
    if len(area_ids) != 1:
        model_admin.message_user(
            request, _("Seleccione tickets de una sola área: cada área tiene su propio equipo."), messages.ERROR
        )
        return None
    area = Area.objects.get(pk=area_ids.pop())
    form = AssignOwnerForm(request.POST if "apply" in request.POST else None, area=area)
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        changed = sum(ticket.assign_to(owner, by=request.user) is not None for ticket in queryset.select_related("area"))
        model_admin.message_user(
            request,
            _("%(count)d ticket(s) asignado(s) a %(owner)s.") % {"count": changed, "owner": owner or _("nadie")},
            messages.SUCCESS,
        )
        return None
    return action_form_response(
        model_admin,
        request,
        template="admin/workspace/assign_owner.html",
        title=_("Asignar responsable"),
        action="assign_owner",
        objects=queryset.select_related("owner"),
        form=form,
        area=area,
    )
