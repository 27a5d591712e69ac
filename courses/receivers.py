"""Courses listen to the site core: a change in the law, once applied, opens reviews of the content it touches."""

from django.dispatch import receiver

from courses import services
from lms.signals import legal_change_applied


@receiver(legal_change_applied, dispatch_uid="courses.legal_review_open")
def open_reviews_on_legal_change(sender, *, change, user, **kwargs):
    services.legal_review_open(change, user=user)
