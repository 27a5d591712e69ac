"""Certificates listen to the courses app; the courses app knows nothing about them."""

from django.dispatch import receiver

from certificates import services
from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates.issue_on_course_completed")
def issue_on_course_completed(sender, *, user, course, **kwargs):
    services.certificates_for_completion(user=user, course=course)
