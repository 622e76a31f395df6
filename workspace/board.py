"""The pipeline board of an area ("Tablero", issue 12): which cards each column shows.

A column per stage in the area's order; a card per open ticket the staff member sees,
newest activity first. Columns are capped (CARDS_PER_COLUMN) and paginated one by one,
so the board costs the same few queries with 50 or 5,000 open tickets in the area.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import connections
from django.db.models import Count, F, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from jhl_portal.text import SingleLineFormField
from tickets.models import Ticket
from workflows.models import Area, Stage

from .owners import owner_choices

CARDS_PER_COLUMN = 20
NEWEST_FIRST = ("-last_activity_at", "-pk")


class BoardFilterForm(forms.Form):
    """The board's filters, from the query string: owner and organization."""

    MINE, NOBODY = "mios", "nadie"

    responsable = forms.ChoiceField(label=_("Responsable"), required=False)
    # A part of the name, not a list: an area works with thousands of organizations, and
    # a <select> of all of them cost a quarter of a second to render (issue 12).
    organizacion = SingleLineFormField(
        label=_("Organización"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nombre o parte del nombre")}),
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsable"].choices = [
            ("", _("Todos")),
            (self.MINE, _("Mis tickets")),
            (self.NOBODY, _("Sin responsable")),
            *((str(member.pk), str(member)) for member in owner_choices(area)),
        ]

    def filter(self, tickets, user):
        """`tickets` narrowed by the valid filters (an invalid one is ignored)."""
        if not self.is_bound:
            return tickets
        self.is_valid()
        data = self.cleaned_data
        owner = data.get("responsable")
        if owner == self.MINE:
            tickets = tickets.owned_by(user)
        elif owner == self.NOBODY:
            tickets = tickets.unassigned()
        elif owner:
            tickets = tickets.filter(owner_id=int(owner))
        if data.get("organizacion"):
            tickets = tickets.filter(organization__name__icontains=data["organizacion"])
        return tickets


@dataclass
class Column:
    stage: Stage
    total: int = 0
    cards: list = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.total - len(self.cards)


def board_tickets(area: Area):
    """The open tickets of `area`: what its board shows.

    The views take `area` from Area.objects.worked_by(user) (anything else is a 404),
    so these are tickets the user sees; selecting them by the area's open stages
    alone, without joining areas, teams and stages, lets the (stage, last activity)
    index answer the column counts.
    """
    return Ticket.objects.filter(stage__in=area.stages.open())


def with_card_fields(tickets):
    """`tickets` with what a card shows: organization, owner, stage and since when the
    ticket is in its stage (its last stage change, else its creation)."""
    return tickets.select_related("organization", "owner", "stage").annotate(
        in_stage_since=Coalesce(F("stage_entered_at"), F("created_at"))
    )


def first_ids_per_stage(tickets, stage_ids: list[int], limit: int) -> list[int]:
    """The ids of the `limit` newest tickets of each stage, in one query.

    PostgreSQL: a UNION ALL of one LIMIT per stage, each served by the (stage, last
    activity) index, so it reads ~limit rows per column whatever the area holds.
    SQLite cannot LIMIT inside a UNION: a ROW_NUMBER() window over the area instead.
    """
    if not stage_ids:
        return []
    ordered = tickets.order_by(*NEWEST_FIRST)
    if connections[tickets.db].features.supports_slicing_ordering_in_compound:
        # A compound query may only ORDER BY selected columns, hence last_activity_at.
        parts = [ordered.filter(stage_id=stage_id).values_list("pk", "last_activity_at")[:limit] for stage_id in stage_ids]
        return [pk for pk, _ in parts[0].union(*parts[1:], all=True)]
    ranked = tickets.annotate(
        rank=Window(RowNumber(), partition_by=F("stage_id"), order_by=[F("last_activity_at").desc(), F("pk").desc()])
    )
    return list(ranked.filter(rank__lte=limit).values_list("pk", flat=True))


def board_columns(area: Area, tickets, *, limit: int = CARDS_PER_COLUMN) -> list[Column]:
    """The area's columns, each with its open-ticket count and its first `limit` cards.

    Four queries whatever the number of tickets: stages, counts, ids, cards.
    """
    columns = {stage.pk: Column(stage) for stage in area.stages.order_by("position")}
    for row in tickets.order_by().values("stage_id").annotate(total=Count("*")):
        if row["stage_id"] in columns:
            columns[row["stage_id"]].total = row["total"]
    open_stage_ids = [pk for pk, column in columns.items() if column.total]
    ids = first_ids_per_stage(tickets, open_stage_ids, limit)
    for ticket in with_card_fields(Ticket.objects.filter(pk__in=ids)).order_by(*NEWEST_FIRST):
        columns[ticket.stage_id].cards.append(ticket)
    return list(columns.values())
