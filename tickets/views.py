"""Client portal views. (Placeholder list until the portal issue lands.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Ticket


@login_required
def ticket_list(request):
    if request.user.is_staff:
        return redirect("admin:index")
    tickets = Ticket.objects.visible_to(request.user).with_related()[:25]
    return render(request, "portal/ticket_list.html", {"tickets": tickets})
