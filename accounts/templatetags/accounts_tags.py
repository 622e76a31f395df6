from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def registration_request_email() -> str:
    """The address clients write to for an account (settings.REGISTRATION_REQUEST_EMAIL)."""
    return settings.REGISTRATION_REQUEST_EMAIL
