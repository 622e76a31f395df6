"""Grouping tickets into vehicles, the same for the portal and the admin."""

import pytest

from tickets.models import Ticket
from vehicles.queries import new_ticket_initial, vehicle_tickets, vehicles_in

from .conftest import VIN

pytestmark = pytest.mark.django_db


def test_it_groups_the_organizations_tickets_by_vin_or_plates(fleet, client_a):
    vehicles = vehicles_in(Ticket.objects.visible_to(client_a))
    assert [(v.vin, v.plates, v.tickets, v.open_tickets) for v in vehicles] == [
        ("", "NLB4521", 1, 1),
        (VIN, "RFA1234", 3, 2),
    ]
    # The latest ticket's data describes the vehicle.
    assert vehicles[1].name == "Nissan NP300 2023"


def test_another_companys_tickets_never_count(fleet, client_b):
    assert [(v.vin, v.tickets) for v in vehicles_in(Ticket.objects.visible_to(client_b))] == [(VIN, 1)]


def test_a_vehicles_tickets_come_newest_first_across_areas(fleet, client_a):
    tickets = list(vehicle_tickets(Ticket.objects.visible_to(client_a), vin=VIN))
    assert tickets == [fleet["siniestro"], fleet["gestoria"], fleet["seguros"]]


def test_a_vehicle_without_vin_is_its_plates(fleet, client_a):
    assert list(vehicle_tickets(Ticket.objects.visible_to(client_a), plates="NLB4521")) == [fleet["van"]]
    assert not vehicle_tickets(Ticket.objects.visible_to(client_a), plates="RFA1234").exists()


def test_staff_see_the_vehicle_in_their_areas_only(fleet, staff_seguros):
    assert set(vehicle_tickets(Ticket.objects.visible_to(staff_seguros), vin=VIN)) == {fleet["seguros"], fleet["ajeno"]}


def test_search_matches_part_of_a_vin_or_plates(fleet, client_a):
    assert [v.plates for v in vehicles_in(Ticket.objects.visible_to(client_a), search="nlb 45")] == ["NLB4521"]


def test_grouping_takes_two_queries_however_many_tickets(fleet, client_a, django_assert_num_queries):
    with django_assert_num_queries(2):
        vehicles_in(Ticket.objects.visible_to(client_a))


def test_the_new_ticket_form_is_prefilled_from_the_latest_ticket(fleet, client_a, client_b):
    initial = new_ticket_initial(Ticket.objects.visible_to(client_a), {"vin": VIN})
    assert initial == {
        "vehicle_brand": "Nissan",
        "vehicle_line": "NP300",
        "vehicle_year": 2023,
        "vehicle_vin": VIN,
        "vehicle_color": "Blanco",
        "vehicle_plates": "RFA1234",
    }
    assert new_ticket_initial(Ticket.objects.visible_to(client_a), {"placas": "ZZZ999"}) == {}
