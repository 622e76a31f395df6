"""Template helpers of the staff workspace in admin."""

from django import template
from django.db.models import Count, Q

from tickets.models import Ticket
from workflows.models import Area

register = template.Library()


@register.inclusion_tag("admin/workspace/workload.html", takes_context=True)
def staff_workload(context):
    """The admin index's panel: the staff member's counts and their areas' boards and reports.

    One query for the counts (conditional aggregates over the open tickets they see),
    one for the areas.
    """
    user = context["request"].user
    if not user.is_staff or not user.has_perm("tickets.view_ticket"):
        return {"show": False}
    mine = Q(owner=user)
    counts = (
        Ticket.objects.visible_to(user)
        .open()
        .aggregate(
            mine=Count("pk", filter=mine),
            mine_waiting=Count("pk", filter=mine & Q(stage__waits_on_client=True)),
            unassigned=Count("pk", filter=Q(owner__isnull=True)),
        )
    )
    return {"show": True, "counts": counts, "areas": list(Area.objects.worked_by(user))}
