"""The subject search is served by an index on PostgreSQL (migration 0004) and by
the same normalised column on SQLite, where no trigram index exists."""

import pytest
from django.db import connection

from tests.factories import make_ticket
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_search_uses_the_trigram_index_on_postgresql(client_a):
    for n in range(30):
        make_ticket(requester=client_a, subject=f"Renovación de póliza {n}")
    # Without the list's ORDER BY, so the plan shows how the filter itself is served.
    queryset = Ticket.objects.search("poliza").order_by()
    assert queryset.count() == 30
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
        if connection.vendor != "postgresql":
            # Migration 0004 only applies on PostgreSQL; elsewhere the search still
            # reads the normalised column, through LIKE.
            assert "ticket_subject_trgm" not in indexes
            assert '"subject_search" LIKE' in str(queryset.query)
            return
        assert "ticket_subject_trgm" in indexes
        # The table is tiny, so tell the planner that a sequential scan is expensive:
        # what we check is that the index *can* serve LIKE '%…%' on subject_search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "ticket_subject_trgm" in plan, plan
