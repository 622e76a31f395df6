"""Benchmark: the staff workspace (issue 12) at a million tickets: the area board and
the area reports, with the query plans of the reports.

Fills a PostgreSQL database with `manage.py generate_load_data` like
bench/admin_changelist.py and bench/portal_load.py (the same data serves all three:
tickets in every stage with about three timeline entries each, stage changes and staff
replies among them). Then it times, as a member of the Seguros team (a quarter of the
tickets):

- the Seguros board, unfiltered and filtered, and a column's page 100;
- the Seguros report page for 12 and 52 weeks, and its CSV;

and prints each report query's EXPLAIN, failing if one reads a whole big table.

    createdb jhl_bench_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jhl_bench_1m .venv/bin/python bench/workspace_reports.py --tickets 1000000

Filling is done once: a second run reuses the rows.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from admin_changelist import _time, fill  # noqa: E402  (sets Django up)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tickets.models import Ticket  # noqa: E402
from workflows.models import Area  # noqa: E402
from workspace import reports  # noqa: E402

BIG_TABLES = ("tickets_ticket", "tickets_timelineentry")


def explain_reports(area: Area) -> None:
    start = reports.period_start(52)
    tickets = Ticket.objects.filter(area=area)
    queries = {
        "opened per week": reports.weekly_counts(tickets.filter(created_at__gte=start), "created_at"),
        "closed per week": reports.weekly_counts(tickets.filter(closed_at__gte=start), "closed_at"),
        "open per stage": reports.open_per_stage([s.pk for s in area.stages.open()]),
        "time in stage": reports.stage_stays(area, start)
        .order_by()
        .values("from_stage")
        .annotate(spread=reports.MedianAndP90("stay")),
        "first response": reports.first_responses(area, start),
    }
    failures = []
    for name, query in queries.items():
        plan = query.explain()
        print(f"\n--- EXPLAIN {name}\n{plan}")
        failures += [f"{name}: Seq Scan on {table}" for table in BIG_TABLES if f"Seq Scan on {table}" in plan]
    if failures:
        sys.exit("A report query reads a whole big table:\n" + "\n".join(failures))
    print("\nEXPLAIN check: no report query scans tickets_ticket or tickets_timelineentry whole.")


def measure(repeats: int) -> None:
    seguros = Area.objects.get(slug="seguros")
    staff, _ = get_user_model().objects.get_or_create(
        email="bench-seguros@jhl.mx", defaults={"is_staff": True, "first_name": "S", "last_name": "S"}
    )
    staff.groups.add(seguros.team)
    client = Client()
    client.force_login(staff)
    board = reverse("workspace:board", args=["seguros"])
    first_stage = seguros.first_stage().pk
    # The organization with the most Seguros tickets: the filter that keeps the most cards.
    org = Ticket.objects.filter(area=seguros).values("organization__name").annotate(n=Count("*")).order_by("-n")[0]
    org = quote(org["organization__name"])  # the board's filter takes a part of the name
    report = reverse("workspace:report", args=["seguros"])
    pages = [
        ("board", board),
        ("board, Sin responsable", f"{board}?responsable=nadie"),
        ("board, one organization", f"{board}?organizacion={org}"),
        ("board column, page 100", reverse("workspace:board_column", args=["seguros", first_stage]) + "?pagina=100"),
        ("report, 12 weeks", f"{report}?semanas=12"),
        ("report, 52 weeks", f"{report}?semanas=52"),
        ("report CSV, 52 weeks", reverse("workspace:report_csv", args=["seguros"]) + "?semanas=52"),
    ]
    open_in_area = Ticket.objects.filter(area=seguros).open().count()
    print(f"\nSeguros: {Ticket.objects.filter(area=seguros).count():,} tickets, {open_in_area:,} open")
    print(f"{'page':32} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, url in pages:
        median, worst, queries = _time(client, url, repeats)
        print(f"{label:32} {median:10.0f} {worst:8.0f} {queries:8d}")
    explain_reports(seguros)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL=postgres://…/jhl_bench_1m")
    fill(args.tickets)
    measure(args.repeats)


if __name__ == "__main__":
    main()
