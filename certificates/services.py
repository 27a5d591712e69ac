"""Issuing and revoking certificates.

Issuing is idempotent and safe under concurrency: the database refuses a
second certificate for the same holder, course (or program) and cycle, and
the loser of a race returns the winner's record. Serial numbers come from a
per-agency, per-year counter row locked for the length of the insert, so
they are sequential without gaps even when many workers issue at once.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from certificates.codes import code_generate, serial_format
from certificates.credentials import keys as credential_keys
from certificates.credentials import openbadges, status as credential_status
from certificates import signing
from certificates import tasks  # tasks import this module too: a task's work enqueues the next task
from certificates.signals import certificate_issued, certificate_revoked
from certificates.selectors import (
    certificates_governed_by,
    signatory_for,
    template_for_certificate,
    template_for_subject,
    status_list_forget,
    verification_forget,
)
from certificates.subjects import Subject
from certificates.models import Certificate, CertificateStatus, Program, RevocationReason, SerialCounter
from courses import api as courses_api
from courses import services as courses_services
from lms import cache as lms_cache
from lms import queueing
from lms.cache_invalidation import invalidate_now_and_on_commit
from lms.errors import DomainError

_NOT_READ = object()


class CertificateError(DomainError):
    pass


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class HolderSnapshot:
    """Who the holder is at issue, as HR knows them; copied onto the certificate and never read live again."""

    name: str
    nip: str = ""
    rank: str = ""
    position: str = ""
    unit: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "holder_name": self.name,
            "holder_nip": self.nip,
            "holder_rank": self.rank,
            "holder_position": self.position,
            "holder_unit": self.unit,
        }


def holder_snapshot(user) -> HolderSnapshot:
    """The holder as HR knows them now; accounts without a profile fall back to the account name.

    The unit (unit kerja) is the officer's office.
    """
    profile = getattr(user, "officer_profile", None)
    if profile is not None:
        return HolderSnapshot(
            name=profile.full_name,
            nip=profile.nip,
            rank=profile.rank,
            position=profile.position,
            unit=profile.office.name if profile.office_id else "",
        )
    return HolderSnapshot(name=user.get_full_name() or user.get_username())


def _legal_basis_text(courses) -> str:
    seen = {}
    for course in courses:
        for legal_basis in course.legal_bases.all():
            seen.setdefault(legal_basis.pk, legal_basis)
    return "; ".join(basis.title for basis in seen.values())


def apportion_hours(total: int, weights: list[int]) -> list[int]:
    """Split `total` JP over items in proportion to their weights (minutes), in whole JP that add up to
    `total` (largest remainder); equal shares when no weights are known."""
    if not weights:
        return []
    weights = [max(weight or 0, 0) for weight in weights]
    if not sum(weights):
        weights = [1] * len(weights)
    exact = [total * weight / sum(weights) for weight in weights]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda index: (-(exact[index] - shares[index]), index))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _course_syllabus(course) -> list[list]:
    """[[module title, JP], ...]: the course's JP shared over its modules by their estimated minutes."""
    modules = courses_api.course_modules_outline(course=course)
    hours = apportion_hours(course.lesson_hours or 0, [minutes for _title, minutes in modules])
    return [[title, share] for (title, _minutes), share in zip(modules, hours)]


def _subject_fields(subject: Subject, *, user, issued_on: datetime.date) -> dict:
    """What the certificate copies from its course or program, and the holder's period and score in it."""
    if not subject.is_program:
        course = subject.resolve().specific
        start = courses_api.enrollment_cycle_start(user=user, course=course)
        return {
            "course": course,
            "agency": course.agency,
            "title": course.title,
            "legal_basis": _legal_basis_text([course]),
            "lesson_hours": course.lesson_hours or 0,
            "validity_months": course.validity_months,
            "period_start": min(start, issued_on) if start else issued_on,
            "period_end": issued_on,
            "score": courses_api.course_score(user=user, course=course),
            "syllabus": _course_syllabus(course),
        }
    program = subject.resolve()
    courses = list(program.courses().prefetch_related("legal_bases"))
    # The program's period: from the first day of the course certificates that complete it.
    starts = [
        start
        for start in Certificate.objects.valid(issued_on)
        .filter(holder=user, course__in=courses, period_start__isnull=False)
        .values_list("period_start", flat=True)
        if start <= issued_on
    ]
    return {
        "program": program,
        "agency": program.agency,
        "title": program.title,
        "legal_basis": _legal_basis_text(courses),
        "lesson_hours": sum(course.lesson_hours or 0 for course in courses),
        "validity_months": program.validity_months,
        "period_start": min(starts) if starts else issued_on,
        "period_end": issued_on,
        "score": None,
        # A program adds no JP of its own: it lists, and totals, the JP of its courses.
        "syllabus": [[course.title, course.lesson_hours or 0] for course in courses],
    }


