"""The vehicle pages of the portal and the admin, and the VIN lookup."""

import pytest
from django.urls import reverse

from .conftest import VIN

pytestmark = pytest.mark.django_db

LIST = reverse("vehicles:vehicle_list")
NISSAN_PAGE = reverse("vehicles:vehicle_by_vin", kwargs={"vin": VIN})
VAN_PAGE = reverse("vehicles:vehicle_by_plates", kwargs={"plates": "NLB4521"})
LOOKUP = reverse("vehicles:vin_lookup")


@pytest.fixture
def ana(client, client_a):
    client.force_login(client_a)
    return client


def test_mis_vehiculos_lists_the_organizations_vehicles(ana, fleet):
    content = ana.get(LIST).text
    assert "Nissan NP300 2023" in content and NISSAN_PAGE in content
    assert VAN_PAGE in content


def test_the_vehicle_page_shows_every_area_and_status(ana, fleet):
    content = ana.get(NISSAN_PAGE).text
    for ticket in (fleet["seguros"], fleet["gestoria"], fleet["siniestro"]):
        assert ticket.subject in content
        assert ticket.status_text in content
    assert fleet["ajeno"].subject not in content
    assert f"{reverse('portal:ticket_new')}?vin={VIN}" in content
    # The VIN's own reading, next to what the tickets say.
    assert "Según el número de serie" in content


def test_another_companys_vehicle_answers_404(client, client_a, client_b, fleet):
    client.force_login(client_b)
    assert client.get(VAN_PAGE).status_code == 404
    assert client.get(reverse("vehicles:vehicle_by_vin", kwargs={"vin": "1HGCM82633A004352"})).status_code == 404


def test_the_pages_need_a_login(client, fleet):
    assert client.get(NISSAN_PAGE).status_code == 302
    assert client.get(LOOKUP, {"vin": VIN}).status_code == 302


def test_the_ticket_page_links_to_its_vehicle(ana, fleet):
    content = ana.get(reverse("portal:ticket_detail", args=[fleet["seguros"].number])).text
    assert NISSAN_PAGE in content
    content = ana.get(reverse("portal:ticket_detail", args=[fleet["van"].number])).text
    assert VAN_PAGE in content


def test_the_menu_offers_mis_vehiculos(ana, fleet):
    assert f'href="{LIST}"' in ana.get(reverse("portal:ticket_list")).text


def test_the_new_ticket_button_prefills_the_vehicle(ana, fleet):
    form = ana.get(reverse("portal:ticket_new"), {"vin": VIN}).context["form"]
    assert form.initial["vehicle_vin"] == VIN and form.initial["vehicle_brand"] == "Nissan"
    form = ana.get(reverse("portal:ticket_new"), {"placas": "NLB4521"}).context["form"]
    assert form.initial["vehicle_plates"] == "NLB4521"


def test_a_vehicle_of_another_company_prefills_nothing(client, client_b, fleet):
    client.force_login(client_b)
    form = client.get(reverse("portal:ticket_new"), {"placas": "NLB4521"}).context["form"]
    assert "vehicle_plates" not in form.initial


def test_the_lookup_decodes_a_valid_vin(ana):
    data = ana.get(LOOKUP, {"vin": "1hgcm82633a004352"}).json()
    assert data == {
        "valid": True,
        "vin": "1HGCM82633A004352",
        "maker": "Honda",
        "year": 2003,
        "hint": "Según el número de serie: Honda, 2003",
    }


def test_the_lookup_explains_a_wrong_vin(ana):
    data = ana.get(LOOKUP, {"vin": "1HGCM82643A004352"}).json()
    assert data["valid"] is False and "dígito verificador" in data["error"]


def test_the_pages_run_a_constant_number_of_queries(ana, fleet, django_assert_num_queries):
    # Session and user, the session's idle-timeout refresh (savepoint, update,
    # release), then: the list's 2 grouping queries; the page's one ticket query.
    with django_assert_num_queries(7):
        ana.get(LIST)
    with django_assert_num_queries(6):
        ana.get(NISSAN_PAGE)


def test_staff_see_the_vehicle_across_the_areas_they_serve(client, staff_seguros, fleet):
    client.force_login(staff_seguros)
    content = client.get(reverse("vehicles_admin:vehicle_by_vin", kwargs={"vin": VIN})).text
    assert fleet["seguros"].subject in content and fleet["ajeno"].subject in content
    assert fleet["gestoria"].subject not in content
    assert client.get(reverse("vehicles_admin:vehicle_by_plates", kwargs={"plates": "NLB4521"})).status_code == 404
    assert "Nissan NP300 2023" in client.get(reverse("vehicles_admin:vehicle_list")).text


def test_a_superuser_sees_every_area(client, superuser, fleet):
    client.force_login(superuser)
    content = client.get(reverse("vehicles_admin:vehicle_by_vin", kwargs={"vin": VIN})).text
    for ticket in (fleet["seguros"], fleet["gestoria"], fleet["siniestro"], fleet["ajeno"]):
        assert ticket.subject in content


def test_the_admin_ticket_page_links_to_the_vehicle(client, superuser, fleet):
    client.force_login(superuser)
    content = client.get(reverse("admin:tickets_ticket_change", args=[fleet["seguros"].pk])).text
    assert reverse("vehicles_admin:vehicle_by_vin", kwargs={"vin": VIN}) in content


def test_clients_cannot_open_the_admin_view(client, client_a, fleet):
    client.force_login(client_a)
    response = client.get(reverse("vehicles_admin:vehicle_by_vin", kwargs={"vin": VIN}))
    assert response.status_code == 302 and "login" in response["Location"]
