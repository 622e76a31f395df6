"""Staff see mail in admin: failed sends to retry, held messages to turn into tickets."""

import pytest
from django.urls import reverse

from accounts.services import invitation_send
from emails.inbound import ingest
from emails.models import InboundEmail, OutboundEmail
from emails.outbound import queue_email
from tests.emails.conftest import load_eml
from tests.factories import UserFactory
from workflows.models import Area

pytestmark = pytest.mark.django_db


def test_failed_mail_is_listed_and_can_be_retried(client, superuser, ticket_a, committed, deliver):
    email = committed(queue_email, template="ticket_created", to=["ana@transportesdelnorte.mx"], context={}, ticket=ticket_a)
    OutboundEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8, last_error="SMTPServerDisconnected: cerrado")
    client.force_login(superuser)
    changelist = reverse("admin:emails_outboundemail_changelist")

    page = client.get(changelist, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "SMTPServerDisconnected: cerrado" in page.text
    assert "Reintentar envío" in page.text

    with committed.capture():
        response = client.post(changelist, {"action": "retry", "_selected_action": [email.pk]})
    assert response.status_code == 302
    assert len(deliver()) == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == "sent"


def test_a_strangers_mail_becomes_a_ticket_for_the_chosen_client(client, superuser, client_a, committed, deliver):
    inbound, _ = committed(ingest, load_eml("22_stranger.eml"), source="imap")
    client.force_login(superuser)
    changelist = reverse("admin:emails_inboundemail_changelist")

    listing = client.get(changelist, {"outcome__exact": "unknown_sender"})
    assert "ventas@proveedor-desconocido.com" in listing.text
    form = client.post(changelist, {"action": "convert_to_ticket", "_selected_action": [inbound.pk]})
    assert form.status_code == 200 and "Crear ticket desde un correo" in form.text

    seguros = Area.objects.get(slug="seguros")
    with committed.capture():
        done = client.post(
            changelist,
            {
                "action": "convert_to_ticket",
                "_selected_action": [inbound.pk],
                "apply": "1",
                "requester": client_a.pk,
                "area": seguros.pk,
            },
        )
    assert done.status_code == 302
    inbound.refresh_from_db()
    assert inbound.outcome == InboundEmail.Outcome.CONVERTED
    assert inbound.ticket.requester == client_a and inbound.ticket.area == seguros
    assert any(m.to == ["ana@transportesdelnorte.mx"] for m in deliver())


def test_the_original_message_is_downloaded_never_rendered(client, superuser, committed):
    inbound, _ = committed(ingest, load_eml("04_html_only_reply.eml", reply_to="x@y.z", number=1), source="imap")
    client.force_login(superuser)

    response = client.get(reverse("admin:emails_inboundemail_raw", args=[inbound.pk]))

    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b'<script>alert("xss")</script>' in response.content


def test_clients_cannot_reach_the_mail_admin(client, client_a):
    client.force_login(client_a)
    assert client.get(reverse("admin:emails_inboundemail_changelist")).status_code == 302


def test_a_team_member_sees_the_outbound_mail_of_their_tickets_and_the_inbound_triage(
    client, staff_seguros, client_a, ticket_a, committed
):
    from tests.factories import make_ticket

    gestoria = make_ticket(requester=client_a, area="gestorias", subject="Trámite de placas")
    committed(queue_email, template="ticket_created", to=["a@x.mx"], context={}, ticket=ticket_a)
    committed(queue_email, template="ticket_created", to=["b@x.mx"], context={}, ticket=gestoria)
    stranger, _ = committed(ingest, load_eml("22_stranger.eml"), source="imap")
    about_gestoria, _ = committed(ingest, load_eml("24_colleague_reply_all_to_new_request.eml"), source="imap")
    InboundEmail.objects.filter(pk=about_gestoria.pk).update(ticket=gestoria)
    client.force_login(staff_seguros)

    outbound_page = client.get(reverse("admin:emails_outboundemail_changelist"))
    assert outbound_page.status_code == 200
    assert "a@x.mx" in outbound_page.text and "b@x.mx" not in outbound_page.text
    inbound_page = client.get(reverse("admin:emails_inboundemail_changelist"))
    assert "ventas@proveedor-desconocido.com" in inbound_page.text
    assert client.get(reverse("admin:emails_inboundemail_change", args=[about_gestoria.pk])).status_code == 302

    gestoria_mail = OutboundEmail.objects.get(ticket=gestoria)
    assert client.get(reverse("admin:emails_outboundemail_change", args=[gestoria_mail.pk])).status_code == 302


# --- Account mail carries access links ------------------------------------------------


@pytest.fixture
def invitation(invited, committed):
    """The queued invitation e-mail of a client added by IT, and its link."""
    token = committed(invitation_send, user=invited)
    return OutboundEmail.objects.get(template="invitation", to=[invited.email]), token


@pytest.fixture
def invited(org_a):
    return UserFactory(email="nuevo@transportesdelnorte.mx", organization=org_a, password=None)


def test_a_team_member_can_neither_list_nor_open_an_account_email(client, staff_seguros, invitation):
    email, token = invitation
    client.force_login(staff_seguros)

    listing = client.get(reverse("admin:emails_outboundemail_changelist"))
    assert listing.status_code == 200 and "nuevo@transportesdelnorte.mx" not in listing.text
    assert client.get(reverse("admin:emails_outboundemail_change", args=[email.pk])).status_code == 302


def test_the_admin_page_of_a_queued_invitation_hides_the_link_even_from_a_superuser(client, superuser, invitation):
    email, token = invitation
    assert token in email.text  # queued: the worker still needs it
    client.force_login(superuser)

    page = client.get(reverse("admin:emails_outboundemail_change", args=[email.pk]))

    assert page.status_code == 200
    assert "nuevo@transportesdelnorte.mx" in page.text
    assert token not in page.text
    assert "Contenido oculto: contiene un enlace de acceso personal." in page.text


def test_the_body_of_an_ordinary_message_is_shown_to_staff(client, staff_seguros, ticket_a, committed):
    email = committed(queue_email, template="ticket_created", to=["a@x.mx"], context={}, ticket=ticket_a)
    client.force_login(staff_seguros)

    page = client.get(reverse("admin:emails_outboundemail_change", args=[email.pk]))

    assert "Recibimos su requerimiento" in page.text


# --- Turning held mail into tickets -----------------------------------------------------


def test_a_team_member_converts_mail_only_into_their_own_areas(client, staff_seguros, client_a, committed):
    inbound, _ = committed(ingest, load_eml("22_stranger.eml"), source="imap")
    client.force_login(staff_seguros)
    changelist = reverse("admin:emails_inboundemail_changelist")

    form = client.post(changelist, {"action": "convert_to_ticket", "_selected_action": [inbound.pk]})
    assert "Seguros" in form.text and "Gestorías" not in form.text

    gestorias = Area.objects.get(slug="gestorias")
    refused = client.post(
        changelist,
        {
            "action": "convert_to_ticket",
            "_selected_action": [inbound.pk],
            "apply": "1",
            "requester": client_a.pk,
            "area": gestorias.pk,
        },
    )
    assert refused.status_code == 200  # the form again, with its error
    inbound.refresh_from_db()
    assert inbound.outcome == InboundEmail.Outcome.UNKNOWN_SENDER and inbound.ticket is None
