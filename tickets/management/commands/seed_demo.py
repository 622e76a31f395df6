from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load demo organizations, users and tickets (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on production data).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to load demo data anyway.")
        created = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} tickets created). Password for every demo user: {DEMO_PASSWORD}")
        )
