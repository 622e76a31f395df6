"""Realistic bulk data for load tests (issue 10): `manage.py generate_load_data`.

Companies of very different sizes (a Zipf-like spread: at 1 M tickets over 2,000
companies the largest holds about 11,000 tickets, the smallest about 250), 3 to 5
client users each, tickets of the four areas in every stage of their pipelines (about
70 % Cerrado, closed_at and due_at set as Ticket.move_to() would), about 3 timeline entries per
ticket (every 1,000th ticket has 30, for the detail page), Spanish subjects with
accents and vehicle data with valid VINs.

Rows are built in Python from a seeded random generator (the same arguments give the
same data) and streamed with COPY on PostgreSQL, or bulk_create elsewhere (SQLite, for
small sizes in tests). Primary keys are assigned here, so entries can point at their
ticket without a round trip, and the sequences are reset afterwards.

This writes straight to the tables, bypassing Ticket.move_to() and the services on
purpose: it is fixture data for measurements, no e-mail is announced, and the rows it
writes are what those methods would have left behind.
"""

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization
from servicetime.clock import add_business_time
from servicetime.deadlines import working_hours
from servicetime.models import Holiday
from workflows.models import Area, State

from . import page_cache
from .demo import STAFF_REPLIES, SUBJECTS
from .models import Channel, Ticket, TimelineEntry, searchable
from .vehicles import vin_check_digit

LOAD_PASSWORD = "Carga#2026"
# Every 1,000th ticket has a long timeline: the portal's detail page is measured on one.
LONG_TIMELINE_EVERY = 1000
LONG_TIMELINE_ENTRIES = 30
# Entries of an ordinary ticket: 1 to 5, about 3 on average together with the long ones.
ENTRY_COUNTS = (1, 2, 3, 4, 5)
ENTRY_WEIGHTS = (0.12, 0.25, 0.30, 0.20, 0.13)
CLOSED_SHARE = 0.70
# Zipf exponent of company sizes: weight of the n-th company = 1 / n ** ZIPF.
ZIPF = 0.5
HISTORY_DAYS = 3 * 365

COMPANY_KINDS = [
    "Transportes",
    "Autotransportes",
    "Logística",
    "Constructora",
    "Distribuidora",
    "Comercializadora",
    "Fletes",
    "Servicios Industriales",
    "Mudanzas",
    "Refrigerados",
    "Agroindustrias",
    "Grupo",
    "Paquetería",
    "Materiales",
    "Arrendadora",
]
COMPANY_NAMES = [
    "Garza",
    "Treviño",
    "Hernández",
    "Martínez",
    "Peña",
    "Ibáñez",
    "Muñoz",
    "Villarreal",
    "Cantú",
    "Salinas",
    "del Norte",
    "del Bajío",
    "del Pacífico",
    "del Golfo",
    "del Sureste",
    "Azteca",
    "Tonalá",
    "Querétaro",
    "Mérida",
    "Monclova",
    "Sol",
    "Águila",
    "Jalisco",
    "Sinaloa",
    "Potosí",
]
COMPANY_SUFFIXES = ["S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V."]
FIRST_NAMES = [
    "Ana",
    "Luis",
    "María",
    "José",
    "Sofía",
    "Jesús",
    "Mónica",
    "Raúl",
    "Verónica",
    "Andrés",
    "Lucía",
    "Héctor",
    "Begoña",
    "Iñaki",
    "Fernanda",
    "Óscar",
]
LAST_NAMES = [
    "García",
    "Pérez",
    "López",
    "Hernández",
    "Martínez",
    "González",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Muñoz",
    "Núñez",
    "Ibáñez",
    "Gómez",
    "Díaz",
    "Vázquez",
]
VEHICLES = [
    ("Nissan", "NP300 Frontier"),
    ("Nissan", "Versa"),
    ("Chevrolet", "Aveo"),
    ("Chevrolet", "Tornado"),
    ("Volkswagen", "Saveiro"),
    ("Volkswagen", "Jetta"),
    ("Toyota", "Hilux"),
    ("Toyota", "Hiace"),
    ("Ford", "Ranger XL"),
    ("Ford", "Transit"),
    ("RAM", "700"),
    ("Kia", "Rio"),
    ("Isuzu", "ELF 400"),
    ("Hino", "Serie 300"),
]
COLORS = ["Blanco", "Gris", "Plata", "Rojo", "Azul", "Negro", "Arena"]
PLATE_STATES = ["NL", "JAL", "CDMX", "QRO", "SON", "YUC", "GTO", "COA"]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
CLIENT_MESSAGES = [
    "Adjunto la información que nos pidieron. Quedo atento.",
    "¿Tienen alguna actualización sobre este trámite?",
    "Gracias, ya revisé la propuesta y estamos de acuerdo.",
    "La unidad está disponible a partir del lunes en nuestro almacén de Apodaca.",
    "¿Podrían confirmar la fecha estimada de entrega?",
]
INTERNAL_NOTES = [
    "Cliente prioritario; revisar expediente antes de responder.",
    "Se llamó al cliente; confirma los datos de la unidad.",
    "Pendiente validar el pago con tesorería.",
]
CHANNELS = [Channel.PORTAL, Channel.PORTAL, Channel.EMAIL, Channel.EMAIL, Channel.PHONE, Channel.WHATSAPP]

