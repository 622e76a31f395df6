"""Reports per area: weekly counts, open per stage, time in stage, first response; the
SVG page, the CSV, the query count and the plans' use of the indexes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_ticket
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry
from tickets.stage_times import fill_stage_times
from workflows.models import Area, Stage
from workspace import reports

Kind = TimelineEntry.Kind
REPORT = reverse("workspace:report", args=["seguros"])
CSV = reverse("workspace:report_csv", args=["seguros"])


def stage(name, area="seguros"):
    return Stage.objects.get(area__slug=area, name=name)


def reply(ticket, author, at):
    services.entry_add(ticket=ticket, kind=Kind.STAFF_REPLY, author=author, body="Listo", channel=Channel.EMAIL, created_at=at)


@pytest.fixture
def history(client_a, staff_seguros, gestoria_ticket):
    """Three Seguros tickets with known stays and replies (and a Gestorías one)."""
    now = timezone.now()
    day, hour = timedelta(days=1), timedelta(hours=1)
    first = make_ticket(requester=client_a, subject="Uno", created_at=now - 10 * day)
    first.move_to(stage("Cotización"), by=staff_seguros, at=now - 8 * day)  # 2 days in Abierto
    first.move_to(stage("Aprobación"), by=staff_seguros, at=now - 5 * day)  # 3 days in Cotización
    reply(first, staff_seguros, now - 10 * day + 4 * hour)
    second = make_ticket(requester=client_a, subject="Dos", created_at=now - 6 * day)
    second.move_to(stage("Cotización"), by=staff_seguros, at=now - 5 * day)  # 1 day in Abierto
    second.move_to(stage("Cerrado"), by=staff_seguros, at=now - 1 * day)  # 4 days in Cotización
    reply(second, staff_seguros, now - 6 * day + 2 * hour)
    reply(second, staff_seguros, now - 2 * day)  # not the first: ignored
    make_ticket(requester=client_a, subject="Tres", created_at=now - 3 * day)  # unanswered
    gestoria_ticket.move_to(stage("Verificaciones", "gestorias"), by=staff_seguros, at=now)
    return first, second


def approx(value: timedelta, expected: timedelta):
    return abs(value - expected) < timedelta(seconds=1)


class TestFigures:
    def test_percentile_cont_interpolates_like_sql(self):
        assert reports.percentile_cont([], 0.5) is None
        assert reports.percentile_cont([4], 0.9) == 4
        assert reports.percentile_cont([1, 2, 3, 4], 0.5) == 2.5
        assert reports.percentile_cont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)

    def test_the_area_report(self, history):
        report = reports.area_report(Area.objects.get(slug="seguros"), weeks=4)
        assert sum(row.opened for row in report.per_week) == 3
        assert sum(row.closed for row in report.per_week) == 1
        assert len(report.per_week) == 4 and report.per_week[0].week.weekday() == 0

        rows = {row.stage.name: row for row in report.per_stage}
        assert (rows["Abierto"].open_now, rows["Aprobación"].open_now, rows["Cerrado"].open_now) == (1, 1, 0)
        day, hour = timedelta(days=1), timedelta(hours=1)
        abierto, cotizacion = rows["Abierto"].stays, rows["Cotización"].stays
        assert abierto.count == 2 and approx(abierto.median, 1.5 * day) and approx(abierto.p90, 1.9 * day)
        assert cotizacion.count == 2 and approx(cotizacion.median, 3.5 * day) and approx(cotizacion.p90, 3.9 * day)
        assert rows["Aprobación"].stays.count == 0 and rows["Aprobación"].stays.median is None

        assert report.first_response.count == 2 and report.unanswered == 1
        assert approx(report.first_response.median, 3 * hour) and approx(report.first_response.p90, 3.8 * hour)

    def test_old_weeks_fall_outside_the_period(self, client_a, staff_seguros):
        make_ticket(requester=client_a, subject="Viejo", created_at=timezone.now() - timedelta(weeks=6))
        assert sum(r.opened for r in reports.area_report(Area.objects.get(slug="seguros"), weeks=4).per_week) == 0
        assert sum(r.opened for r in reports.area_report(Area.objects.get(slug="seguros"), weeks=12).per_week) == 1

    def test_the_query_count_does_not_grow_with_the_tickets(self, history, client_a, staff_seguros, django_assert_num_queries):
        seguros = Area.objects.get(slug="seguros")
        with django_assert_num_queries(6):
            reports.area_report(seguros)
        for i in range(10):
            ticket = make_ticket(requester=client_a, subject=f"Más {i}")
            ticket.move_to(stage("Emisión"), by=staff_seguros)
            reply(ticket, staff_seguros, timezone.now())
        with django_assert_num_queries(6):
            reports.area_report(seguros)


class TestStageTimes:
    """The columns the reports read are kept as the timeline is written, and the
    migration's backfill (tickets.stage_times) computes the same from the timeline."""

    def test_moves_and_replies_keep_them(self, history, staff_seguros):
        first, second = (Ticket.objects.get(pk=ticket.pk) for ticket in history)
        now, day, hour = timezone.now(), timedelta(days=1), timedelta(hours=1)
        assert approx(first.stage_entered_at, now - 5 * day) and approx(second.stage_entered_at, now - 1 * day)
        assert approx(first.first_response_at, first.created_at + 4 * hour)
        changes = TimelineEntry.objects.filter(ticket=second, kind=Kind.STAGE_CHANGE).order_by("created_at")
        assert [stay / day for stay in changes.values_list("stage_stay", flat=True)] == [1, 4]
        # A later reply leaves the first one; an earlier one (an import) takes its place.
        reply(second, staff_seguros, now)
        assert Ticket.objects.get(pk=second.pk).first_response_at == second.first_response_at
        reply(second, staff_seguros, second.created_at + hour)
        assert Ticket.objects.get(pk=second.pk).first_response_at == second.created_at + hour

    def test_the_backfill_computes_them_from_the_timeline(self, history):
        def snapshot():
            return (
                sorted(Ticket.objects.values_list("pk", "stage_entered_at", "first_response_at")),
                sorted(TimelineEntry.objects.filter(kind=Kind.STAGE_CHANGE).values_list("pk", "stage_stay")),
            )

        kept = snapshot()
        Ticket.objects.update(stage_entered_at=None, first_response_at=None)
        TimelineEntry.objects.update(stage_stay=None)
        fill_stage_times(Ticket, TimelineEntry)
        assert snapshot() == kept
        assert all(stay is not None for _, stay in kept[1]) and any(first for _, _, first in kept[0])


