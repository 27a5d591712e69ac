"""The shapes the API reads and writes (pydantic through django-ninja); the OpenAPI schema is made of these."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from certificates.models import RevocationReason


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict] | None = None


class OfficeOut(Schema):
    code: str
    name: str
    province: str


class VillageOut(Schema):
    name: str
    district: str
    regency: str
    province: str


class OfficerOut(Schema):
    nip: str = Field(description="NIP, 18 digits")
    full_name: str
    email: str
    rank: str
    office: OfficeOut | None
    village: VillageOut | None


class OfficerIn(Schema):
    """An officer as the HR import reads one row (hr/officer_import.py validates it the same way)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(max_length=500)
    email: str = Field("", max_length=500, description="Required for a new officer (the invitation goes there).")
    rank: str = Field("", max_length=500)
    office: str = Field(max_length=500, description="Office code or name, e.g. KANIM-BDG.")
    village: str = Field("", max_length=500)
    regency: str = Field("", max_length=500, description="Required when village is given.")
    province: str = Field("", max_length=500, description="Required for a village not known yet.")


class PageMeta(Schema):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class OfficerPage(PageMeta):
    items: list[OfficerOut]


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str


class CertificateOut(Schema):
    id: int
    serial: str
    verification_code: str
    verification_url: str
    holder_nip: str
    holder_name: str
    title: str
    kind: Literal["course", "program"]
    course_id: int | None
    program_id: int | None
    agency: str = Field(description="Issuing agency's code")
    lesson_hours: int = Field(description="JP")
    cycle: int
    issued_on: datetime.date
    expires_on: datetime.date | None
    status: Literal["valid", "expired", "revoked"]
    revoked_at: datetime.datetime | None
    revocation_reason: str | None
    pdf_sha256: str | None
    updated_at: datetime.datetime


class CertificatePage(PageMeta):
    items: list[CertificateOut]


class RevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Literal[tuple(RevocationReason.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=2000)


class LegalBasisOut(Schema):
    code: str
    short_name: str
    title: str


class CourseOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    agency: str
    level: str
    duration_minutes: int
    lesson_hours: int
    validity_months: int | None
    legal_bases: list[LegalBasisOut]
    prerequisite_ids: list[int]
    url: str | None


class CoursePage(PageMeta):
    items: list[CourseOut]


class ProgramOut(Schema):
    id: int
    code: str
    slug: str
    title: str
    description: str
    agency: str
    validity_months: int | None
    course_ids: list[int] = Field(description="Required courses, in order")


class ProgramPage(PageMeta):
    items: list[ProgramOut]


class EnrollmentOut(Schema):
    course_id: int
    course_title: str
    agency: str
    enrolled_at: datetime.datetime
    last_activity_at: datetime.datetime
    completed_at: datetime.datetime | None
    modules_completed: int
    modules_total: int
    percent: int


class EnrollmentList(Schema):
    nip: str
    items: list[EnrollmentOut]


class JpOut(Schema):
    nip: str
    year: int
    agency: str | None = Field(description="Only JP from this agency's courses; null for a central client (all)")
    jp_earned: int = Field(description="Lesson hours (JP) of the course certificates counted in the year")
    courses: int = Field(description="How many certificates count")
    jp_target: int = Field(description="The yearly target (settings.JP_ANNUAL_TARGET)")
    shortfall: int
    below_target: bool


class SiasnRecordOut(Schema):
    """One course certificate as a SIASN training-history record (field names SIASN's own; dates dd-mm-yyyy)."""

    nip: str
    nama: str
    namaKursus: str  # noqa: N815
    nomorSertipikat: str  # noqa: N815
    jumlahJam: int  # noqa: N815
    tanggalKursus: str = Field(pattern=r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$")  # noqa: N815
    tanggalSelesaiKursus: str = Field(pattern=r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$")  # noqa: N815
    tahunKursus: int  # noqa: N815
    institusiPenyelenggara: str  # noqa: N815
    jenisKursusSertipikat: str  # noqa: N815


class SiasnList(Schema):
    nip: str
    year: int
    items: list[SiasnRecordOut]
