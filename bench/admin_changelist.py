"""Benchmark: the staff admin's ticket list with a million tickets (issues 2 and 5).

Fills a dedicated PostgreSQL database with N tickets (default 1,000,000) through
`manage.py generate_load_data`, then times the admin changelist pages staff use most,
each several times, and prints the median time and the number of SQL queries per page.
The client portal under concurrent load is bench/portal_load.py's (issue 10).

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

from tickets.models import Ticket  # noqa: E402
from workflows.models import Area  # noqa: E402

PAGES = [
    ("list, superuser", "superuser", ""),
    ("list, filtered by area", "superuser", "?area__id__exact={area}"),
    ("list, open tickets", "superuser", "?state=open"),
    ("search by number", "superuser", "?q={number}"),
    ("search by subject", "superuser", "?q=poliza"),
    ("list, Seguros staff", "staff", ""),
    ("page 500", "superuser", "?p=500"),
    # Issue 11.2: the deadline filter (the default order is every page's).
    ("Plazo: Vencidos", "superuser", "?plazo=vencidos"),
    ("Plazo: Vencen hoy, Seguros staff", "staff", "?plazo=hoy"),
]


def fill(total: int) -> None:
    """Fill with `manage.py generate_load_data` unless the tickets are there already."""
    call_command("migrate", verbosity=0)
    existing = Ticket.objects.count()
    if existing >= total:
        print(f"reusing {existing:,} tickets")
        return
    missing = total - existing
    call_command("generate_load_data", tickets=missing, companies=max(1, min(2000, missing // 500)))


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
