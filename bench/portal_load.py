"""Benchmark: the client portal under concurrent load, at a million tickets (issue 10).

One command, against PostgreSQL (and Redis for the cache and sessions, as production):

    createdb jhl_bench_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jhl_bench_1m REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/portal_load.py --write-docs

It fills the database with `manage.py generate_load_data` when it has no tickets yet
(1,000,000 over 2,000 companies by default), collects the static files, starts the
production server (gunicorn with deploy/gunicorn.conf.py when present, DEBUG=0,
whitenoise) on a free port of 127.0.0.1, logs real sessions in through the login form
as users of the largest company (the fleet client with 10,000+ tickets), and drives a
closed-loop load from an asyncio client (aiohttp): each virtual user sends its next
request as soon as the previous one answered, with no pause. Every page runs at 1, 8
and 32 concurrent users for --duration seconds or --max-requests requests, whichever
comes first; nothing leaves 127.0.0.1 and everything stops by itself.

For each page it prints requests/s, p50/p95/p99 latency, errors, SQL queries per
request (from the X-DB-Queries header that BENCHMARK=1 adds) and the throughput's ratio
to the bare view (a small template through the same middleware, BENCHMARK=1 only); then
the resident memory of each gunicorn worker, and EXPLAIN ANALYZE of the ticket queries
of the search page. --write-docs writes the table, the EXPLAIN and a PNG chart into
docs/performance.md and docs/performance.png.

The server runs behind no proxy here, so the client sends what the TLS proxy would
(X-Forwarded-Proto: https, a per-user X-Forwarded-For in 127.0.0.0/8) and the server
runs with USE_X_FORWARDED=1: production's HTTPS settings stay on. Mail goes to an SMTP
port where nothing listens: a request that tried to send mail itself would fail and
count as an error.
"""

import argparse
import asyncio
import datetime
import itertools
import os
import platform
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jhl_portal.settings")
# This process only prepares and inspects the data; the server it starts runs DEBUG=0.
os.environ.setdefault("DEBUG", "1")
# The server's cache keys, shared with this process: it marks the company's lists
# changed before each request of the "tras un cambio" page (page_cache.bump()).
CACHE_KEY_PREFIX = os.environ["CACHE_KEY_PREFIX"] = f"jhl-bench-{os.getpid()}"

import aiohttp  # noqa: E402
import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Organization  # noqa: E402
from tickets import page_cache  # noqa: E402
from tickets.load_data import LOAD_PASSWORD, LONG_TIMELINE_ENTRIES  # noqa: E402
from tickets.models import Ticket, TimelineEntry  # noqa: E402

PORTAL = "/portal-de-clientes/"
SEARCH_TERM = "póliza"
BARE = "bare view (ceiling)"
DOCS = ROOT / "docs" / "performance.md"
CHART = ROOT / "docs" / "performance.png"
RESULTS_START, RESULTS_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
EXPLAIN_START, EXPLAIN_END = "<!-- bench:explain:start -->", "<!-- bench:explain:end -->"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Targets:
    organization: Organization
    emails: list[str]
    detail_number: int
    detail_entries: int
    reply_numbers: list[int]
    area_slug: str


@dataclass
class Page:
    name: str
    method: str
    path: str
    kind: str  # "read" or "write": which target applies
    # Before each request (outside its time), the company's tickets are marked changed,
    # as a colleague's new ticket would: the page and its count are worked out afresh.
    after_a_change: bool = False


@dataclass
class Result:
    page: str
    users: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1)] * 1000

    @property
    def mean_queries(self) -> float:
        return sum(self.queries) / len(self.queries) if self.queries else float("nan")


# --- Data ----------------------------------------------------------------------------


def ensure_data(tickets: int, companies: int) -> None:
    call_command("migrate", verbosity=0)
    existing = Ticket.objects.count()
    if existing == 0:
        call_command("generate_load_data", tickets=tickets, companies=companies)
    elif existing < tickets * 0.9:
        print(f"note: the database holds {existing:,} tickets, fewer than --tickets {tickets:,}; measuring what is there")


