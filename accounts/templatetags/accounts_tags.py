from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def registration_request_email() -> str:
    """The address clients write to for an account (settings.REGISTRATION_REQUEST_EMAIL)."""
    return settings.REGISTRATION_REQUEST_EMAIL


@register.simple_tag
def password_rules() -> list[dict]:
    """The seed's password rules as configured (accounts.validators.password_rules)."""
    from accounts.validators import password_rules as rules

    return rules()
