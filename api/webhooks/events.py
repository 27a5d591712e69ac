"""What each webhook event says: its payload (Standard Webhooks shape) and whose agency it concerns.

A payload is `{"type": ..., "timestamp": ..., "data": {...}}`, built once when the
event happens and stored with the delivery, so a retry or a redelivery sends what
was true then. `data` is the record as the API returns it (api.serializers), so an
integrator reads one shape. `agency_ids` scopes the event like the API: clients of
those agencies and central clients receive it; None means every client (officers'
identity records are the programme's roster, read by every client with officers:read).
"""

import dataclasses
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from api.serializers import certificate_out, officer_out
from api.webhooks.models import WebhookEvent


@dataclasses.dataclass(frozen=True)
class Event:
    type: str
    agency_ids: frozenset | None
    data: dict
    occurred_at: datetime.datetime = dataclasses.field(default_factory=timezone.now)

    def payload(self) -> dict:
        timestamp = self.occurred_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        # Through JSON once: dates and times become the strings the API sends (ISO 8601, +07:00).
        return {"type": self.type, "timestamp": timestamp, "data": json.loads(json.dumps(self.data, cls=DjangoJSONEncoder))}


def certificate_event(event_type: str, certificate, *, today=None) -> Event:
    """`certificate.agency` should be loaded with it."""
    return Event(
        type=event_type, agency_ids=frozenset({certificate.agency_id}), data=certificate_out(certificate, today=today)
    )


def course_completed_event(*, profile, course, enrollment) -> Event:
    return Event(
        type=WebhookEvent.COURSE_COMPLETED,
        agency_ids=frozenset({course.agency_id}),
        data={
            "officer": {"nip": profile.nip, "full_name": profile.full_name} if profile else None,
            "course": {"id": course.pk, "title": course.title, "agency": course.agency.code},
            "enrolled_at": timezone.localtime(enrollment.enrolled_at),
            "completed_at": timezone.localtime(enrollment.completed_at),
        },
    )


def officer_updated_event(*, profile, created: bool) -> Event:
    """`profile.user`, `.office` and `.village` should be loaded with it."""
    return Event(type=WebhookEvent.OFFICER_UPDATED, agency_ids=None, data={**officer_out(profile), "created": created})
