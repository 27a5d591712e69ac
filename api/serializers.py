"""Model rows to the API's dicts (api/schemas.py); no queries: the selectors loaded what these read."""

import orjson
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courses import selectors as course_selectors


def _local(moment):
    """Times in the site's zone (Asia/Jakarta, +07:00), as the HR pages show them."""
    return timezone.localtime(moment) if moment is not None else None


def officer_out(profile) -> dict:
    office, village = profile.office, profile.village
    return {
        "nip": profile.nip,
        "full_name": profile.full_name,
        "email": profile.user.email,
        "rank": profile.rank,
        "office": {"code": office.code, "name": office.name, "province": office.province} if office else None,
        "village": (
            {"name": village.name, "district": village.district, "regency": village.regency,
             "province": village.province}
            if village else None
        ),
    }


def certificate_out(certificate, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": certificate.pk,
        "serial": certificate.serial,
        "verification_code": certificate.code,
        "verification_url": certificate.verification_url,
        "holder_nip": certificate.holder_nip,
        "holder_name": certificate.holder_name,
        "title": certificate.title,
        "kind": "course" if certificate.course_id else "program",
        "course_id": certificate.course_id,
        "program_id": certificate.program_id,
        "agency": certificate.agency.code,
        "lesson_hours": certificate.lesson_hours,
        "cycle": certificate.cycle,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": certificate.status_on(today).value,
        "revoked_at": _local(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason or None,
        "pdf_sha256": certificate.pdf_sha256 or None,
        "updated_at": _local(certificate.updated_at),
    }


# The columns of a certificate the list reads (`.values(*CERTIFICATE_COLUMNS)` of a queryset
# annotated `with_status`): no model instances, no columns the API does not show.
CERTIFICATE_COLUMNS = (
    "pk", "serial", "code", "holder_nip", "holder_name", "title", "course_id", "program_id", "agency__code",
    "lesson_hours", "cycle", "issued_on", "expires_on", "status_code", "revoked_at", "revocation_reason",
    "pdf_sha256", "updated_at",
)
_CODE = "CODE0000CODE0000"


def certificate_page_json(rows, next_cursor: str | None) -> bytes:
    """The JSON of a CertificatePage (byte for byte what pydantic writes for certificate_out of the same
    certificates) from CERTIFICATE_COLUMNS rows: a fresh page of 100 costs no model instance and no
    per-row validation. api/tests/test_certificate_page.py holds the two to the same bytes."""
    head, tail = (settings.PUBLIC_BASE_URL + reverse("certificates:verify", kwargs={"code": _CODE})).split(_CODE)
    zone = timezone.get_current_timezone()
    items = []
    for row in rows:
        revoked_at, expires_on = row["revoked_at"], row["expires_on"]
        items.append({
            "id": row["pk"],
            "serial": row["serial"],
            "verification_code": row["code"],
            "verification_url": head + row["code"] + tail,
            "holder_nip": row["holder_nip"],
            "holder_name": row["holder_name"],
            "title": row["title"],
            "kind": "course" if row["course_id"] else "program",
            "course_id": row["course_id"],
            "program_id": row["program_id"],
            "agency": row["agency__code"],
            "lesson_hours": row["lesson_hours"],
            "cycle": row["cycle"],
            "issued_on": row["issued_on"].isoformat(),
            "expires_on": expires_on.isoformat() if expires_on is not None else None,
            "status": row["status_code"],
            "revoked_at": revoked_at.astimezone(zone).isoformat() if revoked_at is not None else None,
            "revocation_reason": row["revocation_reason"] or None,
            "pdf_sha256": row["pdf_sha256"] or None,
            "updated_at": row["updated_at"].astimezone(zone).isoformat(),
        })
    # orjson: compact UTF-8 as pydantic writes it, in a tenth of the standard library's time.
    return orjson.dumps({"next_cursor": next_cursor, "items": items})


def course_out(course) -> dict:
    return {
        "id": course.pk,
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "agency": course.agency.code,
        "level": course.level,
        "duration_minutes": course.duration_minutes,
        "lesson_hours": course.lesson_hours,
        "validity_months": course.validity_months,
        "legal_bases": [
            {"code": basis.code, "short_name": basis.short_name, "title": basis.title}
            for basis in course.legal_bases.all()
        ],
        "prerequisite_ids": [prerequisite.pk for prerequisite in course.prerequisites.all()],
        "url": course.url,
    }


def program_out(program) -> dict:
    links = sorted(program.program_courses.all(), key=lambda link: (link.sort_order or 0, link.pk))
    return {
        "id": program.pk,
        "code": program.code,
        "slug": program.slug,
        "title": program.title,
        "description": program.description,
        "agency": program.agency.code,
        "validity_months": program.validity_months,
        "course_ids": [link.course_id for link in links],
    }


def enrollment_out(officer, enrollments) -> list[dict]:
    """Each enrolment with the officer's progress in it (courses.selectors, the rule every page uses)."""
    courses = [enrollment.course for enrollment in enrollments]
    progress = course_selectors.progress_for_courses(user=officer.user, courses=courses)
    rows = []
    for enrollment in enrollments:
        summary = progress[enrollment.course_id]
        rows.append({
            "course_id": enrollment.course_id,
            "course_title": enrollment.course.title,
            "agency": enrollment.course.agency.code,
            "enrolled_at": _local(enrollment.enrolled_at),
            "last_activity_at": _local(enrollment.last_activity_at),
            "completed_at": _local(enrollment.completed_at),
            "modules_completed": summary.completed,
            "modules_total": summary.total,
            "percent": summary.percent,
        })
    return rows
