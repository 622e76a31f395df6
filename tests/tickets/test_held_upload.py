"""A file chosen on the new-ticket form survives the form coming back unsent (issue 8.1):
the duplicate confirmation, or a field to fix. The server holds the checked file under
the form's one-time token, for the same person only, until the ticket takes it."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_ticket
from tests.files import PDF_BYTES, fake_pdf, pdf
from tests.servers import bucket_keys
from tests.test_storage import bucket, s3_endpoint  # noqa: F401 (fixtures: a moto S3 server and a bucket)
from tickets import services
from tickets.forms import NewTicketForm
from tickets.models import Attachment, HeldUpload, Ticket
from tickets.uploads import validate_upload
from workflows.models import Area

pytestmark = pytest.mark.django_db

NEW_URL = reverse("portal:ticket_new")


def form_data(**overrides) -> dict:
    return {
        "contact_name": "Ana García",
        "area": "gestorias",
        "subject": "Verificación de la Frontier",
        "description": "Necesitamos agendar la verificación del segundo semestre.",
        "client_token": str(uuid.uuid4()),
        **overrides,
    }


@pytest.fixture
def open_gestoria(client_a):
    """Ana already has an open Gestorías ticket: a new one there asks for confirmation."""
    return make_ticket(requester=client_a, area="gestorias", subject="Trámite de gestoría vehicular")


def sent_again(page, data: dict, **changes) -> dict:
    """The form of the returned `page` sent again with `changes`: with the marker of a
    held file when the page showed one, as a browser would send it."""
    held = 'name="held_attachment" value="on"' in page.text
    return {**data, **({"held_attachment": "on"} if held else {}), **changes}


def new_ticket():
    return Ticket.objects.get(subject="Verificación de la Frontier")


def attachment_names(ticket) -> list[str]:
    return [a.original_name for a in Attachment.objects.filter(entry__ticket=ticket)]


def test_the_duplicate_step_keeps_the_pdf_until_the_client_confirms(
    logged_in, client_a, open_gestoria, django_capture_on_commit_callbacks
):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf("tarjeta de circulación.pdf")})
    assert warned.status_code == 200
    assert "Ya tiene tickets abiertos en esta área" in warned.text
    assert "Su solicitud aún no se ha enviado." in warned.text
    assert "Conservamos su archivo <strong>tarjeta de circulación.pdf</strong>" in warned.text
    assert "vuelva a seleccionarlo" not in warned.text
    held = HeldUpload.objects.get()
    assert (held.owner, str(held.client_token)) == (client_a, data["client_token"])
    assert default_storage.exists(held.file.name)
    assert not held.file.name.endswith("circulación.pdf")  # a random name, never the client's

    with django_capture_on_commit_callbacks(execute=True):
        sent = logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on"))
    assert sent.status_code == 302
    ticket = new_ticket()
    attachment = Attachment.objects.get(entry__ticket=ticket)
    assert attachment.original_name == "tarjeta de circulación.pdf"
    assert attachment.file.read() == PDF_BYTES
    assert not HeldUpload.objects.exists()
    assert not default_storage.exists(held.file.name)


def test_a_field_to_fix_keeps_the_pdf_too(logged_in):
    data = form_data(vehicle_vin="3N6AD33A3PK812345")
    refused = logged_in.post(NEW_URL, {**data, "attachment": pdf("poliza.pdf")})
    assert refused.status_code == 400
    assert "Conservamos su archivo <strong>poliza.pdf</strong>" in refused.text
    logged_in.post(NEW_URL, sent_again(refused, data, vehicle_vin=""))
    assert attachment_names(new_ticket()) == ["poliza.pdf"]


def test_a_held_file_serves_only_its_owner(client, client_a, colleague_a, open_gestoria):
    data = form_data()
    client.force_login(client_a)
    warned = client.post(NEW_URL, {**data, "attachment": pdf()})
    # Luis sends a form with Ana's token (he could not know it, but suppose he did).
    client.force_login(colleague_a)
    response = client.post(NEW_URL, sent_again(warned, data, area="seguros"))
    assert "Conservamos su archivo" not in response.text
    assert attachment_names(Ticket.objects.get(requester=colleague_a)) == []
    assert HeldUpload.objects.get().owner == client_a


def test_the_client_may_decide_not_to_send_the_held_file(logged_in, open_gestoria):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf()})
    logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on", drop_attachment="on"))
    assert attachment_names(new_ticket()) == []
    assert not HeldUpload.objects.exists()


def test_a_newly_chosen_file_replaces_the_held_one(logged_in, open_gestoria, django_capture_on_commit_callbacks):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf("primero.pdf")})
    first = HeldUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on", attachment=pdf("segundo.pdf")))
    assert attachment_names(new_ticket()) == ["segundo.pdf"]
    assert not default_storage.exists(first.file.name)


def test_a_refused_new_file_lets_the_held_one_go_and_says_to_choose_again(logged_in, open_gestoria):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf("primero.pdf")})
    response = logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on", attachment=fake_pdf()))
    assert response.status_code == 400
    assert "no es un archivo PDF válido" in response.text
    assert "vuelva a seleccionarlo" in response.text
    assert "Conservamos su archivo" not in response.text
    assert not HeldUpload.objects.exists()


def test_a_file_held_more_than_a_day_ago_is_not_sent(logged_in, open_gestoria):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf()})
    HeldUpload.objects.update(created_at=timezone.now() - HeldUpload.MAX_AGE - timedelta(minutes=1))
    logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on"))
    assert attachment_names(new_ticket()) == []


def test_a_page_that_showed_no_held_file_sends_none(logged_in, open_gestoria):
    """Another tab's page with the same token, from before the file was chosen: what
    the client sends is what that page showed, and the form does not look for a file."""
    data = form_data()
    logged_in.post(NEW_URL, {**data, "attachment": pdf("primero.pdf")})
    with CaptureQueriesContext(connection) as queries:
        sent = logged_in.post(NEW_URL, {**data, "confirm_duplicate": "on"})
    assert sent.status_code == 302
    assert not [query for query in queries if "tickets_heldupload" in query["sql"]]
    assert attachment_names(new_ticket()) == []
    assert HeldUpload.objects.count() == 1  # left to expire (held_upload_keep sweeps it)


def test_the_duplicate_rule_lives_in_the_form(client_a, open_gestoria):
    form = NewTicketForm(form_data(), user=client_a)
    assert form.is_valid()
    assert form.duplicates == [open_gestoria]
    assert not form.may_be_sent
    confirmed = NewTicketForm(form_data(confirm_duplicate="on"), user=client_a)
    assert confirmed.may_be_sent
    elsewhere = NewTicketForm(form_data(area="seguros"), user=client_a)
    assert elsewhere.may_be_sent and elsewhere.duplicates == []


def test_opening_the_ticket_drops_the_held_file(client_a, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    held = services.held_upload_keep(owner=client_a, client_token=token, upload=validate_upload(pdf()))
    ticket = Ticket(
        area=Area.objects.get(slug="seguros"), requester=client_a, subject="Con archivo", description="x", client_token=token
    )
    with django_capture_on_commit_callbacks(execute=True):
        opened, created = services.ticket_open_once(ticket=ticket, attachments=[held.as_upload()])
    assert created
    assert attachment_names(opened) == ["poliza.pdf"]
    assert not HeldUpload.objects.exists()
    assert not default_storage.exists(held.file.name)


def test_unsent_forms_cannot_pile_files_up(client_a, colleague_a, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now() - HeldUpload.MAX_AGE - timedelta(hours=1)):
        expired = services.held_upload_keep(owner=colleague_a, client_token=uuid.uuid4(), upload=validate_upload(pdf()))
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(HeldUpload.MAX_PER_OWNER + 2):
            services.held_upload_keep(owner=client_a, client_token=uuid.uuid4(), upload=validate_upload(pdf()))
    assert HeldUpload.objects.filter(owner=client_a).count() == HeldUpload.MAX_PER_OWNER
    assert not HeldUpload.objects.filter(pk=expired.pk).exists()
    assert not default_storage.exists(expired.file.name)


def test_the_held_file_reaches_the_ticket_from_object_storage(
    logged_in,
    open_gestoria,
    bucket,  # noqa: F811 (the imported fixture)
    s3_endpoint,  # noqa: F811 (the imported fixture)
    django_capture_on_commit_callbacks,
):
    data = form_data()
    warned = logged_in.post(NEW_URL, {**data, "attachment": pdf("tarjeta.pdf")})
    held = HeldUpload.objects.get()
    assert held.file.name in bucket_keys(s3_endpoint, bucket)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(NEW_URL, sent_again(warned, data, confirm_duplicate="on"))
    attachment = Attachment.objects.get(entry__ticket=new_ticket())
    assert attachment.file.read() == PDF_BYTES
    assert bucket_keys(s3_endpoint, bucket) == [attachment.file.name]
