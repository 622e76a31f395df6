import pytest
from django.core.management import call_command

from surveys.models import Survey
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_completed_survey_and_mails_nobody(settings):
    from emails.models import OutboundEmail

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert Survey.objects.answered().exclude(comment="").exists()
    assert Survey.objects.count() == Ticket.objects.closed().count()
    call_command("seed_demo", verbosity=0)
    assert Survey.objects.count() == Ticket.objects.closed().count()
    assert not OutboundEmail.objects.exists()
