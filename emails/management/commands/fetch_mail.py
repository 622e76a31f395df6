from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from emails.mailbox import fetch_mail


class Command(BaseCommand):
    help = "Ingest the messages waiting in the support IMAP mailbox (run every minute from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Process at most this many messages.")

    def handle(self, *args, limit=None, **options):
        if not settings.IMAP_HOST:
            raise CommandError("IMAP_HOST is not set: there is no mailbox to read.")
        counts = fetch_mail(limit=limit)
        if counts or options["verbosity"] > 1:
            self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing to do")
