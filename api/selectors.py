"""What an API client may read, as querysets already narrowed to its agency and loaded against N+1.

Scoping rule (README "API"): officers' identity records (the programme's roster) are read by every
client holding `officers:read`; courses, programs, certificates, enrolments, progress and JP are
those of the client's agency only, or of every agency for a central HR client (agency null).
"""

import datetime

from django.db.models import Q

from certificates.models import Certificate, Program
from courses import api as courses_api
from hr import selectors as hr_selectors
from lms.models import OfficerProfile


def _agency(client) -> int | None:
    return None if client.is_central else client.agency_id


def officers(*, office: str = "", province: str = "", q: str = ""):
    profiles = OfficerProfile.objects.select_related("user", "office", "village")
    if office:
        profiles = profiles.filter(office__code__iexact=office)
    if province:
        profiles = profiles.filter(Q(village__province__iexact=province) | Q(office__province__iexact=province))
    if q:
        profiles = profiles.filter(full_name__icontains=q)
    return profiles


def officer_by_nip(nip: str) -> OfficerProfile | None:
    return OfficerProfile.objects.select_related("user", "office", "village").filter(nip=nip).first()


def certificates(
    *, client, updated_since: datetime.datetime | None = None, nip: str = "", status: str = "", course: int | None = None,
    program: int | None = None, today: datetime.date | None = None,
):
    rows = Certificate.objects.select_related("agency")
    agency = _agency(client)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    if updated_since is not None:
        rows = rows.filter(updated_at__gt=updated_since)
    if nip:
        rows = rows.filter(holder_nip=nip)
    if course is not None:
        rows = rows.filter(course_id=course)
    if program is not None:
        rows = rows.filter(program_id=program)
    if status == "valid":
        rows = rows.valid(today)
    elif status == "expired":
        rows = rows.expired(today)
    elif status == "revoked":
        rows = rows.revoked()
    return rows


def certificate(*, client, pk: int) -> Certificate | None:
    return certificates(client=client).filter(pk=pk).first()


def courses(*, client):
    return courses_api.catalog_courses(agency_id=_agency(client))


def programs(*, client):
    rows = Program.objects.select_related("agency").prefetch_related("program_courses")
    agency = _agency(client)
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    return rows


def enrollments(*, client, officer: OfficerProfile):
    return courses_api.enrollments_of(user=officer.user, agency_id=_agency(client))


def jp_for_officer(*, client, officer: OfficerProfile, year: int):
    """The officer's JP row of the JP ledger for `year` (only the client's agency's courses), or None."""
    ledger = hr_selectors.jp_ledger(year=year, agency=None if client.is_central else client.agency)
    rows = hr_selectors.jp_ledger_rows(ledger.filter(pk=officer.pk)[:1])
    return rows[0] if rows else None


def siasn_records_for_officer(*, client, officer: OfficerProfile, year: int) -> list[dict]:
    """The officer's counted course certificates of `year` as SIASN records (hr.selectors, as the HR export)."""
    certificates = hr_selectors.siasn_queryset(year=year, agency=None if client.is_central else client.agency)
    return [record.as_siasn() for record in hr_selectors.siasn_records(certificates.filter(holder_id=officer.user_id))]
