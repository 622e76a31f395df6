"""End-to-end tests: Playwright driving Debian's Chromium against pytest-django's live
server. Reusable by every browser test under tests/e2e/:

- `page` (pytest-playwright's, with the live server as base URL, Spanish locale and
  Mexico City time zone; on failure a screenshot goes to test-results/);
- `live_server` (pytest-django);
- `login(page, email, password)` to sign in through the real login form;
- the personas of tests/conftest.py (client_a, colleague_a, client_b, staff_seguros…).

Mark tests `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`: the
live server runs in another thread, so the data must be committed to be seen.
"""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
# from a thread with a running loop unless told that it is safe (it is: one thread,
# no concurrent coroutines touch the connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.servers import missing  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path("test-results")
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download does not work on our machines; Debian's does.
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: install it with `apt-get install chromium` to run the browser tests.")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "es-MX",
        "timezone_id": "America/Mexico_City",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _fresh_state(pipelines):
    # Rate-limit counters live in the cache, which outlives each test: start afresh so
    # a growing suite never logs in often enough to hit the login limit.
    cache.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(page, request):
    """pytest-playwright's page; saves a full-page screenshot when the test fails, and
    fails a passing test whose portal pages logged errors in the console (a CSP
    violation from an inline script or style shows up there)."""
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    elif report is not None and report.passed:
        # A form sent back with errors answers 400 on purpose; Chromium logs that too.
        portal_errors = [e for e in errors if "/portal-de-clientes/" in e and "status of 400" not in e]
        assert not portal_errors, "Errors in the browser console:\n" + "\n".join(portal_errors)


@pytest.fixture
def login():
    """login(page, email, password): sign in through the login form; returns the page
    (now on the address the login redirects to)."""

    def sign_in(page, email, password):
        login_url = reverse("account_login")
        page.goto(login_url)
        form = page.locator(f"form[action='{login_url}']")
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: reverse("account_login") not in url)
        return page

    return sign_in
