import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def choose_language(request, code):
    """Remember the language picked in the footer and go back to the page.

    A link rather than Django's set_language form: the footer is on every page, and a
    form would put a per-response CSRF token in pages that must answer byte-for-byte
    the same whoever asks ("Regístrese aquí", the password reset). Switching someone's
    language is all a forged link could do.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
def healthz(request):
    """For the load balancer: 200 when this process reaches the database and the cache,
    503 when not. No login, no session, and no detail beyond "ok"/"error" per check
    (the cause goes to the log)."""
    checks = {"database": _check(_database_answers), "cache": _check(_cache_answers)}
    healthy = all(state == "ok" for state in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def _check(probe) -> str:
    try:
        return "ok" if probe() else "error"
    except Exception:
        logger.exception("Health check %s failed", probe.__name__)
        return "error"


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers() -> bool:
    # A key of our own: processes checking at the same time must not read each other's.
    key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    try:
        return cache.get(key) == token
    finally:
        cache.delete(key)


def benchmark_bare(request):
    """The benchmark's ceiling (settings.BENCHMARK only): a small template through the
    full middleware stack, and nothing else."""
    return render(request, "bench/bare.html", {"now": timezone.now()})
