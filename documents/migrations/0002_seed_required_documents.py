from django.db import migrations

from documents.seed import load_required_documents


def forwards(apps, schema_editor):
    load_required_documents(apps.get_model("workflows", "Stage"), apps.get_model("documents", "RequiredDocument"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("workflows", "0002_load_pipelines")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
