import pytest
from django.core.cache import cache

from accounts import services
from accounts.models import User
from tests.accounts.helpers import STRONG_PASSWORD


@pytest.fixture(autouse=True)
def _mail_leaves_at_once(settings):
    # queue_email stores the message and a task sends it; the immediate backend runs
    # that task as soon as the transaction commits, so it lands in mail.outbox.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache; one test's attempts must not spill over.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def strong_password():
    return STRONG_PASSWORD


@pytest.fixture
def send_invitation(django_capture_on_commit_callbacks):
    """Invite a user the way the admin does; return the token of the link."""

    def send(user: User) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_send(user=user)

    return send


@pytest.fixture
def invited_client(org_a):
    """Ana, added by IT and not yet registered (no password)."""
    return User.objects.create_user(
        email="ana.invitada@transportesdelnorte.mx", first_name="Ana", last_name="Invitada", organization=org_a
    )
