import pytest

from tests.factories import make_ticket


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed (its on-commit callbacks, such as
    the survey e-mail's delivery task, run)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def close(committed, staff_seguros):
    """close(ticket): move it to its area's Cerrado stage as staff do, committed."""

    def run(ticket):
        return committed(ticket.move_to, ticket.area.stages.closed().get(), by=staff_seguros)

    return run


@pytest.fixture
def reopen(committed, staff_seguros):
    def run(ticket):
        return committed(ticket.move_to, ticket.area.first_stage(), by=staff_seguros)

    return run


@pytest.fixture
def closed_ticket(client_a, close):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza de flotilla")
    close(ticket)
    return ticket