def _serial_allocate(*, agency, year: int) -> int:
    """The next serial number for agency and year; call inside the transaction that inserts it."""
    SerialCounter.objects.get_or_create(agency=agency, year=year)
    counter = SerialCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def certificate_issue(*, user, subject: Subject, issued_on: datetime.date | None = None) -> Certificate:
    """Issue the certificate for a completed course or program, once per validity cycle.

    Returns the holder's current valid certificate if there is one. A new cycle
    starts only after the last certificate expired or was revoked.
    """
    issued_on = issued_on or timezone.localdate()
    latest = Certificate.objects.filter(subject.q(), holder=user).order_by("-cycle").first()
    if latest is not None and latest.status_on(issued_on) == CertificateStatus.VALID:
        return latest
    if settings.CREDENTIALS_REQUIRED:
        credential_keys.required_active_key()  # production: no certificate without its signed credential
    cycle = latest.cycle + 1 if latest is not None else 1
    fields = _subject_fields(subject, user=user, issued_on=issued_on)

    validity_months = fields.pop("validity_months")
    holder = holder_snapshot(user)
    agency = fields["agency"]
    template = template_for_subject(subject, agency=agency)
    signatory = signatory_for(template=template, agency_id=agency.pk, day=issued_on)
    try:
        # The savepoint also rolls back the serial counter, so a lost race leaves no gap.
        with transaction.atomic():
            number = _serial_allocate(agency=agency, year=issued_on.year)
            certificate = Certificate.objects.create(
                holder=user,
                cycle=cycle,
                **holder.fields(),
                signatory=signatory,
                agency_name=agency.name,
                issued_on=issued_on,
                expires_on=add_months(issued_on, validity_months) if validity_months else None,
                serial=serial_format(
                    agency_code=agency.code, year=issued_on.year, number=number, pattern=agency.serial_format
                ),
                serial_year=issued_on.year,
                serial_number=number,
                code=code_generate(),
                **fields,
            )
    except IntegrityError:
        # A concurrent completion issued this cycle first: the record is theirs and ours.
        return Certificate.objects.get(subject.q(), holder=user, cycle=cycle)
    log(instance=certificate, action="certificates.issue", user=None)
    certificate_credential(certificate=certificate)
    certificate_issued.send(sender=Certificate, certificate=certificate)
    certificate_render_enqueue(certificate=certificate)
    return certificate


