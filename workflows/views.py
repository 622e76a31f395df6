from django.db.models import Prefetch
from django.shortcuts import render

from .models import Area, Stage


def ticket_states(request):
    """Help article "¿Cuáles son los estados de un ticket?", drawn from the live pipelines.

    Public like the rest of the help center; it can never disagree with what staff set.
    """
    areas = Area.objects.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))
    return render(request, "help/ticket_states.html", {"areas": areas})