def find_targets() -> Targets:
    """The largest company, its users, its longest timeline and open tickets to reply to."""
    biggest = Ticket.objects.values("organization").annotate(n=Count("pk")).order_by("-n").first()
    organization = Organization.objects.get(pk=biggest["organization"])
    emails = list(
        get_user_model()
        .objects.filter(organization=organization, is_active=True, email__contains="@cliente")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    # The ticket whose timeline is closest to the generator's long ones (30 entries),
    # not above: earlier runs' reply POSTs lengthen the timelines they write to.
    longest = (
        TimelineEntry.objects.filter(ticket__organization=organization)
        .values("ticket")
        .annotate(n=Count("pk"))
        .filter(n__lte=LONG_TIMELINE_ENTRIES)
        .order_by("-n", "ticket")
        .first()
    )
    replies = list(
        Ticket.objects.filter(organization=organization)
        .open()
        .exclude(pk=longest["ticket"])
        .order_by("pk")
        .values_list("pk", flat=True)[:64]
    )
    area = Ticket.objects.filter(pk=longest["ticket"]).values_list("area__slug", flat=True).get()
    return Targets(organization, emails, longest["ticket"], longest["n"], replies, area)


# What the POSTs write, so that the run can take it back (forget_what_runs_wrote()).
LOAD_CONTACT = "Usuario de Carga"
REPLY_TEXT = "Gracias; quedo atento a la actualización del trámite."


def forget_what_runs_wrote(since: datetime.datetime | None = None) -> None:
    """Delete the tickets and replies the POSTs wrote (and, with `since`, the e-mail tasks
    they enqueued then), so that every run measures the generated data: each run used to
    add thousands of tickets to the largest company, whose list then counted more."""
    from django_tasks_db.models import DBTaskResult

    from tickets import page_cache

    tickets = Ticket.objects.filter(contact_name=LOAD_CONTACT)
    replies = TimelineEntry.objects.filter(body=REPLY_TEXT, kind=TimelineEntry.Kind.CLIENT_MESSAGE)
    if since is not None:
        tickets, replies = tickets.filter(created_at__gte=since), replies.filter(created_at__gte=since)
        DBTaskResult.objects.filter(enqueued_at__gte=since, task_path__startswith="emails.tasks.notify_").delete()
    replies._raw_delete(replies.db)  # no attachments, nothing refers to them
    pks = list(tickets.values_list("pk", flat=True))
    for first in range(0, len(pks), 1000):
        TimelineEntry.objects.filter(ticket_id__in=pks[first : first + 1000])._raw_delete(TimelineEntry.objects.db)
        Ticket.objects.filter(pk__in=pks[first : first + 1000])._raw_delete(Ticket.objects.db)
    page_cache.bump()
    if pks:
        print(f"removed {len(pks):,} tickets that benchmark runs opened")


def pages(targets: Targets, only: list[str] = ()) -> list[Page]:
    """What the run measures; with `only`, the pages whose names contain one of its
    parts, and the bare view they are compared with. Without REDIS_URL this process
    cannot reach the server's cache (the database's, while its own is in memory), so
    the page measured after a change is left out."""
    return [
        page
        for page in _all_pages(targets)
        if (not only or page.name == BARE or any(part in page.name for part in only))
        and (os.environ.get("REDIS_URL") or not page.after_a_change)
    ]


def _all_pages(targets: Targets) -> list[Page]:
    org = f"{PORTAL}?ver=organizacion"
    return [
        Page(BARE, "GET", "/bench/bare/", "ceiling"),
        Page("Mis tickets", "GET", PORTAL, "read"),
        Page("Tickets de la organización", "GET", org, "read"),
        # Each request another address, so the cached page (tickets/page_cache.py) never
        # matches; the list's count (unchanged) still comes from the cache.
        Page("organización, sin caché", "GET", f"{org}&otra={{n}}", "read"),
        # What the first view of the list after a change costs: the page and its count.
        # (At 8 and 32 users two requests of one person may still read the same change,
        # and the second count the first one's.)
        Page("organización, tras un cambio", "GET", f"{org}&otra={{n}}", "read", after_a_change=True),
        Page("organización, página 40", "GET", f"{org}&pagina=40", "read"),
        Page(f"búsqueda «{SEARCH_TERM}»", "GET", f"{org}&q={SEARCH_TERM}", "read"),
        Page("filtro Abierto", "GET", f"{org}&estado=abierto", "read"),
        Page(f"detalle ({targets.detail_entries} interacciones)", "GET", f"{PORTAL}{targets.detail_number}/", "read"),
        Page("responder (POST)", "POST", "reply", "write"),
        Page("nuevo ticket (POST)", "POST", f"{PORTAL}nuevo/", "write"),
    ]


def explain_search(targets: Targets) -> str:
    """EXPLAIN ANALYZE of the ticket queries the search page runs, captured from a
    request through Django's test client (so exactly the view's SQL)."""
    user = get_user_model().objects.get(email=targets.emails[0])
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{PORTAL}?ver=organizacion&q={SEARCH_TERM}", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if '"tickets_ticket"' not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans.append(sql + "\n\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)