def certificate_credential(*, certificate: Certificate) -> dict | None:
    """The certificate's signed Open Badges credential, made and stored the first time it is needed
    (at issue, or for a certificate issued before credentials existed); None when no key is configured.

    Stored as signed: later key rotations never change it (the old key stays published). The status
    list index is the certificate's own id, never reused.
    """
    if certificate.credential:
        return certificate.credential
    key = credential_keys.active_key()
    if key is None:
        return None
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.credential is None:
            if locked.status_list_index is None:
                locked.status_list_index = locked.pk
            locked.credential = openbadges.signed_credential(locked, key=key)
            Certificate.objects.filter(pk=locked.pk).update(
                credential=locked.credential, status_list_index=locked.status_list_index
            )
    certificate.credential = locked.credential
    certificate.status_list_index = locked.status_list_index
    return certificate.credential


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str, note: str = "") -> Certificate:
    """Revoke with who, when and why; a revoked certificate stays revoked."""
    if reason not in RevocationReason.values:
        raise CertificateError(_("Pilih alasan pencabutan yang tersedia."))
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revocation_reason=reason, revocation_note=note.strip(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise CertificateError(_("Sertifikat ini sudah dicabut."))
    certificate.refresh_from_db()
    log(
        instance=certificate,
        action="certificates.revoke",
        user=by,
        data={"reason": reason, "note": certificate.revocation_note},
    )
    certificate_revoked.send(sender=Certificate, certificate=certificate, by=by)
    transaction.on_commit(lambda: verification_forget(certificate.code))
    if certificate.status_list_index is not None:
        number = credential_status.list_number(certificate.status_list_index)
        transaction.on_commit(lambda: status_list_forget(number))
    invalidate_now_and_on_commit(lms_cache.CERTIFICATES)
    return certificate


def programs_containing(course):
    return Program.objects.filter(program_courses__course=course).distinct()


@transaction.atomic
def program_complete_if_finished(*, user, program: Program, today: datetime.date | None = None) -> Certificate | None:
    """Issue the program certificate when the officer holds a valid certificate for every required course."""
    today = today or timezone.localdate()
    required = set(program.program_courses.values_list("course_id", flat=True))
    if not required:
        return None
    held = set(
        Certificate.objects.valid(today)
        .filter(holder=user, course_id__in=required)
        .values_list("course_id", flat=True)
    )
    if not required <= held:
        return None
    return certificate_issue(user=user, subject=Subject.of(program), issued_on=today)


def certificates_for_completion(*, user, course) -> list[Certificate]:
    """What completing `course` earns: its certificate, and any program it finishes."""
    issued = [certificate_issue(user=user, subject=Subject.of(course))]
    for program in programs_containing(course):
        program_certificate = program_complete_if_finished(user=user, program=program)
        if program_certificate is not None:
            issued.append(program_certificate)
    return issued


# --- PDF files ---------------------------------------------------------------------
# A request never renders: it asks the worker, and the worker renders from the record.
# Each ask takes a lease in the record (render_requested_at, render_task_id), claimed by a
# conditional UPDATE, so one render is asked for per lease however many requests, sweeps or
# machines ask at once. The worker renews the lease when it starts and clears it when the PDF
# is stored. A worker killed mid-render leaves the lease to run out; then the sweep asks again.


def _render_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CERTIFICATES["RENDER_LEASE_SECONDS"])


def _pdf_wanted():
    return Q(pdf="") | Q(pdf_outdated=True)


def _lease_free(now) -> Q:
    return Q(render_requested_at__isnull=True) | Q(render_requested_at__lt=now - _render_lease())


def _render_claim(certificate_id: int, *, held_since=_NOT_READ, now=None) -> bool:
    """Take the render lease of one certificate; False when someone else holds it.

    `held_since` is the lease as read before (compare-and-set: a second claimer that
    read the same value finds the row changed); without it, any lease that ran out.
    """
    now = now or timezone.now()
    claim = Certificate.objects.filter(pk=certificate_id)
    if held_since is _NOT_READ:
        claim = claim.filter(_lease_free(now))
    elif held_since is None:
        claim = claim.filter(render_requested_at__isnull=True)
    else:
        claim = claim.filter(render_requested_at=held_since)
    return bool(claim.update(render_requested_at=now, render_task_id=""))


def _enqueue_render(certificate_id: int) -> bool:
    """Ask the worker for the render the caller holds the lease of; False (lease released) when the queue is down."""
    try:
        result = queueing.enqueue(tasks.render_certificate, certificate_id)
    except queueing.QueueUnavailable:
        # The PDF stays wanted with no lease: the sweep asks again once the queue is back.
        Certificate.objects.filter(pk=certificate_id).update(render_requested_at=None, render_task_id="")
        return False
    # Unless the render already ran (the immediate backend of the tests runs it inside enqueue()).
    Certificate.objects.filter(pk=certificate_id, render_requested_at__isnull=False, render_task_id="").update(
        render_task_id=result.id
    )
    return True


def certificate_render_started(*, certificate_id: int) -> None:
    """The worker took the render: the lease runs from now (a render that lasts longer than it is dead)."""
    Certificate.objects.filter(pk=certificate_id).update(render_requested_at=timezone.now())


def certificate_render_retry_enqueued(*, certificate_id: int, task_id: str) -> None:
    Certificate.objects.filter(pk=certificate_id).update(render_requested_at=timezone.now(), render_task_id=task_id)


