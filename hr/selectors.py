"""Reads for the HR workspace, each in a fixed number of queries however many rows there are."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from certificates.models import BundleStatus, Certificate, CertificateBundle, CertificateStatus, Program
from certificates.selectors import JpSummary, jp_certificates, jp_summary_for_officer, jp_target
from certificates.subjects import Subject
from courses import api as courses_api
from courses.selectors import progress_for_courses
from hr.models import ExportJob, JobStatus, OfficerImport
from lms import cache
from lms.models import Agency, OfficerProfile, Office

STALLED_AFTER_DAYS = 30
EXPIRING_DAYS = 90


def registry_queryset(*, today: datetime.date | None = None):
    """Every certificate with its status annotated; a page of it is read by `registry_rows`, an export by `export_rows`."""
    return Certificate.objects.with_status(today)


@dataclass(slots=True)
class RegistryRow:
    """One line of the registry: the columns it shows, not five model instances per certificate."""

    holder_id: int
    holder_name: str
    holder_nip: str
    title: str
    program_id: int | None
    agency_short_name: str
    office_name: str | None
    office_province: str  # "" when the holder has no office
    serial: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    status: CertificateStatus


def registry_rows(queryset) -> list[RegistryRow]:
    """The certificates of `queryset` (a page of `registry_queryset()`) in one query."""
    return [
        RegistryRow(
            holder_id, holder_name, holder_nip, title, program_id, agency_short_name, office_name,
            office_province or "", serial, issued_on, expires_on, CertificateStatus(status_code),
        )
        for (holder_id, holder_name, holder_nip, title, program_id, agency_short_name, office_name, office_province,
             serial, issued_on, expires_on, status_code) in queryset.values_list(
            "holder_id", "holder_name", "holder_nip", "title", "program_id", "agency__short_name",
            "holder__officer_profile__office__name", "holder__officer_profile__office__province",
            "serial", "issued_on", "expires_on", "status_code",
        )
    ]


def _registry_options() -> dict[str, list]:
    return {
        "agencies": [(agency.code, str(agency)) for agency in Agency.objects.all()],  # by code, as the catalog
        "offices": [(str(pk), name) for pk, name in Office.objects.order_by("name").values_list("pk", "name")],
        "provinces": list(Office.objects.order_by("province").values_list("province", flat=True).distinct()),
        "programs": [(str(subject), title) for subject, title in _subject_titles(programs=True)],
        "courses": [(str(subject), title) for subject, title in _subject_titles(courses=True)],
    }


def registry_options() -> dict[str, list]:
    """What the registry's filters offer, as (value, label) pairs; provinces as names.

    The same for every HR user, so shared through the cache until an agency,
    office, program or course page changes (lms.cache.CHOICES); building it
    takes five queries and a few hundred rows on every page otherwise.
    """
    # ":2": agencies offered by code since; a value cached with ids must not be read back.
    return cache.scoped_value(cache.CHOICES, "hr-registry-options:2", _registry_options)


def _subject_titles(*, programs: bool = False, courses: bool = False) -> list[tuple[Subject, str]]:
    """Programs (in their order), then live courses by title: one query each."""
    titles = []
    if programs:
        titles += [(Subject.program(pk), title) for pk, title in Program.objects.values_list("pk", "title")]
    if courses:
        titles += [(Subject.course(pk), title) for pk, title in courses_api.live_course_titles()]
    return titles


# Subjects (course or program) are chosen in one <select>; the value is str(Subject): "c<id>" or "p<id>".
def subject_choices(options: dict[str, list] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    options = options or registry_options()
    return [(_("Program"), options["programs"]), (_("Kursus"), options["courses"])]


def subject_from_value(value: str) -> Subject | None:
    """The subject named by a "c<id>"/"p<id>" value, with its course page or Program; None if there is none."""
    subject = Subject.parse(value)
    return subject if subject is not None and subject.resolve() is not None else None


@dataclass
class CourseRow:
    progress: object  # courses.selectors.CourseProgress
    last_attempt: object | None  # courses' QuizAttempt


@dataclass
class OfficerDetail:
    profile: OfficerProfile | None
    user: object
    courses: list[CourseRow]
    certificates: list[Certificate]  # each with .history: its audit-log entries, oldest first
    jp: JpSummary  # JP this year against the target


def officer_detail(*, user) -> OfficerDetail:
    """Profile, every enrolled course with progress and last quiz result, every certificate with its history."""
    profile = OfficerProfile.objects.select_related("office", "village").filter(user=user).first()
    courses = courses_api.enrolled_courses(user=user)
    progress = progress_for_courses(user=user, courses=courses)
    last_by_course = courses_api.last_graded_attempts(user=user, courses=courses)
    certificates = list(
        Certificate.objects.filter(holder=user).with_status().select_related("agency", "revoked_by").order_by(
            "-issued_on", "-cycle"
        )
    )
    history: dict[int, list[ModelLogEntry]] = {}
    if certificates:
        entries = (
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Certificate),
                object_id__in=[str(certificate.pk) for certificate in certificates],
            )
            .select_related("user")
            .order_by("timestamp")
        )
        for entry in entries:
            history.setdefault(int(entry.object_id), []).append(entry)
    for certificate in certificates:
        certificate.history = history.get(certificate.pk, [])
    return OfficerDetail(
        profile=profile,
        user=user,
        courses=[CourseRow(progress=progress[c.pk], last_attempt=last_by_course.get(c.pk)) for c in courses],
        certificates=certificates,
        jp=jp_summary_for_officer(user=user),
    )


@dataclass
class Dashboard:
    subjects: list[tuple[Subject, str]]  # programs first, then live courses
    officer_total: int
    holders_by_subject: dict[Subject, int]
    by_agency: list[dict]  # [{"agency": name, "valid": n, "expired": n, "revoked": n}]
    by_office: list[dict]  # [{"name", "province", "officers", "cells": [n per subject]}]
    by_province: list[dict]
    expiring_count: int
    expiring: list[Certificate]
    stalled_count: int
    stalled: list  # courses' Enrollment, with .user.officer_profile and .course
    jp_year: int
    jp_below_target: int  # active officers below the JP target this year (/hr/jp/)


def dashboard(*, today: datetime.date | None = None, list_limit: int = 20) -> Dashboard:
    """Who holds which valid certificate per agency, office and province; what expires soon; who stalled."""
    today = today or timezone.localdate()
    subjects = _subject_titles(programs=True, courses=True)
    keys = [subject for subject, _title in subjects]

    valid = Certificate.objects.valid(today)
    office_counts: dict[int | None, dict[Subject, int]] = {}
    holders_by_subject: dict[Subject, int] = {}
    for row in valid.values("holder__officer_profile__office", "course", "program").annotate(
        holders=Count("holder", distinct=True)
    ):
        key = Subject.from_ids(course_id=row["course"], program_id=row["program"])
        office_counts.setdefault(row["holder__officer_profile__office"], {})[key] = row["holders"]
    for row in valid.values("course", "program").annotate(holders=Count("holder", distinct=True)):
        holders_by_subject[Subject.from_ids(course_id=row["course"], program_id=row["program"])] = row["holders"]

    offices = list(Office.objects.annotate(officer_count=Count("officers")).order_by("province", "name"))
    by_office, provinces = [], {}
    for office in offices:
        counts = office_counts.get(office.pk, {})
        by_office.append(
            {"name": office.name, "province": office.province, "officers": office.officer_count,
             "cells": [counts.get(key, 0) for key in keys]}
        )
        province = provinces.setdefault(office.province, {"name": office.province, "officers": 0, "cells": [0] * len(keys)})
        province["officers"] += office.officer_count
        province["cells"] = [a + b for a, b in zip(province["cells"], by_office[-1]["cells"])]

    status_rows = (
        Certificate.objects.with_status(today).values("agency__short_name", "status_code").annotate(n=Count("pk"))
    )
    agencies: dict[str, dict] = {}
    for row in status_rows:
        entry = agencies.setdefault(row["agency__short_name"], {"agency": row["agency__short_name"],
                                                                 **{status.value: 0 for status in CertificateStatus}})
        entry[row["status_code"]] = row["n"]

    expiring = Certificate.objects.expiring_within(EXPIRING_DAYS, today).order_by("expires_on", "holder_name")
    stalled = courses_api.stalled_enrollments(
        inactive_before=timezone.now() - datetime.timedelta(days=STALLED_AFTER_DAYS)
    )
    return Dashboard(
        subjects=subjects,
        officer_total=OfficerProfile.objects.count(),
        holders_by_subject=holders_by_subject,
        by_agency=sorted(agencies.values(), key=lambda entry: entry["agency"]),
        by_office=by_office,
        by_province=sorted(provinces.values(), key=lambda entry: entry["name"]),
        expiring_count=expiring.count(),
        expiring=list(expiring[:list_limit]),
        stalled_count=stalled.count(),
        stalled=list(stalled[:list_limit]),
        jp_year=today.year,
        jp_below_target=jp_ledger(year=today.year, below_target=True).count(),
    )


def export_rows(queryset):
    """The registry as plain tuples for CSV/XLSX, streamed from the database in chunks."""
    return queryset.values_list(
        "holder_name",
        "holder_nip",
        "title",
        "program_id",
        "agency__short_name",
        "holder__officer_profile__office__name",
        "holder__officer_profile__office__province",
        "serial",
        "issued_on",
        "expires_on",
        "status_code",
        "revocation_reason",
        "code",
    ).iterator(chunk_size=2000)


def files_past_retention(*, cutoff: datetime.datetime) -> dict[str, QuerySet]:
    """Records whose stored file may be deleted now, by kind ("export", "import", "bundle").

    Only files nothing will write again: a background export or bundle once it
    is done (finished before `cutoff`) or has failed (at any age: a failed job's
    file is never offered for download); never a pending or running one, whose
    worker may be writing it. An officer upload is complete before its record
    exists, so it only has to be older than `cutoff`.
    """
    finished_before = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    stored = {"file_deleted_at__isnull": True}
    return {
        "export": ExportJob.objects.filter(**stored)
        .exclude(file="")
        .filter((Q(status=JobStatus.DONE) & finished_before) | Q(status=JobStatus.FAILED)),
        "import": OfficerImport.objects.filter(**stored, created_at__lt=cutoff).exclude(file=""),
        "bundle": CertificateBundle.objects.filter(**stored)
        .exclude(file="")
        .filter((Q(status=BundleStatus.READY) & finished_before) | Q(status=BundleStatus.FAILED)),
    }


# A file written this long ago with no record pointing to it is an orphan: a crashed worker, a request
# killed between storing a file and saving its record, a restored backup. Younger files may be waiting
# for the record their writer is about to save.
ORPHAN_GRACE = datetime.timedelta(hours=24)
_FILE_MODELS = (ExportJob, OfficerImport, CertificateBundle)


def hr_file_folders() -> list[str]:
    """The storage folders of HR's exports, officer uploads and bundles, read from the models' `upload_to`."""
    return [model._meta.get_field("file").upload_to.split("%", 1)[0] for model in _FILE_MODELS]


@dataclass(frozen=True)
class StoredName:
    name: str
    size: int


def orphaned_files(*, storage, older_than: datetime.datetime) -> list[StoredName]:
    """Files under the HR folders, last written before `older_than`, that no record holds (a record whose
    file was deleted, `file_deleted_at`, holds none). The folders are listed before the records are read,
    so a file saved together with its record in between is never taken for an orphan. Three queries."""
    candidates = []
    for folder in hr_file_folders():
        for name in _walk(storage, folder):
            if storage.get_modified_time(name) < older_than:
                candidates.append(name)
    if not candidates:
        return []
    held = set()
    for model in _FILE_MODELS:
        held.update(model.objects.filter(file_deleted_at__isnull=True, file__in=candidates).values_list("file", flat=True))
    return [StoredName(name=name, size=storage.size(name)) for name in sorted(candidates) if name not in held]


def _walk(storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored there
        return
    for name in files:
        yield f"{folder}{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}{directory}/")



# --- JP ledger and SIASN-ready records ------------------------------------------------
# Plain functions over querysets, shared by the HR pages (/hr/jp/), their exports and the
# integration API. JP rules (what counts, which year): certificates.selectors.jp_certificates.


def jp_ledger(*, year: int, agency: Agency | None = None, office: Office | int | None = None,
              province: str | None = None, below_target: bool | None = None, target: int | None = None):
    """Every active officer (OfficerProfile) with the JP they earned in `year`, in one query however many.

    Annotated: `jp_earned` (sum of counted course certificates' JP, 0 if none), `jp_courses` (how many
    certificates), `jp_target`. `agency`: only JP from that agency's courses; `office` (an Office or
    its id) and `province`: the officer's office; `below_target`: True lists only officers under
    the target, False only those who reached it, None all. Ordered by name, then NIP.
    """
    target = jp_target() if target is None else target
    counted = jp_certificates(year=year, agency=agency).filter(holder=OuterRef("user_id")).order_by().values("holder")
    officers = OfficerProfile.objects.filter(user__is_active=True).annotate(
        jp_earned=Coalesce(Subquery(counted.annotate(total=Sum("lesson_hours")).values("total")), 0),
        jp_courses=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0),
        jp_target=Value(target),
    )
    if office is not None:
        officers = officers.filter(office=office)
    if province:
        officers = officers.filter(office__province=province)
    if below_target is True:
        officers = officers.filter(jp_earned__lt=target)
    elif below_target is False:
        officers = officers.filter(jp_earned__gte=target)
    return officers.order_by("full_name", "nip")


@dataclass(slots=True)
class JpLedgerRow:
    user_id: int
    name: str
    nip: str
    office_name: str | None
    province: str  # "" when the officer has no office
    earned: int
    courses: int
    target: int

    @property
    def shortfall(self) -> int:
        return max(self.target - self.earned, 0)

    @property
    def below_target(self) -> bool:
        return self.earned < self.target


def jp_ledger_rows(queryset) -> list[JpLedgerRow] | Iterator[JpLedgerRow]:
    """The officers of `queryset` (`jp_ledger()` or a page of it) as rows, in one query; streamed in
    chunks when `queryset` is not sliced (an export)."""
    values = queryset.values_list(
        "user_id", "full_name", "nip", "office__name", "office__province", "jp_earned", "jp_courses", "jp_target"
    )
    rows = (
        JpLedgerRow(user_id, name, nip, office_name, province or "", earned, courses, target)
        for user_id, name, nip, office_name, province, earned, courses, target in (
            values if queryset.query.is_sliced else values.iterator(chunk_size=2000)
        )
    )
    return list(rows) if queryset.query.is_sliced else rows


def jp_ledger_years(*, today: datetime.date | None = None) -> list[int]:
    """The years HR may pick: every year a course certificate was issued, and this year; newest first."""
    this_year = (today or timezone.localdate()).year
    issued = Certificate.objects.filter(course__isnull=False).dates("issued_on", "year")
    return sorted({this_year, *(day.year for day in issued)}, reverse=True)


def siasn_queryset(*, year: int, agency: Agency | None = None, office: Office | int | None = None,
                   province: str | None = None, below_target: bool | None = None, target: int | None = None):
    """The certificates behind `jp_ledger()` with the same arguments: one row per counted course
    certificate of the officers it lists, by holder name, then completion date."""
    certificates = jp_certificates(year=year, agency=agency)
    if office is not None or province or below_target is not None:
        officers = jp_ledger(year=year, agency=agency, office=office, province=province, below_target=below_target,
                             target=target)
        certificates = certificates.filter(holder_id__in=officers.order_by().values("user_id"))
    return certificates.order_by("holder_name", "holder_nip", "issued_on", "pk")


SIASN_DATE_FORMAT = "%d-%m-%Y"  # dd-mm-yyyy, as SIASN clients send tanggalKursus (README: "SIASN")


@dataclass(frozen=True, slots=True)
class SiasnRecord:
    """One course certificate as a SIASN training-history record (riwayat kursus).

    The field names after `nip` and `nama` are SIASN's own (an unofficial public client's
    mapping; README: "SIASN"). Dates stay dates here; `as_siasn()` writes them as SIASN expects.
    """

    nip: str
    nama: str
    namaKursus: str  # noqa: N815 - SIASN's field names, kept as they are
    nomorSertipikat: str  # noqa: N815
    jumlahJam: int  # noqa: N815
    tanggalKursus: datetime.date  # noqa: N815
    tanggalSelesaiKursus: datetime.date  # noqa: N815
    tahunKursus: int  # noqa: N815
    institusiPenyelenggara: str  # noqa: N815
    jenisKursusSertipikat: str  # noqa: N815

    def as_siasn(self) -> dict:
        """The record as SIASN takes it: dates dd-mm-yyyy, numbers as numbers."""
        record = {name: getattr(self, name) for name in self.__slots__}
        for name in ("tanggalKursus", "tanggalSelesaiKursus"):
            record[name] = siasn_date(record[name])
        return record


SIASN_FIELDS = [field for field in SiasnRecord.__slots__]


def siasn_date(day: datetime.date) -> str:
    return day.strftime(SIASN_DATE_FORMAT)


def siasn_records(queryset) -> Iterator[SiasnRecord]:
    """The certificates of `queryset` (e.g. `siasn_queryset()`) as SIASN records, streamed in chunks, one query.

    tanggalKursus is the start of the training period (the day the officer enrolled, or reopened
    the course for a renewal); where an old certificate does not know it, the day of completion.
    tanggalSelesaiKursus and tahunKursus: the day and year of completion (`period_end`, which is
    `issued_on`, the Jakarta date the course was completed). The organiser is the issuing agency's
    name as printed on the certificate; jenisKursusSertipikat is settings.SIASN_JENIS_KURSUS_SERTIPIKAT.
    """
    kind = settings.SIASN_JENIS_KURSUS_SERTIPIKAT
    for nip, name, title, serial, hours, start, end, issued_on, agency_name in queryset.values_list(
        "holder_nip", "holder_name", "title", "serial", "lesson_hours", "period_start", "period_end", "issued_on",
        "agency_name",
    ).iterator(chunk_size=2000):
        end = end or issued_on
        yield SiasnRecord(
            nip=nip, nama=name, namaKursus=title, nomorSertipikat=serial, jumlahJam=hours,
            tanggalKursus=start or end, tanggalSelesaiKursus=end, tahunKursus=issued_on.year,
            institusiPenyelenggara=agency_name, jenisKursusSertipikat=kind,
        )
