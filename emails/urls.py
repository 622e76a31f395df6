"""/correo/entrante/<provider>/inbound/: the providers' inbound webhooks (anymail).

Only the inbound views, and only when a webhook secret is configured: without one
anymail would accept unauthenticated posts.
"""

from anymail import urls as anymail_urls
from django.conf import settings

app_name = "anymail"
urlpatterns = (
    [p for p in anymail_urls.urlpatterns if p.name and p.name.endswith("_inbound_webhook")]
    if settings.ANYMAIL.get("WEBHOOK_SECRET")
    else []
)
