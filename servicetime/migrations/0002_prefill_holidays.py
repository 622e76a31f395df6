from django.db import migrations

from servicetime.holidays import load_holidays


def prefill(apps, schema_editor):
    # Mexico's official rest days of 2026–2028 (LFT art. 74); staff edit them in admin.
    load_holidays(apps.get_model("servicetime", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("servicetime", "0001_initial")]

    operations = [migrations.RunPython(prefill, migrations.RunPython.noop)]