def certificate_render_enqueue(*, certificate: Certificate) -> None:
    """Render the PDF in the background once the surrounding transaction commits."""

    def ask():
        if _render_claim(certificate.pk):
            _enqueue_render(certificate.pk)

    transaction.on_commit(ask)


def _pdf_file_name(certificate: Certificate) -> str:
    # Not guessable from the serial: the PDF is only handed out through the permission check.
    return f"{certificate.serial.replace('/', '-')}-{secrets.token_hex(8)}.pdf"


def _signature_fields(signed: signing.SignedPdf) -> dict:
    """The record's account of the PDF's signature (all empty when unsigned)."""
    identity = signed.identity
    if identity is None:
        return {
            "pdf_signed_at": None, "pdf_signer_name": "", "pdf_signer_organization": "", "pdf_signer_issuer": "",
            "pdf_signer_serial": "", "pdf_signer_fingerprint": "", "pdf_signer_bsre": False,
        }
    return {
        "pdf_signed_at": signed.signed_at,
        "pdf_signer_name": identity.common_name[:200],
        "pdf_signer_organization": identity.organization[:200],
        "pdf_signer_issuer": identity.issuer[:300],
        "pdf_signer_serial": identity.serial[:64],
        "pdf_signer_fingerprint": identity.fingerprint,
        "pdf_signer_bsre": identity.is_bsre,
    }


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Render the PDF from the record and store it with its SHA-256; the record itself is untouched.

    Only the file fields are written (by UPDATE), so a revocation committed
    while the PDF was rendering is never overwritten.
    """
    # Imported here, not at the top: WeasyPrint takes over a second to import, and the web
    # processes, which never render, should not load it.
    from certificates.rendering import render_certificate_pdf

    certificate = Certificate.objects.select_related(
        "agency__logo", "signatory__signature_image", "signatory__stamp_image"
    ).get(pk=certificate.pk)
    base_url = settings.PUBLIC_BASE_URL  # the address its QR code and link print (Certificate.verification_url)
    template = template_for_certificate(certificate)
    if certificate.signatory_id is None:
        # Issued before signatories were recorded: printed with the official in office on its issue
        # date (on this instance only; the record is not written here).
        certificate.signatory = signatory_for(template=template, agency_id=certificate.agency_id, day=certificate.issued_on)
    # The credential is embedded first, so that the PDF signature below covers it too.
    rendered = render_certificate_pdf(certificate, template, credential=certificate_credential(certificate=certificate))
    signed = signing.sign_pdf(rendered.content)  # unchanged when the installation configures no signing key
    sha256 = hashlib.sha256(signed.content).hexdigest()
    old_name = certificate.pdf.name
    name = default_storage.save(
        certificate.pdf.field.generate_filename(certificate, _pdf_file_name(certificate)), ContentFile(signed.content)
    )
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(
            pdf=name, pdf_sha256=sha256, rendered_at=timezone.now(), pdf_outdated=False,
            pdf_base_url=base_url, updated_at=timezone.now(),
            render_requested_at=None, render_task_id="",
            **_signature_fields(signed),
        )
        certificate.refresh_from_db()
        log(
            instance=certificate, action="certificates.render", user=None,
            data={"sha256": sha256, "signer_sha256": certificate.pdf_signer_fingerprint or None},
        )
        invalidate_now_and_on_commit(lms_cache.CERTIFICATES)
    if old_name and old_name != name:
        default_storage.delete(old_name)
    verification_forget(certificate.code)
    return certificate


def certificate_pdf_available(*, certificate: Certificate) -> bool:
    """Is a current PDF on storage? If not (never rendered, lost, or outdated), ask the worker for one.

    Asked once per lease: a holder reloading the "being prepared" page enqueues nothing more.
    """
    if certificate.pdf_ready and default_storage.exists(certificate.pdf.name):
        return True
    if _render_claim(certificate.pk):
        _enqueue_render(certificate.pk)
    return False


def certificates_rerender(*, certificates) -> int:
    """Mark the given certificates outdated and enqueue a render for each; returns how many.

    An explicit order: it takes every lease, whoever held it (a render already running
    renders the old state and the new one renders again; the second finds its PDF current
    if nothing changed).
    """
    ids = list(certificates.values_list("pk", flat=True))
    Certificate.objects.filter(pk__in=ids).update(pdf_outdated=True, render_requested_at=timezone.now(), render_task_id="")
    enqueued = 0
    for certificate_id in ids:
        if not _enqueue_render(certificate_id):
            raise queueing.QueueUnavailable()  # the rest stay wanted without a lease: the sweep asks for them
        enqueued += 1
    return enqueued


def certificates_render_sweep(*, now=None) -> int:
    """Ask again for every PDF that is missing or outdated and has no live render; returns how many.

    A render is live while its lease runs (RENDER_LEASE_SECONDS after it was asked for or
    started, longer than any render may run) or while its task still waits in the queue.
    After that the worker that took it is gone (killed, or the queue was lost): RQ moves
    such a job to its failed registry, and a killed `db_worker` leaves its task RUNNING,
    neither of which renders. Safe to run at any time, twice, or on two machines at once:
    each certificate's lease is claimed by a conditional UPDATE, so one render is enqueued.
    """
    now = now or timezone.now()
    wanted = (
        Certificate.objects.filter(_pdf_wanted())
        .filter(_lease_free(now))
        .order_by("pk")
        .values_list("pk", "render_requested_at", "render_task_id")
    )
    enqueued = 0
    for certificate_id, held_since, task_id in wanted.iterator():
        if queueing.waiting_in_queue(tasks.render_certificate, task_id):
            continue
        if not _render_claim(certificate_id, held_since=held_since, now=now):
            continue  # another sweep or request took it
        if not _enqueue_render(certificate_id):
            raise queueing.QueueUnavailable()
        enqueued += 1
    return enqueued


def signatory_changed(*, signatory) -> int:
    """A corrected name, NIP or signature image shows on the PDFs it signed when they are next asked for."""
    return Certificate.objects.filter(signatory=signatory, pdf_outdated=False).update(pdf_outdated=True)


def certificate_template_changed(*, template) -> int:
    """A template edit marks the PDFs it shapes outdated; they are rendered again on demand."""
    return certificates_governed_by(template).filter(pdf_outdated=False).update(pdf_outdated=True)


# --- Bulk issuing ------------------------------------------------------------------

def certificates_issue_bulk(*, user_ids, subject: Subject) -> int:
    """Issue a course's (or program's) certificate to many officers in the background; returns at once.

    One job for all of them, so it is queued whole or not at all (QueueUnavailable when the
    queue is down: nothing is issued, the user is told). The worker issues one certificate
    per transaction, and each issue asks for its own render.
    """
    user_ids = sorted(set(user_ids))
    queueing.enqueue(tasks.issue_certificates, user_ids=user_ids, **subject.ids())
    return len(user_ids)


def certificates_issue_for_users(*, user_ids, course_id=None, program_id=None) -> int:
    """The worker's half of bulk issuing: one transaction per certificate, so one failure spoils none."""
    subject = Subject.from_ids(course_id=course_id, program_id=program_id)
    if subject.resolve() is None:
        raise LookupError(f"Bulk issue for {subject}, which no longer exists.")
    issued = 0
    for user in get_user_model().objects.filter(pk__in=user_ids).select_related("officer_profile__office"):
        certificate_issue(user=user, subject=subject)
        issued += 1
    return issued


def certificate_renew(*, certificate: Certificate, user, today: datetime.date | None = None):
    """Re-open an expired certificate's course so that completing it again issues a new one."""
    today = today or timezone.localdate()
    if certificate.holder_id != user.pk or not certificate.course_id:
        raise CertificateError(_("Hanya sertifikat kursus milik Anda yang dapat diperpanjang."))
    if certificate.status_on(today) != CertificateStatus.EXPIRED:
        raise CertificateError(_("Sertifikat ini belum kedaluwarsa (atau sudah dicabut), jadi belum dapat diperpanjang."))
    if Certificate.objects.filter(holder=user, course_id=certificate.course_id, cycle__gt=certificate.cycle).exists():
        raise CertificateError(_("Sertifikat ini sudah diperpanjang."))
    return courses_services.enrollment_renew(user=user, course=certificate.course)
