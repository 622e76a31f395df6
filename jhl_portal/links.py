"""Links that leave the site (e-mails): the portal's public address plus a URL name."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, **kwargs) -> str:
    """settings.SITE_URL + reverse(viewname): in an e-mail there is no request to ask."""
    return settings.SITE_URL + reverse(viewname, kwargs=kwargs or None)
