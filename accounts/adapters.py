"""How allauth is bent to the portal: no open sign-up, and its e-mails leave through
emails.outbound.queue_email like every other message of the project."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from emails.outbound import queue_email

from . import services


def _outbound_template(template_prefix: str) -> str:
    """Our template name for an allauth e-mail: "account/email/password_reset_key" →
    "account/password_reset_key" (templates/emails/account/password_reset_key.*)."""
    return template_prefix.replace("/email/", "/", 1)


def _plain(value):
    # queue_email may store its context for later (the durable queue), so only plain
    # values travel: no request, no model instances.
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Seed 001: the portal "no está abierto para cualquier persona"; IT registers
        # clients (accounts.admin) and they finish through their invitation.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's e-mail and hand it to queue_email.

        E-mails that clients meet in the normal flow (the password reset link, the
        "no account" answer) have our own Spanish text and HTML under
        templates/emails/account/. Any other allauth notice (password changed, TOTP
        enrolled…) is rendered from allauth's own text templates, translated by its
        Spanish catalogue, and wrapped in our generic layout.
        """
        user = context.get("user")
        plain_context = {
            "email": email,
            "first_name": getattr(user, "first_name", ""),
            **{key: _plain(value) for key, value in context.items() if key not in {"request", "user", "current_site"}},
        }
        template = _outbound_template(template_prefix)
        try:
            get_template(f"emails/{template}.subject.txt")
        except TemplateDoesNotExist:
            # allauth's texts greet "from {{ current_site.name }}": make that JHLeasing.
            site = SimpleNamespace(name="JHLeasing", domain=urlsplit(settings.SITE_URL).netloc)
            with translation.override(settings.LANGUAGE_CODE):
                subject = render_to_string(f"{template_prefix}_subject.txt", {**context, "current_site": site}).strip()
                body = render_to_string(f"{template_prefix}_message.txt", {**context, "current_site": site}).strip()
            plain_context.update({"subject": self.format_email_subject(subject), "body": body})
            template = "account/notice"
        queue_email(template=template, to=[email], context=plain_context)

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        # A client who never chose a password has nothing to reset: "¿Olvidó su
        # contraseña?" gives them a fresh invitation instead (same page on screen).
        if user.can_be_invited:
            services.invitation_send(user=user)
            return
        super().send_password_reset_mail(user, email, context)
