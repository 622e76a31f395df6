"""Providers' inbound webhooks (django-anymail) feed the same ingester."""

import base64
import json

import pytest
from django.urls import reverse

from emails.models import InboundEmail
from tests.emails.conftest import load_eml, reply_values
from tickets.models import TimelineEntry

pytestmark = pytest.mark.django_db


def basic_auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "proveedor:s3cr3t-de-prueba"}
    return settings.ANYMAIL["WEBHOOK_SECRET"]


def test_the_webhook_url_is_under_correo_entrante():
    assert reverse("anymail:postmark_inbound_webhook") == "/correo/entrante/postmark/inbound/"


def postmark(client, raw: bytes, **auth):
    """What Postmark posts for an inbound message (with "include raw email" on)."""
    payload = {"RawEmail": raw.decode("ascii", "replace"), "MessageID": "3c7a2b1e-postmark", "Headers": []}
    return client.post("/correo/entrante/postmark/inbound/", json.dumps(payload), content_type="application/json", **auth)


def test_a_providers_raw_message_is_ingested(client, secret, ticket_a, django_capture_on_commit_callbacks):
    raw = load_eml("01_gmail_reply_es.eml", message_id="<none@x>", **reply_values(ticket_a))

    with django_capture_on_commit_callbacks(execute=True):
        response = postmark(client, raw, **basic_auth(secret))

    assert response.status_code == 200
    inbound = InboundEmail.objects.get()
    assert inbound.source == "webhook:Postmark"
    assert inbound.outcome == InboundEmail.Outcome.ADDED
    entry = ticket_a.entries.filter(kind=TimelineEntry.Kind.CLIENT_MESSAGE).last()
    assert entry.body.startswith("Hola Patricia,\n\nLes confirmo que las 12 unidades")


def test_a_post_without_the_secret_is_refused(client, secret, client_a):
    raw = load_eml("07_new_request_encoded_subject.eml")

    anonymous = postmark(client, raw)
    wrong = postmark(client, raw, **basic_auth("proveedor:adivinando"))

    # django-anymail refuses a failed basic-auth check as a suspicious request.
    assert anonymous.status_code == 400
    assert wrong.status_code == 400
    assert InboundEmail.objects.count() == 0