TICKET_COLUMNS = (
    "id",
    "area_id",
    "stage_id",
    "subject",
    "subject_search",
    "description",
    "requester_id",
    "organization_id",
    "owner_id",
    "contact_name",
    "channel",
    "created_at",
    "last_activity_at",
    "closed_at",
    "stage_entered_at",
    "first_response_at",
    "vehicle_brand",
    "vehicle_line",
    "vehicle_year",
    "vehicle_vin",
    "vehicle_color",
    "vehicle_plates",
    "due_at",
)
ENTRY_COLUMNS = ("ticket_id", "kind", "channel", "author_id", "body", "from_stage_id", "to_stage_id", "stage_stay", "created_at")
Kind = TimelineEntry.Kind


@dataclass(frozen=True)
class LoadResult:
    organizations: int
    users: int
    tickets: int
    entries: int
    seconds: float


def company_sizes(tickets: int, companies: int) -> list[int]:
    """Tickets per company, largest first, summing to `tickets` (Zipf-like weights)."""
    weights = [1 / (n + 1) ** ZIPF for n in range(companies)]
    total = sum(weights)
    sizes = [math.floor(tickets * w / total) for w in weights]
    for n in range(tickets - sum(sizes)):
        sizes[n % companies] += 1
    return sizes


def generate(*, tickets: int, companies: int, seed: int = 2026, progress: Callable[[str], None] = print) -> LoadResult:
    """Add `companies` client companies with their users and `tickets` tickets."""
    started = time.monotonic()
    rng = random.Random(seed)
    areas = list(Area.objects.prefetch_related("stages").select_related("team").order_by("position"))
    with transaction.atomic():
        orgs, users_by_org = _companies(rng, companies)
        staff = _staff(areas)
        progress(f"{len(orgs):,} companies, {sum(map(len, users_by_org.values())):,} users")
        sizes = company_sizes(tickets, companies)
        first_ticket_id = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        entries_written = [0]
        ticket_rows = _tickets(rng, areas, orgs, sizes, users_by_org, staff, first_ticket_id, entries_written)
        writer = _copy if connection.vendor == "postgresql" else _bulk_create
        # Tickets and their entries are produced together: the entries wait in a list
        # per batch and are written right after their tickets.
        for done in writer(ticket_rows, tickets):
            progress(f"tickets {done:,}/{tickets:,}, entries {entries_written[0]:,} ({time.monotonic() - started:.0f} s)")
        progress(f"indexes and foreign keys in place ({time.monotonic() - started:.0f} s)")
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Ticket, TimelineEntry]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner, and (outside a transaction: not in tests)
        # the visibility map that lets PostgreSQL answer from indexes alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        progress(command)
        with connection.cursor() as cursor:
            for model in (Ticket, TimelineEntry, get_user_model(), Organization):
                cursor.execute(f"{command} {model._meta.db_table}")
    page_cache.bump()  # rows written by COPY went past Ticket.save(): every list is stale
    return LoadResult(
        organizations=len(orgs),
        users=sum(map(len, users_by_org.values())),
        tickets=tickets,
        entries=entries_written[0],
        seconds=time.monotonic() - started,
    )


