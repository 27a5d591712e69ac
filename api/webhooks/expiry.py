"""`certificate.expired`: nothing happens in the database when a certificate runs out, so a daily
command (`manage.py emit_expired_certificates`) looks for certificates that expired and emits
each one's event once, ever.

Each emitted certificate is marked in CertificateExpiryEmission (unique per certificate)
in the same transaction as its deliveries. A run inserts its marks with ON CONFLICT DO
NOTHING under its own run id and emits only the marks that are its own, so a second run
the same day, or two machines at once, emit nothing twice. Certificates that expired
more than WEBHOOKS["EXPIRED_LOOKBACK_DAYS"] days ago are not emitted (a first run does
not replay years of history); a revoked certificate is not "expired" (it was revoked).
"""

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from api.webhooks.events import certificate_event
from api.webhooks.models import CertificateExpiryEmission, WebhookEvent
from api.webhooks.services import webhook_events_emit
from certificates.models import Certificate

CHUNK = 1000


def certificate_expiries_emit(*, today: datetime.date | None = None) -> int:
    """Emit `certificate.expired` for every certificate that expired lately and was not emitted; how many."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=settings.WEBHOOKS["EXPIRED_LOOKBACK_DAYS"])
    emitted = CertificateExpiryEmission.objects.filter(certificate=OuterRef("pk"))
    due = list(
        Certificate.objects.expired(today)
        .filter(expires_on__gte=since)
        .exclude(Exists(emitted))
        .order_by("expires_on", "pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(due), CHUNK):
        count += _emit_chunk(due[start : start + CHUNK], today=today)
    return count


@transaction.atomic
def _emit_chunk(certificate_ids: list[int], *, today: datetime.date) -> int:
    run = uuid.uuid4()
    CertificateExpiryEmission.objects.bulk_create(
        [CertificateExpiryEmission(certificate_id=pk, run=run) for pk in certificate_ids], ignore_conflicts=True
    )
    mine = (
        Certificate.objects.filter(pk__in=CertificateExpiryEmission.objects.filter(run=run).values("certificate_id"))
        .select_related("agency")
        .order_by("expires_on", "pk")
    )
    events = [certificate_event(WebhookEvent.CERTIFICATE_EXPIRED, certificate, today=today) for certificate in mine]
    webhook_events_emit(events=events)
    return len(events)
