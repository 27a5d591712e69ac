"""Expiry reminders: one email per certificate and threshold (30 and 7 days before expiry).

Run daily (`manage.py send_expiry_reminders`). Each reminder is recorded in
`ExpiryReminder`, whose unique (certificate, days_before) constraint makes a
second run on the same day — or two servers running it at once — send nothing
twice. A certificate first seen inside the 7-day window gets only the 7-day
reminder, and one already renewed (a newer cycle exists) gets none.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate, ExpiryReminder

logger = logging.getLogger(__name__)


def _due(*, today: datetime.date, days: int, previous: int):
    """Valid certificates expiring in (previous, days] days, not yet reminded at this threshold nor renewed."""
    renewed = Certificate.objects.filter(holder=OuterRef("holder"), cycle__gt=OuterRef("cycle")).filter(
        Q(course__isnull=False, course=OuterRef("course")) | Q(program__isnull=False, program=OuterRef("program"))
    )
    reminded = ExpiryReminder.objects.filter(certificate=OuterRef("pk"), days_before=days)
    return (
        Certificate.objects.valid(today)
        .filter(
            expires_on__isnull=False,
            expires_on__gt=today + datetime.timedelta(days=previous) if previous >= 0 else today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        .exclude(Exists(reminded))
        .exclude(Exists(renewed))
        .select_related("holder")
        .order_by("expires_on", "pk")
    )


def _send(certificate: Certificate, *, days: int, today: datetime.date) -> None:
    context = {
        "certificate": certificate,
        "days_left": (certificate.expires_on - today).days,
        "my_certificates_url": settings.PUBLIC_BASE_URL + reverse("certificates:mine"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("certificates/email/expiry_reminder_subject.txt", context).strip()
        body = render_to_string("certificates/email/expiry_reminder.txt", context)
    send_mail(subject, body, None, [certificate.holder.email])


def expiry_reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    thresholds = sorted(settings.CERTIFICATES["REMINDER_DAYS"])
    for index, days in enumerate(thresholds):
        previous = thresholds[index - 1] if index else -1
        for certificate in _due(today=today, days=days, previous=previous):
            if not certificate.holder.email:
                continue
            try:
                # The row and the email succeed or fail together: a failed send is retried tomorrow.
                with transaction.atomic():
                    ExpiryReminder.objects.create(certificate=certificate, days_before=days)
                    _send(certificate, days=days, today=today)
            except IntegrityError:
                continue  # another run reminded this one a moment ago
            except Exception:
                logger.exception("Expiry reminder for certificate %s failed; retried next run", certificate.pk)
                continue
            sent += 1
    return sent
