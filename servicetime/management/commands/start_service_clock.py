from django.core.management.base import BaseCommand

from servicetime.backfill import start_clocks


class Command(BaseCommand):
    help = (
        "Give the open tickets that predate the service clock (issue 11.2) their deadline in the stage they are in, "
        "counted from when they entered it. Idempotent."
    )

    def handle(self, *args, **options):
        started = start_clocks()
        self.stdout.write(f"{started} ticket(s) got a deadline.")
