"""Daily: delete exports, officer uploads and print bundles older than HR_FILE_RETENTION_DAYS,
and files in their folders that no record holds (a day after they were written)."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.template.defaultfilters import filesizeformat

from hr.services import hr_files_cleanup


class Command(BaseCommand):
    help = (
        "Delete the stored files of finished HR exports, officer imports and certificate bundles older than "
        "HR_FILE_RETENTION_DAYS (and of failed ones); their records stay. Also deletes files in those folders "
        "that no record holds, once they are a day old. Safe to run any number of times."
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
        for item in result.orphans:
            self.stdout.write(f"{verb} orphaned file (no record holds it): {item.name} ({filesizeformat(item.size)})")
        for item in result.failed:
            what = "orphaned file" if item.pk is None else f"{item.kind} #{item.pk}:"
            self.stderr.write(f"Could not delete {what} {item.name or '?'} (see the log; tried again next run)")
        summary = (
            f"{verb} {len(result.files)} file(s) and {len(result.orphans)} orphaned file(s), "
            f"{filesizeformat(result.bytes_freed)} (retention: {result.retention_days} day(s))."
        )
        self.stdout.write(summary + (" Dry run: nothing changed." if dry_run else ""))
        if result.failed:
            raise CommandError(f"{len(result.failed)} file(s) could not be deleted; their records are unchanged.")
