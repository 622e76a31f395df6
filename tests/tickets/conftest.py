import pytest


@pytest.fixture
def logged_in(client, client_a):
    """The test client, logged in as client_a (Transportes del Norte)."""
    client.force_login(client_a)
    return client
