"""Daily: delete exports, officer uploads and print bundles older than HR_FILE_RETENTION_DAYS."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.template.defaultfilters import filesizeformat

from certificates.hr.services import hr_files_cleanup


class Command(BaseCommand):
    help = (
        "Delete the stored files of finished HR exports, officer imports and certificate bundles older than "
        "HR_FILE_RETENTION_DAYS (and of failed ones); their records stay. Safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted.")

    @no_translations  # an operator's log in English, like the other commands (sizes as 1.2 MB)
    def handle(self, *args, dry_run=False, **options):
        result = hr_files_cleanup(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for item in result.files:
            size = filesizeformat(item.size) if item.size is not None else "already missing"
            self.stdout.write(f"{verb} {item.kind} #{item.pk}: {item.name} ({size})")
        for item in result.failed:
            self.stderr.write(f"Could not delete {item.kind} #{item.pk}: {item.name or '?'} (see the log; tried again next run)")
        summary = f"{verb} {len(result.files)} file(s), {filesizeformat(result.bytes_freed)} (retention: {result.retention_days} day(s))."
        self.stdout.write(summary + (" Dry run: nothing changed." if dry_run else ""))
        if result.failed:
            raise CommandError(f"{len(result.failed)} file(s) could not be deleted; their records are unchanged.")