# --- Server --------------------------------------------------------------------------


def closed_port() -> socket.socket:
    """A bound socket that never listens: connecting to its port is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def server_env(redis_url: str, smtp_port: int, workers: int | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "USE_X_FORWARDED": "1",
        "BENCHMARK": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "2",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": CACHE_KEY_PREFIX,
        "GUNICORN_ACCESS_LOG": "",
        # The config's 30 s kills a hung worker; on a shared machine a login's password
        # hash alone can take longer. A guard, not a measured number.
        "GUNICORN_TIMEOUT": "180",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


class Server:
    def __init__(self, env: dict[str, str], workers: int | None, log_path: Path):
        self.env = env
        config = ROOT / "deploy" / "gunicorn.conf.py"
        gunicorn = [sys.executable, "-m", "gunicorn"]
        if config.exists():
            self.command = [*gunicorn, "-c", str(config), "--bind", "127.0.0.1:0", "jhl_portal.wsgi"]
        else:
            count = workers or 2 * (os.cpu_count() or 1) + 1
            self.command = [*gunicorn, "--bind", "127.0.0.1:0", "--workers", str(count), "--preload", "jhl_portal.wsgi"]
        self.log_path = log_path
        self.process = None
        self.port = None

    def start(self) -> None:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=self.env, check=True)
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        found = threading.Event()

        def drain():
            with self.log_path.open("w") as log:
                for line in self.process.stderr:
                    log.write(line)
                    log.flush()
                    match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
                    if match:
                        self.port = int(match.group(1))
                        found.set()

        threading.Thread(target=drain, daemon=True).start()
        if not found.wait(60):
            self.stop()
            sys.exit(f"gunicorn did not start; see {self.log_path}")

    def workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def memory_of(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB; PSS shares the pages forked from the master among workers."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            value = int(rest.split()[0]) / 1024
            rss, pss = (value, pss) if name == "Rss" else (rss, value)
    return rss, pss


# --- Load ----------------------------------------------------------------------------


class VirtualUser:
    """One logged-in browser: its own session cookie, CSRF token and client IP."""

    def __init__(self, index: int, email: str, base: str, reply_number: int):
        self.index = index
        self.email = email
        self.base = base
        self.reply_number = reply_number
        self.cookies: dict[str, str] = {}
        self.form_token = ""
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"127.0.{index // 250}.{index % 250 + 2}",
            "Origin": "https://" + base.split("://", 1)[1],
        }

    def _remember(self, response: aiohttp.ClientResponse) -> None:
        for cookie in response.cookies.values():
            self.cookies[cookie.key] = cookie.value

    def _request_headers(self, referer: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**self.headers, "Cookie": cookie, "Referer": self.headers["Origin"] + referer}

    async def login(self, http: aiohttp.ClientSession, timeout: aiohttp.ClientTimeout) -> None:
        path = "/cuentas/login/"
        async with http.get(self.base + path, headers=self._request_headers(path), allow_redirects=False) as response:
            page = await response.text()
            self._remember(response)
        data = {"csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1), "login": self.email, "password": LOAD_PASSWORD}
        headers = self._request_headers(path)
        async with http.post(self.base + path, data=data, headers=headers, allow_redirects=False, timeout=timeout) as response:
            self._remember(response)
            if response.status != 302 or "sessionid" not in self.cookies:
                raise RuntimeError(f"login of {self.email} failed: HTTP {response.status}")
        # The token of the portal's forms, valid with this session's CSRF cookie.
        async with http.get(self.base + PORTAL + "nuevo/", headers=self._request_headers(PORTAL)) as response:
            self.form_token = CSRF_FIELD.search(await response.text()).group(1)
            self._remember(response)

    def request(self, page: Page, area_slug: str) -> tuple[str, str, dict | None, str]:
        """(method, path, form data, referer) of this user's next request to `page`."""
        if page.path == "reply":
            path = f"{PORTAL}{self.reply_number}/responder/"
            data = {"csrfmiddlewaretoken": self.form_token, "body": REPLY_TEXT}
            return "POST", path, data, f"{PORTAL}{self.reply_number}/"
        if page.method == "POST":
            data = {
                "csrfmiddlewaretoken": self.form_token,
                "client_token": str(uuid.uuid4()),
                "contact_name": LOAD_CONTACT,
                "area": area_slug,
                "subject": "Cotización de póliza para unidad nueva",
                "description": "Solicitamos la cotización de la cobertura amplia para la unidad recién entregada.",
                "vehicle_brand": "Nissan",
                "vehicle_line": "NP300 Frontier",
                "vehicle_plates": "NL1234A",
                "confirm_duplicate": "on",
            }
            return "POST", page.path, data, page.path
        if "{n}" in page.path:
            return "GET", page.path.format(n=next(ADDRESS_COUNTER)), None, PORTAL
        return "GET", page.path, None, PORTAL


