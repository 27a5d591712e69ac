from django.core.management.base import BaseCommand

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo agencies, legal bases, courses, officers and accounts (idempotent)."

    def handle(self, *args, **options):
        report = seed_demo()
        self.stdout.write(self.style.SUCCESS(str(report)))
