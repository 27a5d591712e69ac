"""What each webhook event says: its payload (Standard Webhooks shape) and whose agency it concerns.

A payload is `{"type": ..., "timestamp": ..., "data": {...}}`, built once when the
event happens and stored with the delivery, so a retry or a redelivery sends what
was true then. `agency_ids` scopes it like the API: clients of those agencies and
central clients receive it, no one else.
"""

import dataclasses
import datetime

from django.utils import timezone

from api.webhooks.models import WebhookEvent


@dataclasses.dataclass(frozen=True)
class Event:
    type: str
    agency_ids: frozenset
    data: dict
    occurred_at: datetime.datetime = dataclasses.field(default_factory=timezone.now)

    def payload(self) -> dict:
        return {"type": self.type, "timestamp": _instant(self.occurred_at), "data": self.data}


def _instant(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _officer(profile) -> dict | None:
    if profile is None:
        return None
    office, village = profile.office, profile.village
    return {
        "nip": profile.nip,
        "full_name": profile.full_name,
        "rank": profile.rank,
        "office": {"code": office.code, "name": office.name} if office else None,
        "village": (
            {"name": village.name, "district": village.district, "regency": village.regency,
             "province": village.province}
            if village
            else None
        ),
    }


def certificate_data(certificate, *, today: datetime.date | None = None) -> dict:
    """The certificate as the API shows it; `certificate.agency` should be loaded with it."""
    today = today or timezone.localdate()
    return {
        "id": certificate.pk,
        "serial": certificate.serial,
        "status": str(certificate.status_on(today)),
        "kind": "course" if certificate.course_id else "program",
        "course_id": certificate.course_id,
        "program_id": certificate.program_id,
        "title": certificate.title,
        "agency": certificate.agency.code,
        "holder": {"nip": certificate.holder_nip, "name": certificate.holder_name},
        "lesson_hours": certificate.lesson_hours,
        "issued_on": _day(certificate.issued_on),
        "expires_on": _day(certificate.expires_on),
        "revoked_at": _instant(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason or None,
        "verification_url": certificate.verification_url,
    }


def certificate_event(event_type: str, certificate, *, today=None) -> Event:
    return Event(
        type=event_type,
        agency_ids=frozenset({certificate.agency_id}),
        data=certificate_data(certificate, today=today),
    )


def course_completed_event(*, profile, course, enrollment) -> Event:
    return Event(
        type=WebhookEvent.COURSE_COMPLETED,
        agency_ids=frozenset({course.agency_id}),
        data={
            "officer": {"nip": profile.nip, "full_name": profile.full_name} if profile else None,
            "course": {"id": course.pk, "title": course.title, "agency": course.agency.code},
            "enrolled_at": _instant(enrollment.enrolled_at),
            "completed_at": _instant(enrollment.completed_at),
        },
    )


def officer_updated_event(*, profile, agency_ids, created: bool) -> Event:
    return Event(
        type=WebhookEvent.OFFICER_UPDATED,
        agency_ids=frozenset(agency_ids),
        data={**_officer(profile), "created": created},
    )
