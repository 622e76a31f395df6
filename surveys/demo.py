"""Demo surveys (README's demo data): the closed demo tickets were surveyed, most answered."""

from tickets.models import Ticket

from .services import survey_answer, survey_create

ANSWERS = [
    (5, "Muy rápidos y siempre nos avisaron del avance. ¡Gracias!"),
    (4, "Buena atención; la cita tardó un poco en confirmarse."),
    (3, ""),
]


def seed_surveys() -> int:
    """Survey each closed demo ticket once and answer all but the last; return how many
    surveys were created (0 on a second run)."""
    created = 0
    closed = Ticket.objects.closed().exclude(survey__isnull=False).select_related("requester").order_by("closed_at", "pk")
    for index, ticket in enumerate(closed):
        survey = survey_create(ticket=ticket, at=ticket.closed_at)
        if survey is None:
            continue
        created += 1
        if index < len(ANSWERS):
            rating, comment = ANSWERS[index]
            survey_answer(survey=survey, rating=rating, comment=comment, at=ticket.closed_at)
    return created