ADDRESS_COUNTER = itertools.count()


async def drive(http, users: list[VirtualUser], page: Page, targets: Targets, duration: float, max_requests: int) -> Result:
    result = Result(page.name, len(users))
    deadline = time.perf_counter() + duration
    budget = [max_requests]

    async def one_user(user: VirtualUser):
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            method, path, data, referer = user.request(page, targets.area_slug)
            if page.after_a_change:
                page_cache.bump(organization_id=targets.organization.pk)
            started = time.perf_counter()
            try:
                async with http.request(
                    method, user.base + path, data=data, headers=user._request_headers(referer), allow_redirects=False
                ) as response:
                    await response.read()
                    elapsed = time.perf_counter() - started
                    location = response.headers.get("Location", "")
                    if method == "GET":
                        ok = response.status == 200
                    else:
                        ok = response.status == 302 and location.startswith(PORTAL)
                    queries = response.headers.get("X-DB-Queries")
            except (aiohttp.ClientError, TimeoutError) as error:
                elapsed, ok, queries, location = time.perf_counter() - started, False, None, repr(error)
                response = None
            result.requests += 1
            result.latencies.append(elapsed)
            if queries is not None:
                result.queries.append(int(queries))
            if not ok:
                result.errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(f"{method} {path} → {getattr(response, 'status', '')} {location}")

    started = time.perf_counter()
    await asyncio.gather(*(one_user(user) for user in users))
    result.seconds = time.perf_counter() - started
    return result


