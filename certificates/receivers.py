"""Certificates listen to the courses app (which knows nothing about them) and renew the shared caches their models feed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks

from certificates import refreshers, selectors, services
from certificates.models import Certificate, Program
from courses.selectors import COMPLETION_NEXT_STEP_HOOK, MY_LEARNING_PANEL_HOOK
from courses.signals import course_completed, refresher_completed
from lms import cache
from lms.cache_invalidation import invalidate_now_and_on_commit


@receiver(course_completed, dispatch_uid="certificates.issue_on_course_completed")
def issue_on_course_completed(sender, *, user, course, **kwargs):
    services.certificates_for_completion(user=user, course=course)


@receiver(refresher_completed, dispatch_uid="certificates.renew_on_refresher_completed")
def renew_on_refresher_completed(sender, *, user, course, refresher, **kwargs):
    refreshers.certificate_refresh(user=user, course=course, refresher=refresher)


# A completed course's page and its last quiz result show the certificate it earned.
hooks.register(COMPLETION_NEXT_STEP_HOOK, selectors.certificate_next_step)
# My learning shows the officer's JP this year against the annual target.
hooks.register(MY_LEARNING_PANEL_HOOK, selectors.my_learning_jp_panel)


@receiver(post_save, sender=Program, dispatch_uid="certificates.choices_on_program_save")
@receiver(post_delete, sender=Program, dispatch_uid="certificates.choices_on_program_delete")
def renew_choices_on_program_change(sender, **kwargs):
    """Programs are offered in the HR filters (cached under lms.cache.CHOICES)."""
    invalidate_now_and_on_commit(cache.CHOICES)


@receiver(post_save, sender=Certificate, dispatch_uid="certificates.api_lists_on_certificate_save")
def renew_certificate_lists_on_save(sender, **kwargs):
    """The API's certificate list pages are cached under lms.cache.CERTIFICATES (queryset updates
    in certificates.services renew it themselves)."""
    invalidate_now_and_on_commit(cache.CERTIFICATES)
