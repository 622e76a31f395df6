"""Benchmark: the staff admin's ticket list and the client portal with a million
tickets (issues 2 and 5).

Fills a dedicated PostgreSQL database with N tickets (default 1,000,000) spread over
the four areas, two organizations and 1,000 clients, then times the admin changelist
pages staff use most, each several times, and prints the median time and the number of
SQL queries per page.

    createdb jhl_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jhl_bench .venv/bin/python bench/admin_changelist.py --tickets 1000000

Filling is done once: a second run with the same --tickets reuses the rows.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jhl_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Organization  # noqa: E402
from tickets.models import Ticket  # noqa: E402
from workflows.models import Area  # noqa: E402

SUBJECTS = ["Renovación de póliza", "Verificación vehicular", "Choque en estacionamiento", "Pago de tenencia", "Acceso al portal"]
PORTAL_PAGES = [
    ("portal: Mis tickets", "/portal-de-clientes/"),
    ("portal: organización (500k)", "/portal-de-clientes/?ver=organizacion"),
    ("portal: org + search 'poliza'", "/portal-de-clientes/?ver=organizacion&q=poliza"),
    ("portal: org + Abierto", "/portal-de-clientes/?ver=organizacion&estado=abierto"),
    ("portal: org, page 400", "/portal-de-clientes/?ver=organizacion&pagina=400"),
    ("portal: ticket detail", "/portal-de-clientes/{number}/"),
]
PAGES = [
    ("list, superuser", "superuser", ""),
    ("list, filtered by area", "superuser", "?area__id__exact={area}"),
    ("list, open tickets", "superuser", "?state=open"),
    ("search by number", "superuser", "?q={number}"),
    ("search by subject", "superuser", "?q=poliza"),
    ("list, Seguros staff", "staff", ""),
    ("page 500", "superuser", "?p=500"),
]


def fill(total: int) -> None:
    """Insert tickets with one INSERT … SELECT generate_series (seconds, not minutes)."""
    call_command("migrate", verbosity=0)
    existing = Ticket.objects.count()
    if existing >= total:
        print(f"reusing {existing:,} tickets")
        return
    User = get_user_model()
    orgs = [Organization.objects.get_or_create(name=name)[0] for name in ("Bench Norte", "Bench Sol")]
    if not User.objects.filter(email__startswith="bench").exists():
        User.objects.bulk_create(
            User(email=f"bench{i}@cliente.mx", first_name="Cliente", last_name=str(i), organization=orgs[i % 2], password="!")
            for i in range(1000)
        )
    first_user = User.objects.filter(email__startswith="bench").order_by("pk").first().pk
    areas = list(Area.objects.prefetch_related("stages"))
    stage_ids = [s.pk for a in areas for s in a.stages.all()]
    stage_area = {s.pk: a.pk for a in areas for s in a.stages.all()}
    stage_org = orgs[0].pk, orgs[1].pk
    subjects = "ARRAY[" + ",".join(f"'{s}'" for s in SUBJECTS) + "]"
    stages_array = "ARRAY[" + ",".join(map(str, stage_ids)) + "]"
    areas_array = "ARRAY[" + ",".join(str(stage_area[s]) for s in stage_ids) + "]"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO tickets_ticket (area_id, stage_id, subject, subject_search, description, requester_id,
                organization_id, contact_name, channel, created_at, last_activity_at, vehicle_brand, vehicle_line,
                vehicle_vin, vehicle_color, vehicle_plates)
            SELECT ({areas_array})[1 + g % {len(stage_ids)}], ({stages_array})[1 + g % {len(stage_ids)}],
                   ({subjects})[1 + g % 5] || ' ' || g, lower(({subjects})[1 + g % 5]) || ' ' || g, 'Benchmark',
                   {first_user} + g % 1000, (ARRAY[{stage_org[0]}, {stage_org[1]}])[1 + (g % 1000) % 2], '', 'portal',
                   now() - (g || ' minutes')::interval, now() - (g || ' seconds')::interval, '', '', '', '', ''
            FROM generate_series({existing + 1}, {total}) AS g
            """
        )
        cursor.execute(
            "UPDATE tickets_ticket SET subject_search = translate(subject_search, 'áéíóú', 'aeiou') WHERE id > %s", [existing]
        )
        cursor.execute("VACUUM ANALYZE")
    print(f"inserted {total - existing:,} tickets in {time.perf_counter() - started:.1f} s")


def _time(client, url, repeats):
    times, queries = [], 0
    client.get(url, HTTP_HOST="127.0.0.1")  # warm caches
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def measure(repeats: int) -> None:
    User = get_user_model()
    superuser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-admin@jhl.mx", "x")
    staff, _ = User.objects.get_or_create(
        email="bench-seguros@jhl.mx", defaults={"is_staff": True, "first_name": "S", "last_name": "S"}
    )
    staff.groups.add(Area.objects.get(slug="seguros").team)
    clients = {"superuser": Client(), "staff": Client()}
    clients["superuser"].force_login(superuser)
    clients["staff"].force_login(staff)
    params = {
        "area": Area.objects.get(slug="siniestros").pk,
        "number": Ticket.objects.order_by("-pk").values_list("pk", flat=True)[5000],
    }
    print(f"{'page':32} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, who, query in PAGES:
        median, worst, queries = _time(clients[who], "/admin/tickets/ticket/" + query.format(**params), repeats)
        print(f"{label:32} {median:10.0f} {worst:8.0f} {queries:8d}")
    # The client portal, as a client of an organization that holds half the tickets.
    bench_client = User.objects.filter(email="bench0@cliente.mx").first()
    portal = Client()
    portal.force_login(bench_client)
    params["number"] = Ticket.objects.filter(requester=bench_client).values_list("pk", flat=True).first()
    for label, url in PORTAL_PAGES:
        median, worst, queries = _time(portal, url.format(**params), repeats)
        print(f"{label:32} {median:10.0f} {worst:8.0f} {queries:8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL=postgres://…/jhl_bench")
    fill(args.tickets)
    measure(args.repeats)


if __name__ == "__main__":
    main()
