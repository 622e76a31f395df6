"""Scrub the access links of account e-mails sent before bodies were scrubbed on send.

The template names and the note are copied here on purpose: a migration must keep
doing what it did even if OutboundEmail.SENSITIVE_TEMPLATES changes later.
"""

from django.db import migrations

SENSITIVE_TEMPLATES = ["invitation", "account/password_reset_key", "account/notice"]
SCRUBBED_NOTE = "[Contenido retirado tras el envío: contenía un enlace de acceso personal.]"


def scrub(apps, schema_editor):
    OutboundEmail = apps.get_model("emails", "OutboundEmail")
    OutboundEmail.objects.filter(status="sent", template__in=SENSITIVE_TEMPLATES).update(text=SCRUBBED_NOTE, html="")


class Migration(migrations.Migration):
    dependencies = [("emails", "0001_initial")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
