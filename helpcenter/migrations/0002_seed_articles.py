from django.db import migrations


def load(apps, schema_editor):
    from helpcenter.seed import load_articles

    load_articles(apps.get_model("helpcenter", "Article"), apps.get_model("workflows", "Area"))


class Migration(migrations.Migration):
    dependencies = [
        ("helpcenter", "0001_initial"),
        ("workflows", "0002_load_pipelines"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
