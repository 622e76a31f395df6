from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from workflows.models import Area, Stage
from workflows.pipelines import load_pipelines


class Command(BaseCommand):
    help = "Load the area pipelines of workflows/pipelines.json (idempotent)."

    def handle(self, *args, **options):
        changed = load_pipelines(Area, Stage, Group)
        self.stdout.write(f"{changed} rows created or updated.")