def _companies(rng: random.Random, count: int):
    User = get_user_model()
    taken = set(Organization.objects.values_list("name", flat=True))
    combos = [(kind, name) for kind in COMPANY_KINDS for name in COMPANY_NAMES]
    rng.shuffle(combos)
    start = Organization.objects.count()
    names = []
    for n in range(count):
        kind, name = combos[n % len(combos)]
        candidate = f"{kind} {name} {rng.choice(COMPANY_SUFFIXES)}"
        if candidate in taken:
            candidate = f"{kind} {name} {start + n + 1} {rng.choice(COMPANY_SUFFIXES)}"
        taken.add(candidate)
        names.append(candidate)
    orgs = Organization.objects.bulk_create(Organization(name=name) for name in names)
    if not all(org.pk for org in orgs):  # Backends without RETURNING: read them back.
        orgs = list(Organization.objects.filter(name__in=names).order_by("pk"))
    # One hash for every load user: hashing a password costs about half a second.
    password = make_password(LOAD_PASSWORD)
    users = []
    for n, org in enumerate(orgs, start=start + 1):
        for k in range(rng.randint(3, 5)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{searchable(first)}.{searchable(last)}.{k}@cliente{n:04d}.mx".replace(" ", "")
            users.append(User(email=email, first_name=first, last_name=last, organization=org, password=password))
    User.objects.bulk_create(users, batch_size=1000)
    users_by_org = {}
    for user_id, org_id in User.objects.filter(organization__in=orgs).values_list("pk", "organization_id").order_by("pk"):
        users_by_org.setdefault(org_id, []).append(user_id)
    return orgs, users_by_org


def _staff(areas) -> dict[int, int]:
    """One staff member per area (in its team), who writes the replies; area id → user id."""
    User = get_user_model()
    staff = {}
    for area in areas:
        user, _ = User.objects.get_or_create(
            email=f"carga.{area.slug}@jhl.mx",
            defaults={"first_name": "Equipo", "last_name": area.name, "is_staff": True, "password": "!"},
        )
        if area.team:
            user.groups.add(area.team)
        staff[area.pk] = user.pk
    return staff


def _vehicle(rng: random.Random) -> tuple:
    brand, line = rng.choice(VEHICLES)
    draft = "".join(rng.choice(VIN_CHARS) for _ in range(17))
    draft = draft[:8] + "0" + draft[9:]
    vin = draft[:8] + vin_check_digit(draft) + draft[9:]
    plates = f"{rng.choice(PLATE_STATES)}{rng.randint(1000, 9999)}{rng.choice('ABCDEFGH')}"
    return brand, line, rng.randint(2015, 2026), vin, rng.choice(COLORS), plates[:12]


def _tickets(rng, areas, orgs, sizes, users_by_org, staff, next_id, entries_written) -> Iterator[tuple[tuple, list[tuple]]]:
    """(ticket row, its entry rows), company by company."""
    now = timezone.now()
    hours, holidays = working_hours(), Holiday.objects.dates_from(date.min)
    area_weights = [0.30, 0.30, 0.25, 0.15][: len(areas)] + [0.1] * max(0, len(areas) - 4)
    pipelines = []
    for area in areas:
        stages = sorted(area.stages.all(), key=lambda stage: stage.position)
        pipelines.append(
            (
                area,
                [s for s in stages if s.state == State.OPEN],
                [s for s in stages if s.state == State.CLOSED],
                SUBJECTS.get(area.slug) or [(area.name, area.description)],
            )
        )
    ticket_id = next_id
    for org, size in zip(orgs, sizes, strict=True):
        people = users_by_org[org.pk]
        for _ in range(size):
            area, open_stages, closed_stages, subjects = rng.choices(pipelines, area_weights)[0]
            closed = bool(closed_stages) and rng.random() < CLOSED_SHARE
            stage = rng.choice(closed_stages) if closed else rng.choice(open_stages)
            subject, description = rng.choice(subjects)
            vehicle = _vehicle(rng) if area.slug != "tecnologia-it" and rng.random() < 0.8 else ("", "", None, "", "", "")
            if vehicle[0] and rng.random() < 0.5:
                subject = f"{subject} · {vehicle[0]} {vehicle[1]} {vehicle[5]}"
            requester = rng.choice(people)
            channel = rng.choice(CHANNELS)
            created = now - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
            count = LONG_TIMELINE_ENTRIES if ticket_id % LONG_TIMELINE_EVERY == 0 else rng.choices(ENTRY_COUNTS, ENTRY_WEIGHTS)[0]
            entries = _entries(
                rng, ticket_id, count, created, now, requester, staff[area.pk], channel, description, open_stages, stage
            )
            last_activity = entries[-1][-1]
            # What Ticket.move_to() and TimelineEntry.record() would have kept.
            stage_entered = next((e[-1] for e in entries if e[1] == Kind.STAGE_CHANGE), None)
            first_response = next((e[-1] for e in entries if e[1] == Kind.STAFF_REPLY), None)
            # The deadline move_to() would have set (issue 11.2), from the entry into
            # the stage; most open tickets of this long history are overdue.
            due_at = None
            if not closed and stage.target_business_days and not stage.waits_on_client:
                due_at = add_business_time(
                    stage_entered or created, hours.business_days(stage.target_business_days), holidays=holidays, hours=hours
                )
            row = (
                ticket_id,
                area.pk,
                stage.pk,
                subject,
                searchable(subject),
                description,
                requester,
                org.pk,
                # Staff take a ticket once it moves past its first stage.
                staff[area.pk] if stage.pk != open_stages[0].pk else None,
                "",
                channel,
                created,
                last_activity,
                last_activity if closed else None,
                stage_entered,
                first_response,
                *vehicle,
                due_at,
            )
            entries_written[0] += len(entries)
            yield row, entries
            ticket_id += 1


def _entries(rng, ticket_id, count, created, now, requester, staff_id, channel, description, open_stages, stage) -> list[tuple]:
    """The ticket's timeline: the client's first message, then replies, notes and
    messages, and a last stage change into its current stage unless it is the first."""
    span = max(60, min(int((now - created).total_seconds()) - 60, 60 * 86400))
    moments = sorted(created + timedelta(seconds=rng.randint(1, span)) for _ in range(count - 1))
    rows = [(ticket_id, Kind.CLIENT_MESSAGE, channel, requester, description, None, None, None, created)]
    moved = stage.pk != open_stages[0].pk
    for n, moment in enumerate(moments, start=1):
        if moved and n == len(moments):
            # The move into the current stage (Cerrado for closed tickets) is the last event.
            previous = rng.choice([s for s in open_stages if s.pk != stage.pk] or open_stages)
            # Its one stage change: the stay in `previous` counts from the creation.
            stay = moment - created
            rows.append((ticket_id, Kind.STAGE_CHANGE, Channel.INTERNAL, staff_id, "", previous.pk, stage.pk, stay, moment))
            break
        roll = rng.random()
        if roll < 0.45:
            rows.append(
                (ticket_id, Kind.STAFF_REPLY, Channel.EMAIL, staff_id, rng.choice(STAFF_REPLIES), None, None, None, moment)
            )
        elif roll < 0.80:
            rows.append(
                (ticket_id, Kind.CLIENT_MESSAGE, channel, requester, rng.choice(CLIENT_MESSAGES), None, None, None, moment)
            )
        else:
            rows.append(
                (ticket_id, Kind.INTERNAL_NOTE, Channel.INTERNAL, staff_id, rng.choice(INTERNAL_NOTES), None, None, None, moment)
            )
    if moved and len(rows) == 1:
        # A one-entry ticket that left its first stage still records how it got there.
        rows.append(
            (ticket_id, Kind.STAGE_CHANGE, Channel.INTERNAL, staff_id, "", open_stages[0].pk, stage.pk, timedelta(0), created)
        )
    return rows


BATCH = 10_000


def _batches(rows, size=BATCH):
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy(rows, total) -> Iterator[int]:
    """Stream the rows with COPY (psycopg 3), yielding the tickets written so far.

    The two tables' secondary indexes and foreign keys are dropped for the load and
    rebuilt at the end (inside the same transaction, so a failure leaves them as they
    were): building an index once is several times faster than updating it row by row,
    and one validating join replaces millions of deferred foreign-key checks.
    """
    done = 0
    tables = [Ticket._meta.db_table, TimelineEntry._meta.db_table]
    ticket_sql = f"COPY {tables[0]} ({', '.join(TICKET_COLUMNS)}) FROM STDIN"
    entry_sql = f"COPY {tables[1]} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor:
        rebuild = _drop_indexes_and_foreign_keys(cursor, tables)
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        for batch in _batches(rows, BATCH * 5):
            with raw.copy(ticket_sql) as copy:
                for ticket, _entries in batch:
                    copy.write_row(ticket)
            with raw.copy(entry_sql) as copy:
                for _ticket, entries in batch:
                    for entry in entries:
                        copy.write_row(entry)
            done += len(batch)
            if done % 100_000 < BATCH * 5 or done == total:
                yield done
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in rebuild:
            cursor.execute(sql)


def _drop_indexes_and_foreign_keys(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys and the indexes no constraint owns; return the
    statements that recreate them."""
    # The users and companies just inserted have deferred checks pending, and a table
    # with pending trigger events cannot be altered: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in foreign_keys
    ]


def _bulk_create(rows, total) -> Iterator[int]:
    done = 0
    for batch in _batches(rows, 2000):
        Ticket.objects.bulk_create(Ticket(**dict(zip(TICKET_COLUMNS, ticket, strict=True))) for ticket, _ in batch)
        TimelineEntry.objects.bulk_create(
            (TimelineEntry(**dict(zip(ENTRY_COLUMNS, entry, strict=True))) for _, entries in batch for entry in entries),
            batch_size=2000,
        )
        done += len(batch)
        yield done
