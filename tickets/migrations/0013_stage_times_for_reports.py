# Issue 12: the board and the area reports read these columns instead of searching
# each ticket's timeline (reports under a second at a million tickets).

from django.conf import settings
from django.db import migrations, models

from tickets.stage_times import fill_stage_times


def backfill(apps, schema_editor):
    fill_stage_times(apps.get_model("tickets", "Ticket"), apps.get_model("tickets", "TimelineEntry"))


class Migration(migrations.Migration):
    # PostgreSQL cannot build an index in the transaction that updated the table's rows
    # (pending trigger events): the backfill commits on its own first.
    atomic = False

    dependencies = [
        ('accounts', '0004_single_line_names'),
        ('tickets', '0012_vehicle_lookup_indexes'),
        ('workflows', '0003_stage_waits_on_client'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_area_created',
        ),
        migrations.RemoveIndex(
            model_name='timelineentry',
            name='entry_stage_change_from',
        ),
        migrations.AddField(
            model_name='ticket',
            name='first_response_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='primera respuesta'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='stage_entered_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='en la etapa desde'),
        ),
        migrations.AddField(
            model_name='timelineentry',
            name='stage_stay',
            field=models.DurationField(blank=True, editable=False, null=True, verbose_name='tiempo en la etapa'),
        ),
        # Filled before the new indexes are built: one index build instead of updates to it.
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['area', 'created_at'], include=('first_response_at',), name='ticket_area_created_response'),
        ),
        migrations.AddIndex(
            model_name='timelineentry',
            index=models.Index(condition=models.Q(('kind', 'stage_change')), fields=['from_stage', 'created_at'], include=('stage_stay',), name='entry_stage_change_stay'),
        ),
    ]
