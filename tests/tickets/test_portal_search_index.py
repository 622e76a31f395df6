"""The subject search uses the trigram index on PostgreSQL (migration 0004)."""

import pytest
from django.db import connection

from tests.factories import make_ticket
from tickets.models import Ticket

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm and GIN indexes exist only on PostgreSQL"),
]


def test_the_search_uses_the_trigram_index(client_a):
    for n in range(30):
        make_ticket(requester=client_a, subject=f"Renovación de póliza {n}")
    # Without the list's ORDER BY, so the plan shows how the filter itself is served.
    queryset = Ticket.objects.search("poliza").order_by()
    with connection.cursor() as cursor:
        # The table is tiny, so tell the planner that a sequential scan is expensive:
        # what we check is that the index *can* serve LIKE '%…%' on subject_search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "ticket_subject_trgm" in plan, plan
