"""Certificate records for tests, built directly with real serials and codes."""

import datetime

from django.db import transaction
from django.utils import timezone

from certificates.codes import code_generate, serial_format
from certificates.models import Certificate, Program, ProgramCourse, RevocationReason
from certificates.services import _serial_allocate, holder_snapshot
from lms.tests.factories import AgencyFactory


def make_program(*, courses, agency=None, code="PDP", title="Program Dasar Pimpasa", validity_months=24) -> Program:
    program = Program.objects.create(
        code=code, slug=code.lower(), title=title, agency=agency or courses[0].agency, validity_months=validity_months
    )
    ProgramCourse.objects.bulk_create(
        ProgramCourse(program=program, course=course, sort_order=index) for index, course in enumerate(courses)
    )
    return program


@transaction.atomic  # the serial counter is locked (FOR UPDATE), as inside certificate_issue
def make_certificate(
    *,
    holder,
    course=None,
    program=None,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None | str = "auto",
    revoked: bool = False,
    revoked_by=None,
    cycle: int = 1,
) -> Certificate:
    """A certificate record as `certificate_issue` would write it, with any dates.

    `expires_on="auto"` means two years after issue; pass None for no expiry.
    """
    subject = course.specific if course is not None else program
    agency = subject.agency
    issued_on = issued_on or timezone.localdate()
    if expires_on == "auto":
        expires_on = issued_on.replace(year=issued_on.year + 2)
    number = _serial_allocate(agency=agency, year=issued_on.year)
    return Certificate.objects.create(
        holder=holder,
        course=course.specific if course is not None else None,
        program=program,
        cycle=cycle,
        agency=agency,
        **holder_snapshot(holder).fields(),
        title=subject.title,
        agency_name=agency.name,
        lesson_hours=getattr(subject, "lesson_hours", 0) or 0,
        issued_on=issued_on,
        expires_on=expires_on,
        period_start=issued_on,
        period_end=issued_on,
        serial=serial_format(
            agency_code=agency.code, year=issued_on.year, number=number, pattern=agency.serial_format
        ),
        serial_year=issued_on.year,
        serial_number=number,
        code=code_generate(),
        revoked_at=timezone.now() if revoked else None,
        revoked_by=revoked_by,
        revocation_reason=RevocationReason.ISSUED_IN_ERROR if revoked else "",
    )


__all__ = ["AgencyFactory", "make_certificate", "make_program"]
