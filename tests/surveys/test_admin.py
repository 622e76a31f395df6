"""Survey results in admin: per area and month, an SVG chart, the comments."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from surveys import reports, services
from surveys.models import Survey
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
RESULTS = reverse("admin:surveys_survey_results")


@pytest.fixture
def answered(client_a, client_b):
    """Seguros: two answers in October (5 and 3) and one pending in November;
    Gestorías: one answer in November (4)."""
    made = []
    for area, sent, rating, comment in [
        ("seguros", datetime(2026, 10, 5, 12, tzinfo=MX), 5, "Excelente atención"),
        ("seguros", datetime(2026, 10, 31, 23, 30, tzinfo=MX), 3, ""),
        ("seguros", datetime(2026, 11, 2, 9, tzinfo=MX), None, ""),
        ("gestorias", datetime(2026, 11, 10, 9, tzinfo=MX), 4, "Tardaron con la cita <b>pero</b> bien"),
    ]:
        ticket = make_ticket(requester=client_a, area=area, subject=f"Ticket {area} {sent:%d%m}")
        survey = services.survey_create(ticket=ticket, at=sent)
        if rating:
            services.survey_answer(survey=survey, rating=rating, comment=comment)
        made.append(survey)
    return made


def test_results_are_per_area_and_month_in_mexico_city_time(answered):
    rows = [
        (r.month.astimezone(MX).strftime("%Y-%m"), r.area, r.sent, r.answered, r.average)
        for r in reports.results(Survey.objects.all())
    ]
    # 31 Oct 23:30 in Mexico City is already November in UTC: it still counts for October.
    assert rows == [
        ("2026-11", "Gestorías", 1, 1, 4.0),
        ("2026-11", "Seguros", 1, 0, None),
        ("2026-10", "Seguros", 2, 2, 4.0),
    ]


def test_the_chart_draws_one_bar_per_answered_month_and_area(answered):
    chart = reports.chart(reports.results(Survey.objects.all()))
    assert len(chart["bars"]) == 2
    assert [item["area"] for item in chart["legend"]] == ["Gestorías", "Seguros"]
    assert all(bar["height"] == pytest.approx((260 - 12 - 36) * 4 / 5, abs=0.2) for bar in chart["bars"])


def test_no_answers_no_chart(db):
    assert reports.chart([]) is None


def test_the_results_page_shows_chart_table_and_comments(client, superuser, answered, django_assert_max_num_queries):
    client.force_login(superuser)
    with django_assert_max_num_queries(8):
        response = client.get(RESULTS)
    content = response.text
    assert response.status_code == 200
    figure = content[content.index('<figure class="survey-chart">') : content.index("</figure>")]
    # Drawn by the server: rectangles, no script (the CSP would refuse one anyway).
    assert figure.count("<rect") == 2 + 2 and "<script" not in figure and "style=" not in figure
    assert "Excelente atención" in content
    assert "Tardaron con la cita &lt;b&gt;pero&lt;/b&gt; bien" in content
    assert "octubre 2026" in content.lower()


def test_staff_see_only_their_areas(client, staff_seguros, answered):
    client.force_login(staff_seguros)
    content = client.get(RESULTS).text
    assert "Excelente atención" in content
    assert "Tardaron con la cita" not in content
    changelist = client.get(reverse("admin:surveys_survey_changelist")).text
    assert "Ticket seguros" in changelist and "Ticket gestorias" not in changelist


def test_clients_cannot_see_results(client, client_a, answered):
    client.force_login(client_a)
    assert client.get(RESULTS).status_code == 302