class TestPlans:
    """The reports' queries reach the big tables through indexes, not by reading them
    whole. With sequential scans priced out (PostgreSQL) a Seq Scan left in a plan
    means no index can serve the query; SQLite names the index it searches."""

    @pytest.fixture
    def plans(self, history):
        seguros = Area.objects.get(slug="seguros")
        start = reports.period_start(12)
        tickets = reports.Ticket.objects.filter(area=seguros)
        queries = {
            "opened": reports.weekly_counts(tickets.filter(created_at__gte=start), "created_at"),
            "closed": reports.weekly_counts(tickets.filter(closed_at__gte=start), "closed_at"),
            "open_now": reports.open_per_stage([s.pk for s in seguros.stages.open()]),
            "stays": reports.stage_stays(seguros, start),
            "first_response": reports.first_responses(seguros, start),
        }
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        return {name: query.explain() for name, query in queries.items()}

    def test_no_query_reads_a_whole_big_table(self, plans):
        for name, plan in plans.items():
            for table in ("tickets_ticket", "tickets_timelineentry"):
                assert f"Seq Scan on {table}" not in plan, (name, plan)
                assert f"SCAN {table}\n" not in plan + "\n" and not plan.rstrip().endswith(f"SCAN {table}"), (name, plan)

    def test_each_query_reads_through_an_index(self, plans):
        for name, plan in plans.items():
            assert "Index" in plan or "USING INDEX" in plan or "USING COVERING INDEX" in plan, (name, plan)
        # Which index serves which part depends on the tables' sizes on tiny test data
        # (bench/workspace_reports.py checks the plans at a million tickets); the
        # period's stage changes are always found through their own index.
        assert "entry_stage_change_stay" in plans["stays"]


class TestPages:
    def test_the_report_page_draws_svg_charts(self, seguros_admin, history):
        response = seguros_admin.get(REPORT, {"semanas": "4"})
        page = response.content.decode()
        assert page.count('<svg class="chart"') == 3
        assert 'class="bar-opened"' in page and 'class="bar-median"' in page
        assert "style=" not in page.split('<div id="content"')[1]
        assert response.context["report"].weeks == 4
        assert seguros_admin.get(REPORT, {"semanas": "9999"}).context["report"].weeks == reports.DEFAULT_PERIOD

    def test_the_csv_has_the_same_numbers(self, seguros_admin, history):
        response = seguros_admin.get(CSV, {"semanas": "4"})
        assert response["Content-Type"].startswith("text/csv")
        assert 'attachment; filename="reporte-seguros-' in response["Content-Disposition"]
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "Semana (lunes),Abiertos,Cerrados"
        assert "Cotización,0,2,84.0,93.6" in lines
        assert lines[-1] == ",2,1,3.0,3.8"

    def test_a_seguros_member_cannot_report_on_gestorias(self, seguros_admin, history):
        assert seguros_admin.get(reverse("workspace:report", args=["gestorias"])).status_code == 404
        assert seguros_admin.get(reverse("workspace:report_csv", args=["gestorias"])).status_code == 404

    def test_a_formula_in_a_stage_name_is_not_run_by_a_spreadsheet(self, seguros_admin):
        Stage.objects.filter(area__slug="seguros", name="Emisión").update(name="=HYPERLINK(1)")
        assert "'=HYPERLINK(1)" in seguros_admin.get(CSV).content.decode("utf-8-sig")
