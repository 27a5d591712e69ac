"""Daily: email holders whose certificates expire in 30 and in 7 days (once per threshold), and officers
whose refresher reminder has not gone out yet (its task could not be queued, or its send failed)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from certificates.refreshers import refresher_reminders_send
from certificates.reminders import expiry_reminders_send


class Command(BaseCommand):
    help = "Send expiry reminder emails 30 and 7 days before certificates expire; safe to run any number of times."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must look like 2026-11-23, not {date!r}.") from None
        sent = expiry_reminders_send(today=today)
        self.stdout.write(f"Sent {sent} expiry reminder(s).")
        self.stdout.write(f"Sent {refresher_reminders_send()} refresher reminder(s).")