async def run_load(
    base, targets: Targets, levels: list[int], duration: float, max_requests: int, warmup: int, sessions: int, only: list[str]
):
    login_timeout = aiohttp.ClientTimeout(total=300)
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    results: list[Result] = []
    loads: dict[int, tuple[float, float]] = {}
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        sessions = [
            VirtualUser(n, targets.emails[n % len(targets.emails)], base, targets.reply_numbers[n % len(targets.reply_numbers)])
            for n in range(min(sessions, max(levels)))
        ]
        started = time.perf_counter()
        # Logging in hashes the password (PBKDF2, about a second of CPU): two at a time.
        for first in range(0, len(sessions), 2):
            await asyncio.gather(*(session.login(http, login_timeout) for session in sessions[first : first + 2]))
        print(f"{len(sessions)} sessions logged in for {len(targets.emails)} users in {time.perf_counter() - started:.1f} s")
        # More virtual users than sessions: several browser tabs of one session.
        users = [sessions[n % len(sessions)] for n in range(max(levels))]
        for level in levels:
            before = os.getloadavg()[0]
            for page in pages(targets, only):
                await drive(http, users[:level], page, targets, 60, warmup)
                result = await drive(http, users[:level], page, targets, duration, max_requests)
                results.append(result)
                print_row(result, results)
            loads[level] = (before, os.getloadavg()[0])
    return results, loads


# --- Report --------------------------------------------------------------------------

HEADER = (
    f"{'page':36} {'users':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'queries':>7} {'vs bare':>7}"
)


def bare_rps(results: list[Result], users: int) -> float:
    return next((r.rps for r in results if r.page == BARE and r.users == users), float("nan"))


def print_row(result: Result, results: list[Result]) -> None:
    ratio = result.rps / bare_rps(results, result.users)
    print(
        f"{result.page:36} {result.users:5d} {result.rps:7.1f} {result.percentile(50):7.1f} {result.percentile(95):7.1f} "
        f"{result.percentile(99):7.1f} {result.errors:6d} {result.mean_queries:7.1f} {ratio:7.0%}"
    )
    for sample in result.error_samples:
        print(f"    error: {sample}")


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| page | users | req/s | p50 ms | p95 ms | p99 ms | errors | SQL queries/request | throughput vs bare view |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = r.rps / bare_rps(results, r.users)
        lines.append(
            f"| {r.page} | {r.users} | {r.rps:.1f} | {r.percentile(50):.1f} | {r.percentile(95):.1f} | "
            f"{r.percentile(99):.1f} | {r.errors} | {r.mean_queries:.1f} | {ratio:.0%} |"
        )
    return "\n".join(lines)


def chart(results: list[Result], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r.page for r in results))
    levels = sorted({r.users for r in results})
    by_key = {(r.page, r.users): r for r in results}
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    width = 0.8 / len(levels)
    for n, level in enumerate(levels):
        xs = [i + (n - (len(levels) - 1) / 2) * width for i in range(len(names))]
        top.bar(xs, [by_key[name, level].rps for name in names], width, label=f"{level} users")
        bottom.bar(xs, [by_key[name, level].percentile(95) for name in names], width, label=f"{level} users")
    top.set_ylabel("requests/s")
    bottom.set_ylabel("p95 latency (ms)")
    bottom.axhline(50, color="grey", linestyle="--", linewidth=1)
    bottom.axhline(100, color="grey", linestyle=":", linewidth=1)
    bottom.set_yscale("log")
    top.legend()
    top.set_title(title)
    bottom.set_xticks(range(len(names)), names, rotation=30, ha="right")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def replace_between(text: str, start: str, end: str, content: str) -> str:
    if start in text and end in text:
        head, rest = text.split(start, 1)
        return head + start + "\n" + content + "\n" + end + rest.split(end, 1)[1]
    return text + f"\n{start}\n{content}\n{end}\n"


