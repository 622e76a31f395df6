"""A changelist paginator that does not COUNT a million rows on every page load."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this estimate an exact COUNT is cheap enough to run.
EXACT_COUNT_LIMIT = 50_000


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list uses the planner's row estimate.

    Filtered lists (an area, a search) are counted exactly: the filters hit indexes,
    and staff expect the exact number of what they searched for.
    """

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = _estimated_rows(self.object_list)
            if estimate is not None and estimate > EXACT_COUNT_LIMIT:
                return estimate
        return super().count


def _estimated_rows(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [queryset.model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else None
