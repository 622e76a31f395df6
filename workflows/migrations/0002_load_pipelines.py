from django.db import migrations

from workflows.pipelines import load_pipelines


def forwards(apps, schema_editor):
    load_pipelines(apps.get_model("workflows", "Area"), apps.get_model("workflows", "Stage"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
