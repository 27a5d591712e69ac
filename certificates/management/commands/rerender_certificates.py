"""Re-render the PDFs of an agency's or a course's certificates in the background worker.

`--stale` picks the PDFs that are outdated or were rendered for another
PUBLIC_BASE_URL (`make run` runs it, so a new port gets QR codes for that port).
"""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from certificates.selectors import certificates_with_stale_pdf
from certificates.services import certificates_rerender
from courses import api as courses_api
from lms.models import Agency


class Command(BaseCommand):
    help = "Mark the certificates of an agency or course outdated and enqueue a render for each."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--agency", help="Agency code, e.g. IMI")
        scope.add_argument("--course", help="Course slug")
        scope.add_argument("--all", action="store_true", help="Every certificate")
        scope.add_argument(
            "--stale", action="store_true",
            help="Certificates whose PDF is outdated or was rendered for another PUBLIC_BASE_URL",
        )

    def handle(self, *args, agency=None, course=None, all=False, stale=False, **options):
        certificates = Certificate.objects.all()
        if stale:
            certificates = certificates_with_stale_pdf()
        elif agency:
            found = Agency.objects.filter(code__iexact=agency).first()
            if found is None:
                codes = ", ".join(Agency.objects.values_list("code", flat=True))
                raise CommandError(f"No agency with code {agency!r}. Known codes: {codes}.")
            certificates = certificates.filter(agency=found)
        elif course:
            found = courses_api.course_by_slug(course)
            if found is None:
                raise CommandError(f"No course with slug {course!r}.")
            certificates = certificates.filter(course=found)
        count = certificates_rerender(certificates=certificates)
        self.stdout.write(f"Enqueued {count} certificate render(s); the task worker renders them.")