def write_docs(results, loads, memory, explain, context: dict) -> None:
    DOCS.parent.mkdir(exist_ok=True)
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    load_lines = ", ".join(f"{u} users: {a:.2f} → {b:.2f}" for u, (a, b) in loads.items())
    worker_lines = ", ".join(f"{rss:.0f} MB RSS / {pss:.0f} MB PSS" for rss, pss in memory)
    summary = "\n".join(
        [
            f"Run of {context['date']} (commit `{context['commit']}`), {context['tickets']:,} tickets, "
            f"{context['entries']:,} timeline entries; the largest company, «{context['organization']}», "
            f"has {context['org_tickets']:,} tickets and {context['users']} users.",
            "",
            f"Command: `{context['command']}`",
            "",
            f"Machine: {context['machine']}. Server: `{context['server']}`. Load average (1 min) before → after "
            f"each level: {load_lines}. The load client's own CPU time: {context['client_cpu']:.0f} s over "
            f"{context['wall']:.0f} s.",
            "",
            markdown_table(results),
            "",
            f"gunicorn workers after the run: {worker_lines}.",
            "",
            "![Throughput and p95 latency per page](performance.png)",
        ]
    )
    text = replace_between(text, RESULTS_START, RESULTS_END, summary)
    text = replace_between(text, EXPLAIN_START, EXPLAIN_END, "```\n" + explain + "\n```")
    DOCS.write_text(text)
    chart(results, CHART, f"JHLeasing portal, {context['tickets']:,} tickets, {context['date']}")
    print(f"wrote {DOCS.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000, help="generate this many when the database is empty")
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--users", default="1,8,32", help="concurrency levels")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page and level")
    parser.add_argument("--max-requests", type=int, default=20_000, help="requests per page and level, at most")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests before each measurement")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--sessions", type=int, default=8, help="sessions logged in; more users share them like browser tabs")
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md and docs/performance.png")
    parser.add_argument(
        "--only", default="", help="comma-separated parts of page names to run (and the bare view), while profiling"
    )
    args = parser.parse_args()
    if args.only and args.write_docs:
        sys.exit("--write-docs records a full run: leave out --only")
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: DATABASE_URL=postgres://…/jhl_bench_1m")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        print("note: REDIS_URL is not set; production keeps the cache (and sessions) in Redis")
    levels = [int(n) for n in args.users.split(",")]

    ensure_data(args.tickets, args.companies)
    forget_what_runs_wrote()  # an interrupted run's
    run_started = datetime.datetime.now(datetime.UTC)
    targets = find_targets()
    org_tickets = Ticket.objects.filter(organization=targets.organization).count()
    print(f"largest company: {targets.organization} ({org_tickets:,} tickets, {len(targets.emails)} users)")
    explain = explain_search(targets)
    connection.close()

    smtp = closed_port()
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"jhl-bench-gunicorn-{os.getpid()}.log"
    server = Server(server_env(redis_url, smtp.getsockname()[1], args.workers), args.workers, log_path)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_started = time.perf_counter()
    try:
        server.start()
        print(f"gunicorn on 127.0.0.1:{server.port}, log {log_path}")
        print(HEADER)
        results, loads = asyncio.run(
            run_load(
                f"http://127.0.0.1:{server.port}",
                targets,
                levels,
                args.duration,
                args.max_requests,
                args.warmup,
                args.sessions,
                [part for part in args.only.split(",") if part],
            )
        )
        memory = [memory_of(pid) for pid in server.workers()]
    finally:
        server.stop()
        smtp.close()
        forget_what_runs_wrote(since=run_started)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    wall = time.perf_counter() - wall_started
    print("gunicorn workers after the run: " + ", ".join(f"{rss:.0f} MB RSS ({pss:.0f} MB PSS)" for rss, pss in memory))
    print(f"client CPU {client_cpu:.0f} s over {wall:.0f} s; load average now {os.getloadavg()}")
    print("\nEXPLAIN ANALYZE of the search page's ticket queries:\n" + explain)
    if args.write_docs:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
        context = {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit.strip(),
            "tickets": Ticket.objects.count(),
            "entries": TimelineEntry.objects.count(),
            "organization": targets.organization.name,
            "org_tickets": org_tickets,
            "users": len(targets.emails),
            "command": "python bench/portal_load.py " + " ".join(sys.argv[1:]),
            "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
            f"PostgreSQL {connection.cursor().connection.info.server_version // 10000} "
            "(how busy the machine was: the load averages below)",
            "server": " ".join(Path(part).name if part.startswith("/") else part for part in server.command[1:]),
            "client_cpu": client_cpu,
            "wall": wall,
        }
        write_docs(results, loads, memory, explain, context)
    if shutil.which("uptime"):
        subprocess.run(["uptime"])


if __name__ == "__main__":
    main()
