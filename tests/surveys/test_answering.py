"""The survey page: a signed link, no login, usable once, expiring after 30 days."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from surveys import services
from surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(closed_ticket):
    return Survey.objects.get(ticket=closed_ticket)


def test_the_page_opens_without_login_with_the_rating_from_the_mail(client, survey):
    response = client.get(survey.get_absolute_url(), {"calificacion": "4"})
    assert response.status_code == 200
    assert "¿Cómo le atendimos?" in response.text
    assert 'value="4" required id="id_rating_3" checked' in response.text or 'value="4"' in response.text
    assert response.context["form"].initial["rating"] == "4"


def test_answering_records_rating_and_comment_once(client, survey):
    response = client.post(survey.get_absolute_url(), {"rating": "5", "comment": "  Muy rápidos, gracias.  "})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.rating, survey.comment) == (5, "Muy rápidos, gracias.")
    assert survey.answered_at is not None
    # The link works once: a second answer changes nothing.
    again = client.post(survey.get_absolute_url(), {"rating": "1", "comment": "otra cosa"})
    assert "¡Gracias por su opinión!" in again.text
    survey.refresh_from_db()
    assert survey.rating == 5


def test_a_missing_rating_keeps_the_comment(client, survey):
    response = client.post(survey.get_absolute_url(), {"comment": "Faltó avisarme"})
    assert response.status_code == 400
    assert "Elija una calificación del 1 al 5." in response.text
    assert "Faltó avisarme" in response.text


@pytest.mark.parametrize("rating", ["0", "6", "abc"])
def test_a_rating_outside_1_to_5_is_refused(client, survey, rating):
    assert client.post(survey.get_absolute_url(), {"rating": rating}).status_code == 400
    survey.refresh_from_db()
    assert survey.rating is None


def test_the_link_expires_after_30_days(client, survey):
    link = survey.get_absolute_url()  # as the e-mail carried it
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = client.get(link)
        assert client.post(link, {"rating": "5"}).status_code == 410
    assert response.status_code == 410
    assert "Este enlace ya venció" in response.text
    survey.refresh_from_db()
    assert survey.rating is None


def test_a_forged_or_altered_link_answers_404(client, survey):
    token = survey.token()
    assert client.get(f"/encuesta/{token}x/").status_code == 404
    assert client.get("/encuesta/1/").status_code == 404


def test_the_service_refuses_a_second_answer(survey):
    services.survey_answer(survey=survey, rating=3)
    with pytest.raises(services.SurveyClosedError):
        services.survey_answer(survey=survey, rating=4)


def test_the_page_fits_a_phone(client, survey):
    content = client.get(survey.get_absolute_url()).text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in content
