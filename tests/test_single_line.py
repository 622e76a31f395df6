"""Single-line fields never store line breaks or control characters (issue 8, point 10):
Asunto and Nombre y apellidos on the portal, a ticket's subject in admin, a user's names
and an organization's name in admin, and whatever writes the models directly."""

import uuid

import pytest
from django.urls import reverse

from accounts.models import Organization, User
from jhl_portal.text import single_line
from tests.admin_pages import save_ticket_page
from tests.factories import make_ticket
from tickets.models import Ticket

# A header injection attempt, a NUL, an escape code, a right-to-left override, a
# zero-width space and a Unicode line separator around two words.
HOSTILE = "  Ana\r\nBcc: todos@jhl.mx\x00\x1b[2J\t\u202e\u200bGarcía\u2028 "
ONE_LINE = "Ana Bcc: todos@jhl.mx [2J García"


@pytest.mark.parametrize(
    "typed, stored",
    [
        (HOSTILE, ONE_LINE),
        ("Golpe en\ndefensa", "Golpe en defensa"),
        ("Golpe\r\n\r\n  trasero", "Golpe trasero"),
        ("Renovación de póliza", "Renovación de póliza"),
        ("", ""),
    ],
)
def test_single_line_collapses_breaks_and_drops_invisible_characters(typed, stored):
    assert single_line(typed) == stored


@pytest.mark.parametrize(
    "typed, stored",
    [
        # Spaces that are not ASCII's (no-break, em, ideographic) take the full path.
        ("Golpe\u00a0en  defensa", "Golpe en defensa"),
        ("Golpe\u2003\u3000trasero ", "Golpe trasero"),
        # Printable text takes the short path: only its runs of spaces change.
        ("  Renovación   de póliza  ", "Renovación de póliza"),
    ],
)
def test_single_line_treats_every_kind_of_space_alike(typed, stored):
    assert single_line(typed) == stored


def stored_is_one_line(value: str) -> bool:
    return value == single_line(value) and not any(char in value for char in "\r\n\x00\x1b\u202e\u200b")


@pytest.mark.django_db
class TestPortal:
    def test_the_new_ticket_form_stores_subject_and_name_on_one_line(self, client, client_a):
        client.force_login(client_a)
        response = client.post(
            reverse("portal:ticket_new"),
            {
                "contact_name": HOSTILE,
                "area": "siniestros",
                "subject": "Golpe en\r\ndefensa\x00 trasera",
                "description": "Primera línea\nSegunda línea",
                "vehicle_brand": "Nissan\n",
                "vehicle_line": "NP300\rFrontier",
                "vehicle_color": "Blanco\u202e",
                "client_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 302
        ticket = Ticket.objects.get()
        assert ticket.contact_name == ONE_LINE
        assert ticket.subject == "Golpe en defensa trasera"
        assert ticket.subject_search == "golpe en defensa trasera"
        assert (ticket.vehicle_brand, ticket.vehicle_line, ticket.vehicle_color) == ("Nissan", "NP300 Frontier", "Blanco")
        # A description is several lines by nature: kept as written.
        assert ticket.description == "Primera línea\nSegunda línea"


@pytest.mark.django_db
class TestAdmin:
    @pytest.fixture
    def admin_client(self, client, superuser, settings):
        settings.MFA_REQUIRED_FOR_STAFF = False
        client.force_login(superuser)
        return client

    def test_a_tickets_subject_edited_in_admin(self, admin_client, ticket_a):
        ticket_a.subject = "Renovación\r\nde póliza\x1b"
        assert save_ticket_page(admin_client, ticket_a).status_code == 302
        ticket_a.refresh_from_db()
        assert ticket_a.subject == "Renovación de póliza"

    def test_a_users_names_when_added(self, admin_client, org_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:accounts_user_add"),
                {"first_name": "Rosa\nMaría", "last_name": HOSTILE, "email": "rosa@tn.mx", "organization": org_a.pk},
            )
        assert response.status_code == 302
        user = User.objects.get(email="rosa@tn.mx")
        assert (user.first_name, user.last_name) == ("Rosa María", ONE_LINE)

    def test_a_users_names_when_changed(self, admin_client, client_a):
        response = admin_client.post(
            reverse("admin:accounts_user_change", args=[client_a.pk]),
            {
                "email": client_a.email,
                "first_name": "Ana\r\n",
                "last_name": "García\u2029Treviño",
                "organization": client_a.organization_id,
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        client_a.refresh_from_db()
        assert (client_a.first_name, client_a.last_name) == ("Ana", "García Treviño")

    def test_an_organizations_name(self, admin_client):
        response = admin_client.post(
            reverse("admin:accounts_organization_add"), {"name": "Transportes\r\ndel\tNorte\u202e", "rfc": ""}
        )
        assert response.status_code == 302
        assert Organization.objects.get().name == "Transportes del Norte"

    def test_a_collapsed_name_still_meets_the_unique_rule(self, admin_client, org_a):
        response = admin_client.post(reverse("admin:accounts_organization_add"), {"name": "Transportes\ndel Norte", "rfc": ""})
        assert response.status_code == 200
        assert Organization.objects.count() == 1


@pytest.mark.django_db
class TestDirectWrites:
    """Whatever skips the forms (a command, the e-mail ingester, a shell) stores one line too."""

    def test_users_created_by_the_manager(self):
        user = User.objects.create_user("ana@tn.mx", first_name="Ana\n", last_name="García\r\nTreviño")
        user.refresh_from_db()
        assert (user.first_name, user.last_name) == ("Ana", "García Treviño")

    def test_organizations_saved_directly(self):
        organization = Organization.objects.create(name="Constructora\nSol")
        assert organization.name == "Constructora Sol"
        assert Organization.objects.get().name == "Constructora Sol"

    def test_tickets_opened_by_the_service(self, client_a):
        ticket = make_ticket(requester=client_a, subject="Re: Póliza\r\n\tvencida")
        ticket.refresh_from_db()
        assert stored_is_one_line(ticket.subject)
        assert ticket.subject == "Re: Póliza vencida"
        assert Ticket.objects.search("poliza vencida").get() == ticket
