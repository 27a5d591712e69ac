"""Completing a course or program issues exactly one certificate record per cycle."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from certificates.codes import ALPHABET, code_display, code_normalize
from certificates.models import Certificate, CertificateStatus, RevocationReason
from certificates.services import (
    CertificateError,
    add_months,
    certificate_issue,
    certificate_revoke,
)
from certificates.tests.factories import make_certificate, make_program
from certificates.subjects import Subject
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course
from lms import roles
from lms.tests.concurrency import run_together
from lms.tests.factories import AgencyFactory, LegalBasisFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def complete_course(user, course):
    enrollment_create(user=user, course=course)
    for module in course.get_modules():
        module_complete(user=user, module=module.specific)


@pytest.fixture
def imigrasi():
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")


def test_completing_a_course_issues_one_certificate_with_snapshots(catalog, imigrasi, django_capture_on_commit_callbacks):
    basis = LegalBasisFactory(title="Undang-Undang Nomor 21 Tahun 2007")
    course = make_course(
        catalog=catalog, agency=imigrasi, legal_bases=[basis], modules=2, lesson_hours=6, validity_months=24
    )
    officer = make_officer(full_name="Ni Luh Putu Ayu Ṡaraswati", nip="199001012015031001")

    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, course)

    certificate = Certificate.objects.get(holder=officer)
    assert certificate.course_id == course.pk
    assert certificate.holder_name == "Ni Luh Putu Ayu Ṡaraswati"
    assert certificate.holder_nip == "199001012015031001"
    assert certificate.title == course.title
    assert certificate.agency_name == "Direktorat Jenderal Imigrasi"
    assert certificate.legal_basis == "Undang-Undang Nomor 21 Tahun 2007"
    assert certificate.lesson_hours == 6
    assert certificate.expires_on == add_months(certificate.issued_on, 24)
    assert re.fullmatch(rf"PIMPASA/IMI/{certificate.issued_on.year}/000001", certificate.serial)
    assert certificate.status == CertificateStatus.VALID
    assert ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.issue").count() == 1

    # A later profile change does not rewrite the record.
    officer.officer_profile.full_name = "Nama Baru"
    officer.officer_profile.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Ni Luh Putu Ayu Ṡaraswati"


def test_issuing_again_returns_the_same_certificate(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi)
    officer = make_officer()
    first = certificate_issue(user=officer, subject=Subject.of(course), issued_on=TODAY)
    again = certificate_issue(user=officer, subject=Subject.of(course), issued_on=TODAY)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_for_the_same_cycle(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi)
    officer = make_officer()
    make_certificate(holder=officer, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_certificate(holder=officer, course=course)


def test_serials_are_sequential_per_agency_and_year(catalog, imigrasi):
    polri = AgencyFactory(code="POLRI")
    course_imi = make_course(catalog=catalog, agency=imigrasi, title="A")
    course_polri = make_course(catalog=catalog, agency=polri, title="B")
    officers = [make_officer() for _ in range(3)]
    serials = [certificate_issue(user=officer, subject=Subject.of(course_imi), issued_on=TODAY).serial for officer in officers]
    serials.append(certificate_issue(user=officers[0], subject=Subject.of(course_polri), issued_on=TODAY).serial)
    serials.append(certificate_issue(user=officers[1], subject=Subject.of(course_imi), issued_on=TODAY.replace(year=2027)).serial)
    # officers[1] already holds a valid 2026 certificate for course_imi, so the 2027 call returns it.
    assert serials == [
        "PIMPASA/IMI/2026/000001",
        "PIMPASA/IMI/2026/000002",
        "PIMPASA/IMI/2026/000003",
        "PIMPASA/POLRI/2026/000001",
        "PIMPASA/IMI/2026/000002",
    ]
    officer = make_officer()
    assert certificate_issue(user=officer, subject=Subject.of(course_imi), issued_on=datetime.date(2027, 1, 2)).serial == (
        "PIMPASA/IMI/2027/000001"
    )


def test_verification_codes_are_long_random_and_typo_tolerant(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi)
    codes = {certificate_issue(user=make_officer(), subject=Subject.of(course)).code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 16 and set(code) <= set(ALPHABET)  # 16 × 5 = 80 bits
        assert not set(code) & set("ILOU")
        typed = code_display(code).lower().replace("0", "o").replace("1", "l")
        assert code_normalize(f"  {typed} ") == code
    assert code_normalize("ABC") is None
    assert code_normalize("U" * 16) is None


def test_an_expired_certificate_is_renewed_with_a_new_cycle(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi, validity_months=12)
    officer = make_officer()
    first = certificate_issue(user=officer, subject=Subject.of(course), issued_on=datetime.date(2024, 3, 1))
    assert first.expires_on == datetime.date(2025, 3, 1)
    assert first.status == CertificateStatus.EXPIRED

    renewed = certificate_issue(user=officer, subject=Subject.of(course), issued_on=TODAY)
    assert renewed.pk != first.pk
    assert renewed.cycle == 2
    assert renewed.status == CertificateStatus.VALID
    assert list(Certificate.objects.filter(holder=officer).with_status(TODAY).values_list("status_code", flat=True)) == [
        "valid",
        "expired",
    ]


def test_a_course_without_validity_never_expires(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi, validity_months=None)
    certificate = certificate_issue(user=make_officer(), subject=Subject.of(course), issued_on=datetime.date(2000, 1, 1))
    assert certificate.expires_on is None
    assert certificate.status == CertificateStatus.VALID


def test_revocation_records_who_when_why_and_is_final(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi)
    hr = UserFactory(groups=[roles.HR])
    certificate = certificate_issue(user=make_officer(), subject=Subject.of(course))

    certificate_revoke(certificate=certificate, by=hr, reason=RevocationReason.MISCONDUCT, note=" Kecurangan kuis ")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == hr and certificate.revoked_at is not None
    assert certificate.revocation_note == "Kecurangan kuis"
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certificates.revoke")
    assert entry.user == hr and entry.data["reason"] == "misconduct"

    with pytest.raises(CertificateError, match="sudah dicabut"):
        certificate_revoke(certificate=certificate, by=hr, reason=RevocationReason.OTHER)
    with pytest.raises(CertificateError, match="alasan"):
        certificate_revoke(certificate=make_certificate(holder=make_officer(), course=course), by=hr, reason="bosan")


def test_the_database_refuses_a_revocation_without_reason(catalog, imigrasi):
    certificate = make_certificate(holder=make_officer(), course=make_course(catalog=catalog, agency=imigrasi))
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=certificate.created_at)


def test_completing_the_last_course_of_a_program_issues_the_program_certificate(
    catalog, imigrasi, django_capture_on_commit_callbacks
):
    courses = [
        make_course(catalog=catalog, agency=imigrasi, title="Imigrasi", modules=1, lesson_hours=4),
        make_course(catalog=catalog, agency=AgencyFactory(code="BP2MI"), title="BP2MI", modules=1, lesson_hours=3),
    ]
    program = make_program(courses=courses, agency=imigrasi, validity_months=24)
    officer = make_officer()

    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, courses[0])
    assert not Certificate.objects.filter(program=program).exists()

    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, courses[1])
    program_certificate = Certificate.objects.get(program=program, holder=officer)
    assert program_certificate.title == "Program Dasar Pimpasa"
    assert program_certificate.lesson_hours == 7
    assert program_certificate.serial.startswith("PIMPASA/IMI/")
    assert Certificate.objects.filter(holder=officer).count() == 3


def test_status_querysets_agree_with_the_instance_status(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi)
    valid = make_certificate(holder=make_officer(), course=course, issued_on=TODAY, expires_on=None)
    soon = make_certificate(
        holder=make_officer(), course=course, issued_on=TODAY, expires_on=TODAY + datetime.timedelta(days=20)
    )
    expired = make_certificate(
        holder=make_officer(), course=course, issued_on=datetime.date(2023, 1, 1), expires_on=datetime.date(2025, 1, 1)
    )
    revoked = make_certificate(holder=make_officer(), course=course, revoked=True)

    certificates = Certificate.objects.all()
    assert set(certificates.valid(TODAY)) == {valid, soon}
    assert set(certificates.expired(TODAY)) == {expired}
    assert set(certificates.revoked()) == {revoked}
    assert set(certificates.expiring_within(30, TODAY)) == {soon}
    by_status = dict(certificates.with_status(TODAY).values_list("pk", "status_code"))
    for certificate in (valid, soon, expired, revoked):
        assert by_status[certificate.pk] == certificate.status_on(TODAY)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2026, 11, 23), 24) == datetime.date(2028, 11, 23)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completions_issue_one_certificate_with_gapless_serials(catalog):
    imigrasi = AgencyFactory(code="IMI")
    course = make_course(catalog=catalog, agency=imigrasi)
    officer = make_officer()
    others = [make_officer() for _ in range(4)]

    # Eight threads issue for the same officer: one record, and all get it.
    outcomes = run_together(8, lambda: certificate_issue(user=officer, subject=Subject.of(course)))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({certificate.pk for certificate in outcomes}) == 1
    assert Certificate.objects.filter(holder=officer, course=course).count() == 1

    # Different officers at once: distinct, gapless serial numbers.
    outcomes = run_together(4, lambda index: certificate_issue(user=others[index], subject=Subject.of(course)))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    numbers = sorted(Certificate.objects.values_list("serial_number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
