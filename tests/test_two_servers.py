"""Two web servers, one portal (docs/deploy.md): two gunicorn processes with
deploy/gunicorn.conf.py on two ports, against one PostgreSQL database, one Redis and one
S3 server, each with a local media folder of its own. What one server does, the other
sees: a login, the count of a rate limit, an uploaded attachment.

The servers need PostgreSQL whichever database the suite itself runs on, so the test
creates a database of its own (and drops it at the end) on the server of DATABASE_URL,
or of TWO_SERVERS_POSTGRES_URL on the SQLite run (default: the local one, as in CI).
Redis is TWO_SERVERS_REDIS_URL (default: database 7 of the local one), under a key
prefix of this run's own.
"""

import os
import re
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
import requests
from django.conf import settings
from psycopg import sql

from tests.factories import PASSWORD
from tests.files import PDF_BYTES
from tests.servers import ROOT, Gunicorn, bucket_keys, missing, moto_s3_server, new_bucket, s3_environment

PORTAL = "/portal-de-clientes/"
LOGIN = "/cuentas/login/"
EMAIL = "ana@transportesdelnorte.mx"
SUBJECT = "Renovación de póliza de flotilla"
LOGIN_LIMIT = 6  # RATE_LIMIT_LOGIN per hour (however slow the machine) and IP, for both servers together

# Only the portal's basics from the test run: nothing that would point the servers at
# the suite's own database or cache.
INHERITED = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "PYTHONPATH"}


def postgres_server_url() -> str:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return os.environ["DATABASE_URL"]
    return os.environ.get("TWO_SERVERS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def postgres_url():
    server = postgres_server_url()
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        missing(f"Two-server test: start PostgreSQL at {server} (or set TWO_SERVERS_POSTGRES_URL).")
    name = f"jhl_two_servers_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # A throwaway database: no need to wait for the disk on every commit.
        admin.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name)))
        try:
            yield with_database(server, name)
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def redis_url():
    url = os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.ConnectionError:
        missing(f"Two-server test: start Redis at {url} (or set TWO_SERVERS_REDIS_URL).")
    return url


@pytest.fixture(scope="module")
def s3():
    with moto_s3_server() as endpoint_url:
        yield endpoint_url, new_bucket(endpoint_url)


@pytest.fixture(scope="module")
def portal_env(postgres_url, redis_url, s3):
    endpoint_url, bucket = s3
    prefix = f"jhl-two-servers-{uuid.uuid4().hex[:10]}"
    env = {
        **{k: v for k, v in os.environ.items() if k in INHERITED},
        # DEBUG serves the pages without collectstatic; the same SECRET_KEY on every
        # machine is what makes a session signed by one valid on the other.
        "DEBUG": "1",
        "SECRET_KEY": f"two-servers-{uuid.uuid4().hex}",
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "RATE_LIMIT_LOGIN": f"{LOGIN_LIMIT}/h/ip",
        "LOG_LEVEL": "WARNING",
        **s3_environment(endpoint_url, bucket),
    }
    yield env
    keys = redis.Redis.from_url(redis_url)
    for key in keys.scan_iter(f"{prefix}:*"):
        keys.delete(key)


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def servers(portal_env, tmp_path_factory):
    manage(portal_env, "migrate", "--no-input", "-v", "0")
    script = (
        "from tests.factories import OrganizationFactory, UserFactory, make_ticket\n"
        "org = OrganizationFactory(name='Transportes del Norte')\n"
        f"user = UserFactory(email={EMAIL!r}, organization=org)\n"
        f"print(make_ticket(requester=user, area='seguros', subject={SUBJECT!r}).number)\n"
    )
    ticket_number = manage(portal_env, "shell", "-c", script).strip().splitlines()[-1]
    started = []
    try:
        for name in ("a", "b"):
            folder = tmp_path_factory.mktemp(f"server_{name}")
            started.append(Gunicorn({**portal_env, "MEDIA_ROOT": str(folder / "media")}, folder / "gunicorn.log"))
        yield started[0], started[1], ticket_number
    finally:
        for server in started:
            server.stop()


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def post_login(session: requests.Session, server: Gunicorn, email: str, password: str) -> requests.Response:
    token = csrf_token(session, server.url + LOGIN)
    return session.post(
        server.url + LOGIN,
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )


def carrying_session_of(session: requests.Session) -> requests.Session:
    """A new browser that holds only `session`'s session cookie."""
    other = requests.Session()
    other.cookies.set("sessionid", session.cookies["sessionid"])
    return other


def test_two_servers_share_logins_rate_limits_and_attachments(servers, s3):
    # One test, not three: each step needs the servers (a database to migrate, two
    # processes to boot), and the rate limit, checked last, locks everybody out.
    a, b, ticket_number = servers
    endpoint_url, bucket = s3

    # A login made on A is valid on B.
    on_a = requests.Session()
    response = post_login(on_a, a, EMAIL, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == PORTAL
    on_b = carrying_session_of(on_a)
    page = on_b.get(b.url + PORTAL, allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert SUBJECT in page.text
    assert requests.get(b.url + PORTAL, allow_redirects=False, timeout=30).status_code == 302  # no session, no page

    # An attachment uploaded through A downloads through B.
    detail = f"{PORTAL}{ticket_number}/"
    response = on_a.post(
        f"{a.url}{detail}responder/",
        {"csrfmiddlewaretoken": csrf_token(on_a, a.url + detail), "body": "Va la póliza firmada."},
        files={"files": ("poliza firmada.pdf", PDF_BYTES, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    page = on_b.get(b.url + detail, timeout=30)
    download_path = re.search(rf'href="({PORTAL}adjuntos/\d+/)"', page.text).group(1)
    download = on_b.get(b.url + download_path, timeout=30)
    assert download.status_code == 200
    assert download.content == PDF_BYTES
    assert 'filename="poliza firmada.pdf"' in download.headers["Content-Disposition"]
    # It is in the shared bucket, and in neither server's own media folder.
    assert len(bucket_keys(endpoint_url, bucket)) == 1
    assert not any((server.log.parent / "media").exists() for server in (a, b))

    # allauth's login limit counts the attempts made to both. One login POST so far;
    # the rest of the allowance alternately on each server.
    for attempt in range(1, LOGIN_LIMIT):
        server = (a, b)[attempt % 2]
        assert post_login(requests.Session(), server, f"nadie{attempt}@ejemplo.mx", "Equivocada#1").status_code == 200
    # Each server has seen three: with counters of their own, both would let it through.
    assert post_login(requests.Session(), a, EMAIL, PASSWORD).status_code == 429
    assert post_login(requests.Session(), b, EMAIL, PASSWORD).status_code == 429
