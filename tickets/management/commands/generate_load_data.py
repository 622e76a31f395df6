from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.load_data import LOAD_PASSWORD, generate


class Command(BaseCommand):
    help = (
        "Fill the database with realistic load-test data: companies of very different sizes, their users, "
        "tickets in every stage and their timelines (COPY on PostgreSQL). Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=1_000_000)
        parser.add_argument("--companies", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same data.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on production data).")

    def handle(self, *args, tickets, companies, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to load test data anyway.")
        if companies < 1 or tickets < companies:
            raise CommandError("Give at least one company and at least one ticket per company.")
        result = generate(tickets=tickets, companies=companies, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.organizations:,} companies, {result.users:,} users, {result.tickets:,} tickets and "
                f"{result.entries:,} timeline entries in {result.seconds:.0f} s. Password of every client user: {LOAD_PASSWORD}"
            )
        )
