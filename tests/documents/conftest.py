"""Fixtures of the required-documents suite (issue 11.3).

The documents come from the data migration (documents.seed): Gestorías · Integración
expediente asks for Factura, Tarjeta de circulación and Identificación oficial.
"""

import pytest

from documents import services
from documents.models import RequiredDocument
from tests.factories import make_ticket
from tests.files import pdf
from tickets.uploads import validate_upload
from workflows.models import Stage


def stage(name: str, area: str = "gestorias") -> Stage:
    return Stage.objects.get(area__slug=area, name=name)


@pytest.fixture
def expediente(db):
    return stage("Integración expediente")


@pytest.fixture
def requirements(expediente):
    """Factura, Tarjeta de circulación, Identificación oficial, in the stage's order."""
    return list(RequiredDocument.objects.of_stage(expediente.pk))


@pytest.fixture
def factura(requirements):
    return requirements[0]


@pytest.fixture
def ticket(client_a, staff_gestorias, expediente):
    """client_a's Gestorías ticket, in the stage that asks for documents."""
    ticket = make_ticket(requester=client_a, area="gestorias", subject="Alta de placas en Nuevo León")
    ticket.move_to(expediente, by=staff_gestorias)
    return ticket


@pytest.fixture
def send():
    """send(ticket, requirement, by): a client's PDF for `requirement`, through the service."""

    def upload(ticket, requirement, by, name="documento.pdf"):
        return services.document_upload(ticket=ticket, requirement=requirement, upload=validate_upload(pdf(name)), by=by)

    return upload


@pytest.fixture
def all_accepted(ticket, requirements, client_a, staff_gestorias, send):
    for requirement in requirements:
        services.document_review(document=send(ticket, requirement, client_a), accept=True, by=staff_gestorias)
    return ticket
