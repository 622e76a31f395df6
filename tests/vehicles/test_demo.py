import pytest
from django.core.management import call_command

from accounts.models import Organization
from tickets.models import Ticket
from vehicles.queries import vehicle_tickets, vehicles_in

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_vehicle_with_tickets_in_three_areas(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    tickets = Ticket.objects.filter(organization=Organization.objects.get(name="Transportes del Norte"))
    areas = [{t.area_id for t in vehicle_tickets(tickets, vin=v.vin)} for v in vehicles_in(tickets) if v.vin]
    assert max(len(found) for found in areas) >= 3
