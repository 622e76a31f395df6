from django.core.management.base import BaseCommand

from emails.outbound import requeue_stale


class Command(BaseCommand):
    help = "Re-enqueue queued e-mail whose task was lost (run every few minutes from cron)."

    def handle(self, *args, **options):
        count = requeue_stale()
        if count or options["verbosity"] > 1:
            self.stdout.write(f"Re-enqueued {count} e-mail(s).")
