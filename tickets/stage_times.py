"""Fill the columns the board and the reports read instead of each ticket's timeline
(Ticket.stage_entered_at, Ticket.first_response_at, TimelineEntry.stage_stay) from the
timeline itself, for rows written before those columns existed.

Ticket.move_to() and TimelineEntry.record() keep them from then on; this runs once in
migration tickets/0013 (with its historical models). On PostgreSQL it is two UPDATEs
joined to one pass over the timeline (a window function, a grouped aggregate): at a
million tickets a correlated subquery per row took minutes. Other databases (SQLite,
small by nature) get the same figures through the ORM.
"""

from django.db import connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

STAGE_CHANGE = "stage_change"
STAFF_REPLY = "staff_reply"

POSTGRESQL_STAYS = """
    UPDATE tickets_timelineentry AS e SET stage_stay = s.stay
    FROM (
        SELECT c.id, c.created_at - COALESCE(
            lag(c.created_at) OVER (PARTITION BY c.ticket_id ORDER BY c.created_at, c.id), t.created_at
        ) AS stay
        FROM tickets_timelineentry AS c JOIN tickets_ticket AS t ON t.id = c.ticket_id
        WHERE c.kind = %(stage_change)s
    ) AS s
    WHERE e.id = s.id AND e.stage_stay IS NULL
"""
POSTGRESQL_TICKETS = """
    UPDATE tickets_ticket AS t
    SET stage_entered_at = COALESCE(t.stage_entered_at, x.last_change),
        first_response_at = COALESCE(t.first_response_at, x.first_reply)
    FROM (
        SELECT ticket_id,
               max(created_at) FILTER (WHERE kind = %(stage_change)s) AS last_change,
               min(created_at) FILTER (WHERE kind = %(staff_reply)s) AS first_reply
        FROM tickets_timelineentry WHERE kind IN (%(stage_change)s, %(staff_reply)s)
        GROUP BY ticket_id
    ) AS x
    WHERE t.id = x.ticket_id AND (t.stage_entered_at IS NULL OR t.first_response_at IS NULL)
"""


def fill_stage_times(Ticket, TimelineEntry) -> None:
    """Backfill the three columns where they are NULL (models passed in, so a migration
    can give its historical ones)."""
    connection = connections[Ticket.objects.db]
    if connection.vendor == "postgresql":
        params = {"stage_change": STAGE_CHANGE, "staff_reply": STAFF_REPLY}
        with connection.cursor() as cursor:
            cursor.execute(POSTGRESQL_STAYS, params)
            cursor.execute(POSTGRESQL_TICKETS, params)
        return
    changes = TimelineEntry.objects.filter(kind=STAGE_CHANGE)
    previous_change = (
        changes.filter(ticket_id=OuterRef("ticket_id"), created_at__lt=OuterRef("created_at"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    ticket_created = Ticket.objects.filter(pk=OuterRef("ticket_id")).values("created_at")[:1]
    changes.filter(stage_stay__isnull=True).update(
        stage_stay=F("created_at") - Coalesce(Subquery(previous_change), Subquery(ticket_created))
    )
    last_change = changes.filter(ticket_id=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    Ticket.objects.filter(stage_entered_at__isnull=True).update(stage_entered_at=Subquery(last_change))
    first_reply = (
        TimelineEntry.objects.filter(ticket_id=OuterRef("pk"), kind=STAFF_REPLY).order_by("created_at").values("created_at")[:1]
    )
    Ticket.objects.filter(first_response_at__isnull=True).update(first_response_at=Subquery(first_reply))
