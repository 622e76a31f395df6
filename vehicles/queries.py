"""Reads about vehicles: a leasing client thinks in vehicles, the desk in tickets.

A vehicle is its VIN (Número de Serie) or, on tickets without a VIN, its plates; these
functions group and filter a ticket queryset the caller has already limited to what
the user may see (Ticket.objects.visible_to), so the portal and the admin share them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, CharField, Count, F, Max, Q, Value, When
from django.urls import reverse

from tickets.models import Ticket
from workflows.models import State


@dataclass
class Vehicle:
    vin: str
    plates: str
    brand: str = ""
    line: str = ""
    year: int | None = None
    color: str = ""
    tickets: int = 0
    open_tickets: int = 0
    last_activity_at: datetime | None = None

    @property
    def lookup(self) -> dict:
        """The URL keywords of this vehicle's page: by VIN, or by plates without one."""
        return {"vin": self.vin} if self.vin else {"plates": self.plates}

    def url(self, namespace: str = "vehicles") -> str:
        name = "vehicle_by_vin" if self.vin else "vehicle_by_plates"
        return reverse(f"{namespace}:{name}", kwargs=self.lookup)

    @property
    def new_ticket_query(self) -> str:
        return f"vin={self.vin}" if self.vin else f"placas={self.plates}"

    @property
    def name(self) -> str:
        return " ".join(str(part) for part in (self.brand, self.line, self.year) if part)


def vehicle_tickets(tickets, *, vin: str = "", plates: str = ""):
    """The tickets about one vehicle, newest first: those with its VIN, or (for a vehicle
    known only by its plates) those with these plates and no VIN."""
    if vin:
        tickets = tickets.filter(vehicle_vin=vin)
    elif plates:
        tickets = tickets.filter(vehicle_vin="", vehicle_plates=plates)
    else:
        return tickets.none()
    return tickets.order_by("-created_at", "-pk")


def vehicles_in(tickets, *, search: str = "") -> list[Vehicle]:
    """Every vehicle the tickets mention, most recently active first, each with its
    latest ticket's data. Two queries whatever the number of tickets or vehicles."""
    tickets = tickets.exclude(vehicle_vin="", vehicle_plates="")
    if search:
        term = search.strip().replace(" ", "").replace("-", "").upper()
        tickets = tickets.filter(Q(vehicle_vin__contains=term) | Q(vehicle_plates__contains=term))
    groups = list(
        tickets.annotate(
            key_plates=Case(When(vehicle_vin="", then=F("vehicle_plates")), default=Value(""), output_field=CharField())
        )
        .values("vehicle_vin", "key_plates")
        .annotate(
            count=Count("pk"),
            open_count=Count("pk", filter=Q(stage__state=State.OPEN)),
            last=Max("last_activity_at"),
            latest_pk=Max("pk"),
        )
        .order_by("-last", "vehicle_vin", "key_plates")
    )
    latest = Ticket.objects.in_bulk([group["latest_pk"] for group in groups])
    vehicles = []
    for group in groups:
        ticket = latest[group["latest_pk"]]
        vehicles.append(
            Vehicle(
                vin=group["vehicle_vin"],
                plates=group["key_plates"] or ticket.vehicle_plates,
                brand=ticket.vehicle_brand,
                line=ticket.vehicle_line,
                year=ticket.vehicle_year,
                color=ticket.vehicle_color,
                tickets=group["count"],
                open_tickets=group["open_count"],
                last_activity_at=group["last"],
            )
        )
    return vehicles


def vehicle_from(tickets: list[Ticket], *, vin: str = "", plates: str = "") -> Vehicle:
    """The vehicle as its tickets describe it: each field from the newest ticket that has it."""

    def newest(field):
        return next((getattr(t, field) for t in tickets if getattr(t, field)), None)

    return Vehicle(
        vin=vin,
        plates=plates or newest("vehicle_plates") or "",
        brand=newest("vehicle_brand") or "",
        line=newest("vehicle_line") or "",
        year=newest("vehicle_year"),
        color=newest("vehicle_color") or "",
        tickets=len(tickets),
        open_tickets=sum(not t.is_closed for t in tickets),
        last_activity_at=max((t.last_activity_at for t in tickets), default=None),
    )


def new_ticket_initial(tickets, params) -> dict:
    """The vehicle fields of the new-ticket form, from the newest ticket (that the user
    may see) about the vehicle named in `params` (?vin=… or ?placas=…)."""
    vin, plates = params.get("vin", "").strip().upper(), params.get("placas", "").strip().upper()
    if not (vin or plates):
        return {}
    known = vehicle_tickets(tickets, vin=vin, plates=plates).values(*Ticket.VEHICLE_FIELDS).first()
    if known is None:
        return {}
    return {field: value for field, value in known.items() if value}
