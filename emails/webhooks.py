"""E-mail providers' inbound webhooks (django-anymail), fed to the one ingester.

Anymail checks the request (HTTP basic auth with ANYMAIL["WEBHOOK_SECRET"], plus the
provider's own signature where it has one) before the inbound signal is sent.
"""

from .inbound import ingest


def handle_inbound(sender, event, esp_name, **kwargs) -> None:
    ingest(event.message.as_bytes(), source=f"webhook:{esp_name}")
