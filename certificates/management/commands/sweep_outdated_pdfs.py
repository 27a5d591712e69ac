"""Every few minutes: ask the worker again for PDFs that are missing or outdated and have no live render."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from certificates.services import certificates_render_sweep
from lms.queueing import QueueUnavailable


class Command(BaseCommand):
    help = (
        "Enqueue one render for each certificate whose PDF is missing or outdated and whose last render "
        "was asked for more than CERTIFICATE_RENDER_LEASE_SECONDS ago (its worker was killed, or the queue "
        "was down) and is not waiting in the queue. Safe to run any number of times, on any number of machines."
    )

    @no_translations
    def handle(self, *args, **options):
        try:
            count = certificates_render_sweep()
        except QueueUnavailable:
            raise CommandError("The task queue cannot be reached; the PDFs stay wanted, run again later.") from None
        self.stdout.write(f"Enqueued {count} certificate render(s).")
