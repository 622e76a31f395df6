"""Template helpers of the staff workspace in admin."""

from django import template
from django.db.models import Count, Q

from tickets.models import Ticket
from workflows.models import Area

from .. import reports
from ..models import ReadyAnswer

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


@register.inclusion_tag("admin/workspace/ready_answers.html", takes_context=True)
def ready_answers(context, ticket):
    """The picker of ready answers above a ticket's reply box: the answers of the
    ticket's area that the staff member manages, each already filled for this ticket
    (one query). static/js/ready-answers.js inserts the chosen one."""
    from tickets.admin import NewEntryInline

    user = context["request"].user
    answers = ReadyAnswer.objects.for_staff(user).filter(area_id=ticket.area_id)
    target = next(
        (
            f"{inline.formset.prefix}-0-body"
            for inline in context.get("inline_admin_formsets", [])
            if isinstance(inline.opts, NewEntryInline)
        ),
        "",
    )
    return {
        "answers": [{"title": answer.title, "text": answer.text_for(ticket)} for answer in answers],
        "target": target,
    }


@register.filter
def duration_text(value) -> str:
    """A duration as staff read it: "3 d 4 h", "5 h 12 min", "12 min" ("—" if none)."""
    return reports.duration_text(value)
