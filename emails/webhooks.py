"""E-mail providers' inbound webhooks (django-anymail), fed to the one ingester.

Anymail checks the request (HTTP basic auth with ANYMAIL["WEBHOOK_SECRET"], plus the
provider's own signature where it has one) before the inbound signal is sent.
"""

import logging

from .inbound import ingest

logger = logging.getLogger(__name__)


def handle_inbound(sender, event, esp_name, **kwargs) -> None:
    message = event.message
    try:
        raw = message.as_bytes()
    except Exception:  # a provider-built message the email package cannot re-serialise
        logger.warning("Inbound message from %s re-encoded as text", esp_name, exc_info=True)
        raw = message.as_string().encode("utf-8", "replace")
    ingest(raw, source=f"webhook:{esp_name}")
