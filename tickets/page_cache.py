"""The portal's ticket list and ticket pages, rendered once and served again from the
cache (Redis in production) until something they show changes (issue 10).

A list or ticket page is ten times a bare view's work (docs/performance.md), and
clients come back to the same pages over and over (from a ticket to the list, after a
reply) while their tickets rarely change. A rendered page is kept under the session,
the user, the language and the address, together with the versions it was made from
(a client sees only their organization's tickets and their own, so these versions
cover every ticket a page of theirs can show):

- the organization's version, bumped when any of its tickets changes (a new ticket, a
  timeline entry, an edit, a stage change, a new owner: each goes through Ticket.save()
  or TimelineEntry.record());
- the requester's version, the same for "Mis tickets" of a user who changed company;
- the global version, bumped when pipelines, areas, people's names or required
  documents change, when a ticket is deleted, and by the bulk loaders.

Versions are bumped when the write happens and again after its transaction commits:
a page rendered in between from the old rows is never served again. A page is neither
served nor stored while flash messages wait to be shown (they are part of it). The
session key in the key keeps each browser's CSRF token (the logout form) its own, and
nobody else's page can ever match.

A list's count is kept the same way (count()): every page, sort and address of a list
counts its tickets once until one of them changes.
"""

import hashlib
import time
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

PREFIX = "portal-page"
GLOBAL = f"{PREFIX}:v:all"
PAGE_SECONDS = 10 * 60
# Where cached() leaves the versions a page is rendered from, for count().
_VERSIONS = "_page_cache_versions"


def _org_key(organization_id) -> str:
    return f"{PREFIX}:v:org:{organization_id}"


def _user_key(user_id) -> str:
    return f"{PREFIX}:v:user:{user_id}"


# The keys bumped inside a coalesced() block, stamped once when it ends.
_coalescing: ContextVar[set[str] | None] = ContextVar("page_cache_coalescing", default=None)


def bump(*, organization_id=None, requester_id=None) -> None:
    """Mark the lists that show a ticket of `organization_id` / `requester_id` stale
    (every list when both are None): now, and again once the current transaction
    commits. The second bump retires a page rendered in between from the rows as they
    were before the commit; the first makes the change visible at once to the
    transaction that made it (and to tests, whose transactions never commit)."""
    keys = [_org_key(organization_id)] if organization_id else []
    keys += [_user_key(requester_id)] if requester_id else []
    keys = keys or [GLOBAL]
    pending = _coalescing.get()
    if pending is not None:
        pending.update(keys)
    else:
        _stamp_now_and_on_commit(keys)


@contextmanager
def coalesced():
    """Bump once, when the block ends, for all the writes inside it: a new ticket and
    its first message are one change of the same pages (two Redis round trips less)."""
    pending: set[str] = set()
    token = _coalescing.set(pending)
    try:
        yield
    finally:
        _coalescing.reset(token)
    # Not reached when the block raised: its writes are being rolled back.
    if pending:
        _stamp_now_and_on_commit(sorted(pending))


def _stamp_now_and_on_commit(keys: list[str]) -> None:
    def stamp():
        cache.set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)

    stamp()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(stamp)


def _page_key(request) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    user = request.user
    return f"{PREFIX}:page:{request.session.session_key}:{user.pk}:{translation.get_language()}:{address}"


def _cacheable(request) -> bool:
    return request.session.session_key is not None and not len(messages.get_messages(request))


def _versions(found: dict, request) -> tuple:
    user = request.user
    return tuple(found.get(key) for key in (GLOBAL, _org_key(user.organization_id), _user_key(user.pk)))


def lookup(request) -> tuple[HttpResponse | None, tuple | None]:
    """(the page stored for this request if still current, the versions now), in one
    cache round trip; (None, None) when the request's page may not be cached.

    The versions are read before the page's queries, and the page is stored under
    them (keep()): a write that commits while the page renders bumps a version after
    they were read, so that page is never served again.
    """
    if not _cacheable(request):
        return None, None
    user = request.user
    page_key = _page_key(request)
    found = cache.get_many([GLOBAL, _org_key(user.organization_id), _user_key(user.pk), page_key])
    versions = _versions(found, request)
    stored = found.get(page_key)
    if stored is not None and stored[0] == versions:
        return HttpResponse(zlib.decompress(stored[1])), versions
    return None, versions


def count(request, queryset, *, of) -> int:
    """queryset.count(), kept under the versions the page is being rendered from
    (cached() reads them), for the user and `of` (what is counted: the list's
    filters, whatever the page, sort or address): every page of a list, and the list
    rendered afresh, counted 11,000 index entries of a fleet company each time."""
    versions = getattr(request, _VERSIONS, None)
    if versions is None:
        return queryset.count()
    key = f"{PREFIX}:count:{request.user.pk}:{hashlib.sha256(repr(of).encode()).hexdigest()[:32]}"
    stored = cache.get(key)
    if stored is not None and stored[0] == versions:
        return stored[1]
    counted = queryset.count()
    cache.set(key, (versions, counted), PAGE_SECONDS)
    return counted


def keep(request, response: HttpResponse, versions: tuple | None) -> None:
    """Store a freshly rendered page under the versions lookup() read."""
    if versions is None or response.status_code != 200 or not _cacheable(request):
        return
    # Compressed: a list page of 40 KB keeps in about 6 KB of Redis.
    cache.set(_page_key(request), (versions, zlib.compress(response.content, 1)), PAGE_SECONDS)


def cached(view):
    """Serve a portal page's GET from the cache while it is current (lookup()), else
    render it and keep it (keep()). Inside client_view: login, staff and never_cache
    come first; a page another person may not see is a 404, never kept."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        page, versions = lookup(request)
        if page is not None:
            return page
        setattr(request, _VERSIONS, versions)
        response = view(request, *args, **kwargs)
        keep(request, response, versions)
        return response

    return wrapper
