"""A trigram index for the portal's subject search, on PostgreSQL only.

TicketQuerySet.search() runs `subject_search LIKE '%text%'`; a B-tree cannot serve a
pattern with a leading wildcard, a GIN trigram index can (pg_trgm). SQLite has neither
the extension nor GIN, and its tables are small, so there the operations do nothing.
The index is created through the schema editor rather than declared in Ticket.Meta:
declared, Django would also try to build it on SQLite.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = GinIndex(fields=["subject_search"], name="ticket_subject_trgm", opclasses=["gin_trgm_ops"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("tickets", "Ticket"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("tickets", "Ticket"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0003_portal_search_and_form_token"),
    ]

    operations = [
        # CreateExtension itself does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
