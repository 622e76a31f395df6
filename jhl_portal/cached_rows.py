"""Rows that change a few times a year but are read by every request of some kind (the
pipelines by each new ticket and list, the rest days by each deadline), kept in the
cache: Redis in production, shared by every machine (issue 10).

Whoever changes the rows forgets the key (a signal receiver on save and delete, a
loader at its end). The timeout only bounds what a change made behind the ORM's back
(a raw UPDATE) can leave.
"""

from django.core.cache import cache
from django.db import transaction

SECONDS = 60 * 60


def read_through(key: str, build):
    """The value cached under `key`, or build()'s, stored there first."""
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, SECONDS)
    return found


def forget(*keys: str) -> None:
    """Drop `keys` now and, inside a transaction, again once it commits: until then
    other requests still read the old rows, and one of them may store them again."""
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))
