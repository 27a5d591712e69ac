"""Demo certificates: the program and officers who earned valid, expiring, expired and revoked certificates.

Called by `seed_demo`. Idempotent: a certificate is looked up by holder and
course (or program) and created only when missing; PDFs are rendered right
here, synchronously (a command, not a request), so they are there at once
after `make run` — and rendered again only if their file went missing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone

from certificates.models import Certificate, CertificateTemplate, Program, ProgramCourse, RevocationReason
from certificates.services import (
    add_months,
    certificate_issue,
    certificate_render,
    certificate_revoke,
    program_complete_if_finished,
)
from certificates.subjects import Subject
from courses.models import CoursePage, Enrollment, ModuleProgress

IMI, BP2MI, POLRI = (
    "imigrasi-paspor-dan-pencegahan-tppm",
    "bp2mi-migrasi-aman-dan-prosedural",
    "polri-tppo-dan-gugus-tugas",
)
PROGRAM_CODE = "PDP"

# username → [(course slug, state)]; states: valid, expiring (within 30 days), expired, revoked.
DEMO_HOLDERS = {
    "petugas1": [(IMI, "valid"), (BP2MI, "valid"), (POLRI, "valid")],  # and the program certificate
    "petugas2": [(IMI, "expiring"), (BP2MI, "valid")],
    "petugas3": [(IMI, "expired")],
    "petugas4": [(BP2MI, "revoked")],
}


def seed_program(data: dict, report) -> Program:
    courses = {course.slug: course for course in CoursePage.objects.filter(slug__in=data["courses"])}
    program = Program.objects.filter(slug=data["slug"]).first()
    if program is None:
        program = Program.objects.create(
            code=PROGRAM_CODE,
            slug=data["slug"],
            title=data["title"],
            description=data.get("summary", ""),
            agency=courses[data["courses"][0]].agency,
            validity_months=data.get("validity_months"),
        )
        ProgramCourse.objects.bulk_create(
            ProgramCourse(program=program, course=courses[slug], sort_order=index)
            for index, slug in enumerate(data["courses"])
        )
        report.add("programs", True)
    return program


def seed_templates(agencies, report) -> None:
    for agency in agencies:
        _template, created = CertificateTemplate.objects.get_or_create(
            agency=agency, course=None, program=None, defaults={"title_text": "Sertifikat Pelatihan"}
        )
        report.add("certificate templates", created)


def _issued_on(state: str, validity_months: int, today: datetime.date) -> datetime.date:
    if state == "expiring":
        return add_months(today, -validity_months) + datetime.timedelta(days=20)
    if state == "expired":
        return add_months(today, -validity_months) - datetime.timedelta(days=60)
    return today - datetime.timedelta(days=30)


def _complete_course(user, course, completed_at) -> None:
    Enrollment.objects.get_or_create(user=user, course=course, defaults={"completed_at": completed_at})
    for module in course.get_modules():
        ModuleProgress.objects.get_or_create(
            user=user, module_id=module.pk, defaults={"course": course, "completed_at": completed_at}
        )


def seed_certificates(report, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[*DEMO_HOLDERS, "sdm"])}
    courses = {course.slug: course for course in CoursePage.objects.filter(slug__in=[IMI, BP2MI, POLRI])}
    hr = users.get("sdm")
    for username, earned in DEMO_HOLDERS.items():
        user = users.get(username)
        if user is None:
            continue
        for slug, state in earned:
            course = courses[slug]
            if Certificate.objects.filter(holder=user, course=course).exists():
                continue
            issued_on = _issued_on(state, course.validity_months or 24, today)
            completed_at = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(10)))
            _complete_course(user, course, completed_at)
            certificate = certificate_issue(user=user, subject=Subject.of(course), issued_on=issued_on)
            if state == "revoked":
                certificate_revoke(
                    certificate=certificate,
                    by=hr,
                    reason=RevocationReason.DATA_CORRECTION,
                    note="Demo: NIP pada sertifikat salah ketik; diterbitkan ulang setelah koreksi data.",
                )
            report.add("certificates", True)
    program = Program.objects.filter(code=PROGRAM_CODE).first()
    if program is not None and "petugas1" in users:
        if not Certificate.objects.filter(holder=users["petugas1"], program=program).exists():
            issued = program_complete_if_finished(
                user=users["petugas1"], program=program, today=today - datetime.timedelta(days=30)
            )
            report.add("certificates", issued is not None)
    _render_missing()


def _render_missing() -> None:
    """Render demo PDFs now, so they are there before the worker starts; only missing or stale files.

    Stale includes a PDF rendered for another PUBLIC_BASE_URL: `make run PORT=8031`
    after a run on port 8000 prints QR codes and links for port 8031.
    """
    demo = Certificate.objects.filter(holder__username__in=list(DEMO_HOLDERS))
    for certificate in demo:
        if not certificate.pdf_ready or not default_storage.exists(certificate.pdf.name):
            certificate_render(certificate=certificate)
