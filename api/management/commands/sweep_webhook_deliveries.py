"""Every few minutes: ask the worker again for webhook deliveries that are due and not in the queue,
and erase the previous signing secrets whose grace period is over."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from api.webhooks.services import webhook_deliveries_sweep, webhook_endpoint_previous_secrets_forget
from lms.queueing import QueueUnavailable


class Command(BaseCommand):
    help = (
        "Enqueue one send for each pending webhook delivery whose next try is overdue by more than "
        "WEBHOOKS_SWEEP_GRACE_SECONDS and that is not waiting in the queue (its worker was killed, the "
        "queue was down, or the task backend cannot defer retries), and erase previous signing secrets whose "
        "grace period (WEBHOOKS_SECRET_GRACE_HOURS) is over. Safe to run any number of times."
    )

    @no_translations
    def handle(self, *args, **options):
        # They sign nothing after their grace period anyway; this keeps them out of the database.
        webhook_endpoint_previous_secrets_forget(now=timezone.now())
        try:
            count = webhook_deliveries_sweep()
        except QueueUnavailable:
            raise CommandError("The task queue cannot be reached; the deliveries stay pending, run again later.") from None
        self.stdout.write(f"Enqueued {count} webhook delivery(ies).")
