"""The vehicle view (issue 11): every ticket of the client's organization about one
vehicle, across areas; "Mis vehículos"; the VIN lookup of the new-ticket form; and the
same view for staff in admin, over the tickets of the areas they may see.

Everything starts from Ticket.objects.visible_to(user): another company's vehicle has
no ticket the user may see, so its page answers 404.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tickets.models import Ticket
from tickets.views import client_view

from .decoder import decode_vin
from .queries import vehicle_from, vehicle_tickets, vehicles_in

MAX_SEARCH = 40


def _vehicle_page(request, tickets, *, vin: str, plates: str) -> dict:
    # As stored: upper case (tickets.vehicles.compact_identifier) — a typed address still finds it.
    vin, plates = vin.strip().upper(), plates.strip().upper()
    found = list(vehicle_tickets(tickets.with_related(), vin=vin, plates=plates))
    if not found:
        raise Http404
    decoded = None
    if vin:
        try:
            decoded = decode_vin(vin)
        except ValidationError:
            decoded = None  # an old ticket's VIN from before the check digit was verified
    return {"vehicle": vehicle_from(found, vin=vin, plates=plates), "tickets": found, "decoded": decoded}


def _list_page(request, tickets) -> dict:
    search = request.GET.get("q", "").strip()[:MAX_SEARCH]
    return {"vehicles": vehicles_in(tickets, search=search), "search": search}


@client_view
def vehicle_list(request):
    return render(request, "vehicles/vehicle_list.html", _list_page(request, Ticket.objects.visible_to(request.user)))


@client_view
def vehicle_detail(request, vin: str = "", plates: str = ""):
    context = _vehicle_page(request, Ticket.objects.visible_to(request.user), vin=vin, plates=plates)
    return render(request, "vehicles/vehicle_detail.html", context)


@never_cache
@login_required
def vin_lookup(request):
    """JSON for the new-ticket form: is the typed VIN valid, and what maker and model
    year it encodes. Login required: it is the portal's helper, not a public API."""
    try:
        decoded = decode_vin(request.GET.get("vin", "")[:MAX_SEARCH])
    except ValidationError as error:
        return JsonResponse({"valid": False, "error": error.messages[0]})
    hint = ", ".join(str(part) for part in (decoded.maker, decoded.year) if part)
    return JsonResponse(
        {
            "valid": True,
            "vin": decoded.vin,
            "maker": decoded.maker,
            "year": decoded.year,
            "hint": _("Según el número de serie: %(vehicle)s") % {"vehicle": hint} if hint else "",
        }
    )


def _staff_tickets(request):
    if not request.user.has_perm("tickets.view_ticket"):
        raise PermissionDenied
    return Ticket.objects.visible_to(request.user)


def admin_vehicle_list(request):
    context = {**admin.site.each_context(request), **_list_page(request, _staff_tickets(request)), "title": _("Vehículos")}
    return render(request, "admin/vehicles/vehicle_list.html", context)


def admin_vehicle_detail(request, vin: str = "", plates: str = ""):
    page = _vehicle_page(request, _staff_tickets(request), vin=vin, plates=plates)
    title = _("Vehículo %(id)s") % {"id": page["vehicle"].vin or page["vehicle"].plates}
    return render(request, "admin/vehicles/vehicle_detail.html", {**admin.site.each_context(request), **page, "title": title})
