"""Daily: the `certificate.expired` webhook event for each certificate that expired, once per certificate."""

from django.core.management.base import BaseCommand, no_translations

from api.webhooks.expiry import certificate_expiries_emit


class Command(BaseCommand):
    help = (
        "Emit the certificate.expired webhook event for every certificate that expired in the last "
        "WEBHOOKS_EXPIRED_LOOKBACK_DAYS days and was not emitted before. Safe to run any number of "
        "times, on any number of machines: each certificate's expiry is emitted once."
    )

    @no_translations
    def handle(self, *args, **options):
        count = certificate_expiries_emit()
        self.stdout.write(f"Emitted the expiry of {count} certificate(s).")
