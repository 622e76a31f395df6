"""The one way the project sends e-mail.

queue_email() renders a Spanish template pair (templates/emails/<name>.txt and .html)
and hands the message over once the current transaction commits, so no web request
ever talks SMTP and nothing is sent for work that was rolled back.

(First version: sends on commit. The e-mail issue replaces the delivery with a durable
queue; callers do not change.)
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Return (subject, text, html) of templates/emails/<template>.{subject.txt,txt,html}."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(*, template: str, to: list[str], context: dict, reply_to: list[str] | None = None, headers: dict | None = None) -> None:
    subject, text, html = render_email(template, context)

    def deliver():
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to, headers=headers)
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(deliver)
