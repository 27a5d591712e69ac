"""The domain signals that become webhook events (connected in api.apps).

Every receiver runs inside the transaction of the change it reports, so its
deliveries commit or roll back with it (webhook_events_emit enqueues them on commit).
A receiver first asks who subscribes (one query) and builds nothing when no one does.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from api.webhooks import events, selectors
from api.webhooks.models import WebhookEvent
from api.webhooks.services import webhook_endpoints_subscribed, webhook_events_emit
from certificates.signals import certificate_issued, certificate_revoked
from courses.signals import course_completion_recorded
from lms.models import OfficerProfile
from lms.signals import officer_profiles_written


def _certificate_event(event_type: WebhookEvent, certificate) -> None:
    endpoints = webhook_endpoints_subscribed(event_type)
    if endpoints:
        webhook_events_emit(events=[events.certificate_event(event_type, certificate)], endpoints=endpoints)


@receiver(certificate_issued, dispatch_uid="api.webhooks.certificate_issued")
def on_certificate_issued(sender, *, certificate, **kwargs):
    _certificate_event(WebhookEvent.CERTIFICATE_ISSUED, certificate)


@receiver(certificate_revoked, dispatch_uid="api.webhooks.certificate_revoked")
def on_certificate_revoked(sender, *, certificate, **kwargs):
    _certificate_event(WebhookEvent.CERTIFICATE_REVOKED, certificate)


@receiver(course_completion_recorded, dispatch_uid="api.webhooks.course_completed")
def on_course_completed(sender, *, user, course, enrollment, **kwargs):
    endpoints = webhook_endpoints_subscribed(WebhookEvent.COURSE_COMPLETED)
    if endpoints:
        profile = selectors.officer_profiles([user.pk]).get(user.pk)
        event = events.course_completed_event(profile=profile, course=course, enrollment=enrollment)
        webhook_events_emit(events=[event], endpoints=endpoints)


def _officers_written(*, created, updated) -> None:
    endpoints = webhook_endpoints_subscribed(WebhookEvent.OFFICER_UPDATED)
    if not endpoints or not (created or updated):
        return
    profiles = selectors.officer_profiles_by_pk([*created, *updated])
    created = set(created)
    webhook_events_emit(
        events=[events.officer_updated_event(profile=profile, created=pk in created) for pk, profile in profiles.items()],
        endpoints=endpoints,
    )


@receiver(post_save, sender=OfficerProfile, dispatch_uid="api.webhooks.officer_saved")
def on_officer_saved(sender, *, instance, created, raw=False, **kwargs):
    if raw:  # loaddata
        return
    _officers_written(created=[instance.pk] if created else [], updated=[] if created else [instance.pk])


@receiver(officer_profiles_written, dispatch_uid="api.webhooks.officers_written")
def on_officers_written(sender, *, created, updated, **kwargs):
    _officers_written(created=created, updated=updated)
