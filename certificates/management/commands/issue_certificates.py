"""Issue a course's or program's certificate to many officers in the background (e.g. after a training day)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certificates.services import certificates_issue_bulk
from courses.models import CoursePage, Enrollment
from lms import roles


class Command(BaseCommand):
    help = (
        "Enqueue certificate issuing for officers; returns at once, the task worker issues and renders. "
        "By default only officers who completed the course get one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, help="Course slug")
        parser.add_argument("--office", help="Only officers of this office (code)")
        parser.add_argument("--all-officers", action="store_true", help="Every officer, completed or not (HR decision)")

    def handle(self, *args, course, office=None, all_officers=False, **options):
        users = get_user_model().objects.filter(groups__name=roles.OFFICER, is_active=True)
        if office:
            users = users.filter(officer_profile__office__code=office)
        found = CoursePage.objects.filter(slug=course).first()
        if found is None:
            raise CommandError(f"No course with slug {course!r}.")
        if not all_officers:
            completed = Enrollment.objects.filter(course=found, completed_at__isnull=False).values("user_id")
            users = users.filter(pk__in=completed)
        count = certificates_issue_bulk(user_ids=users.values_list("pk", flat=True), course=found)
        self.stdout.write(f"Enqueued certificates for {count} officer(s); the task worker issues and renders them.")
