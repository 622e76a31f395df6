"""Personas of the staff workspace: a second Seguros team member besides the suite's."""

import pytest

from tests.factories import StaffFactory, make_ticket


@pytest.fixture
def teammate_seguros(db):
    """Another member of the Seguros team, to own tickets."""
    return StaffFactory(email="rosa@jhl.mx", first_name="Rosa", last_name="Téllez", areas=["seguros"])


@pytest.fixture
def seguros_admin(client, staff_seguros):
    client.force_login(staff_seguros)
    return client


@pytest.fixture
def gestoria_ticket(client_a):
    """A Gestorías ticket of client_a: none of the Seguros team's business."""
    return make_ticket(requester=client_a, area="gestorias", subject="Pago de tenencia 2026")


# The e-mail suite's fixtures: commit a block (on_commit fires), run the mail worker.
from tests.emails.conftest import committed, deliver  # noqa: E402, F401
