"""Personas used across the suite (see STYLE.md):

client_a, colleague_a: two clients of Transportes del Norte;
client_b: a client of Constructora Sol (another company);
staff_seguros: a JHLeasing employee in the Seguros team; superuser: sees everything.
"""

import pytest
from django.contrib.auth.models import Group

from documents.models import RequiredDocument
from documents.seed import load_required_documents
from servicetime.holidays import load_holidays
from servicetime.models import Holiday
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, UserFactory, make_ticket
from tickets import events
from workflows.models import Area, Stage
from workflows.pipelines import load_pipelines
from workflows.teams import grant_team_permissions


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file rather than in memory: like production's file, it
    queues concurrent writers instead of failing them (the e-mail race test needs it)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # PBKDF2's cost protects real passwords; in tests it only slows every login down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


@pytest.fixture(autouse=True)
def _spanish_after_each_test():
    # ChosenLanguageMiddleware activates the request's language in the thread and
    # leaves it there: a test that asked for English must not turn the next test's
    # timeline rows or e-mails English.
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _cached_rows_read_afresh():
    # The rest days (servicetime.models.CACHE_KEY) and the pipelines
    # (workflows.models.forget_cached_pipelines) are cached, and the cache outlives each
    # test while a transactional test's flush empties the tables without a signal.
    from servicetime.models import forget_cached_holidays
    from workflows.models import forget_cached_pipelines

    forget_cached_holidays()
    forget_cached_pipelines()


@pytest.fixture
def pipelines(transactional_db):
    """For transactional tests: each one flushes the database when it ends, taking the
    pipelines of workflows' data migration with it, so load them again (idempotent),
    and the rest days of servicetime's."""
    load_pipelines(Area, Stage, Group)
    load_required_documents(Stage, RequiredDocument)
    load_holidays(Holiday)
    grant_team_permissions()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Transportes del Norte")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Constructora Sol")


@pytest.fixture
def client_a(org_a):
    return UserFactory(email="ana@transportesdelnorte.mx", first_name="Ana", last_name="García", organization=org_a)


@pytest.fixture
def colleague_a(org_a):
    return UserFactory(email="luis@transportesdelnorte.mx", first_name="Luis", last_name="Pérez", organization=org_a)


@pytest.fixture
def client_b(org_b):
    return UserFactory(email="maria@constructorasol.mx", first_name="María", last_name="López", organization=org_b)


@pytest.fixture
def staff_seguros(db):
    return StaffFactory(email="patricia@jhl.mx", first_name="Patricia", last_name="Mendoza", areas=["seguros"])


@pytest.fixture
def staff_gestorias(db):
    return StaffFactory(email="jorge@jhl.mx", first_name="Jorge", last_name="Ramírez", areas=["gestorias"])


@pytest.fixture
def superuser(db):
    return StaffFactory(email="admin@jhl.mx", is_superuser=True)


@pytest.fixture
def logged_in(client, client_a):
    """The test client, logged in as client_a (Transportes del Norte)."""
    client.force_login(client_a)
    return client


@pytest.fixture
def ticket_a(client_a):
    """An open Seguros ticket of client_a, opened before the test (nobody is told now)."""
    with events.muted():
        return make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza de flotilla")


@pytest.fixture
def ticket_b(client_b):
    """An open Seguros ticket of client_b (another company), opened before the test."""
    with events.muted():
        return make_ticket(requester=client_b, area="seguros", subject="Cotización de seguro Constructora")
