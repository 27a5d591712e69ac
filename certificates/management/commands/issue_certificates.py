"""Issue a course's or program's certificate to many officers in the background (e.g. after a training day)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certificates.selectors import officers_awaiting_certificate
from certificates.services import certificates_issue_bulk
from certificates.subjects import Subject
from courses import api as courses_api
from lms import roles
from lms.models import Office


class Command(BaseCommand):
    help = (
        "Enqueue certificate issuing for officers; returns at once, the task worker issues and renders. "
        "By default only officers who completed the course and hold no valid certificate for it get one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, help="Course slug")
        parser.add_argument("--office", help="Only officers of this office (code)")
        parser.add_argument("--all-officers", action="store_true", help="Every officer, completed or not (HR decision)")

    def handle(self, *args, course, office=None, all_officers=False, **options):
        found = courses_api.course_by_slug(course)
        if found is None:
            raise CommandError(f"No course with slug {course!r}.")
        office_found = Office.objects.filter(code=office).first() if office else None
        if office and office_found is None:
            raise CommandError(f"No office with code {office!r}.")
        if all_officers:
            users = get_user_model().objects.filter(groups__name=roles.OFFICER, is_active=True)
            if office_found is not None:
                users = users.filter(officer_profile__office=office_found)
        else:
            users = officers_awaiting_certificate(subject=Subject.of(found), office=office_found)
        count = certificates_issue_bulk(user_ids=users.values_list("pk", flat=True), subject=Subject.of(found))
        self.stdout.write(f"Enqueued certificates for {count} officer(s); the task worker issues and renders them.")
