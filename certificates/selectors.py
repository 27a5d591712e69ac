"""Reads for certificates: verification, an officer's certificates, templates, permissions."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates import signing
from certificates.codes import code_normalize
from certificates.credentials import keys as credential_keys
from certificates.credentials import status as credential_status
from certificates.models import (
    Certificate,
    CertificateStatus,
    CertificateTemplate,
    ProgramCourse,
    RevocationReason,
    Signatory,
)
from certificates.subjects import Subject
from courses import api as courses_api
from lms import roles
from lms.models import LegalChange
from lms.validators import mask_nip

VERIFY_CACHE_PREFIX = "certificates:verify:"
_NOT_FOUND = {"status": "not_found"}


def verification_cache_key(code: str) -> str:
    return VERIFY_CACHE_PREFIX + code


def _seconds_until_tomorrow() -> int:
    """Statuses change at midnight (local time), so no cached answer outlives the day."""
    now = timezone.localtime()
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return max(int((tomorrow - now).total_seconds()), 1)


def verification_payload(certificate: Certificate, today: datetime.date | None = None) -> dict:
    """What anyone may learn about a certificate: exactly the public API's fields."""
    today = today or timezone.localdate()
    revoked_on = timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None
    return {
        "status": certificate.status_on(today).value,
        "serial": certificate.serial,
        "holder_name": certificate.holder_name,
        "nip_masked": mask_nip(certificate.holder_nip),
        "holder_rank": certificate.holder_rank or None,
        "holder_unit": certificate.holder_unit or None,
        "title": certificate.title,
        "period_start": certificate.period_start.isoformat() if certificate.period_start else None,
        "period_end": certificate.period_end.isoformat() if certificate.period_end else None,
        "agency": certificate.agency_name,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "revoked_on": revoked_on.isoformat() if revoked_on else None,
        "revocation_reason": certificate.revocation_reason or None,
        "pdf_signed": certificate.pdf_signed,
        "pdf_signature": _pdf_signature(certificate),
    }


def _pdf_signature(certificate: Certificate) -> dict | None:
    """Who signed the stored PDF (PAdES), or None when it is unsigned or not rendered yet."""
    if not certificate.pdf_signed:
        return None
    return {
        "signer": certificate.pdf_signer_name,
        "organization": certificate.pdf_signer_organization,
        "issuer": certificate.pdf_signer_issuer,
        "certificate_serial": certificate.pdf_signer_serial,
        "certificate_sha256": certificate.pdf_signer_fingerprint,
        "bsre": certificate.pdf_signer_bsre,
        "signed_at": timezone.localtime(certificate.pdf_signed_at).isoformat(),
    }


def verification_lookup(typed_code: str) -> dict | None:
    """The public payload for a typed or scanned code, or None; cached for everyone alike.

    The answer is the same for every visitor, so it is cached by code (unknown
    codes too, briefly); revoking or re-rendering a certificate deletes its entry.
    """
    code = code_normalize(typed_code)
    if code is None:
        return None
    key = verification_cache_key(code)
    payload = cache.get(key)
    if payload is None:
        certificate = Certificate.objects.filter(code=code).first()
        payload = verification_payload(certificate) if certificate else _NOT_FOUND
        timeout = settings.CERTIFICATES["VERIFY_CACHE_SECONDS"] if certificate else 60
        cache.set(key, payload, min(timeout, _seconds_until_tomorrow()))
    return None if payload == _NOT_FOUND else payload


def verification_forget(code: str) -> None:
    cache.delete(verification_cache_key(code))


def credentials_published() -> bool:
    """Are credentials signed and the DID document served here (a key is configured and readable)?"""
    try:
        return credential_keys.keys_configured()
    except credential_keys.CredentialKeyError:
        return False


def _status_list_cache_key(number: int) -> str:
    return f"credentials:status-list:{settings.PUBLIC_BASE_URL}:{number}"


def status_list(number: int) -> dict | None:
    """The signed Bitstring Status List credential of list `number`; None when no key or no such list.

    Cached (signing costs a few milliseconds, and every verifier fetches it); revocation deletes it.
    """
    if number < 0 or credential_keys.active_key() is None:
        return None
    key = _status_list_cache_key(number)
    payload = cache.get(key)
    if payload is None:
        start = number * credential_status.LIST_SIZE
        indexes = Certificate.objects.filter(
            status_list_index__gte=start, status_list_index__lt=start + credential_status.LIST_SIZE
        )
        if not indexes.exists():
            return None
        revoked = indexes.filter(revoked_at__isnull=False).values_list("status_list_index", flat=True)
        payload = credential_status.status_list_credential(number, revoked)
        cache.set(key, payload, settings.CERTIFICATES["VERIFY_CACHE_SECONDS"])
    return payload


def status_list_forget(number: int) -> None:
    cache.delete(_status_list_cache_key(number))


def revocation_reason_label(value: str | None) -> str:
    return RevocationReason(value).label if value in RevocationReason.values else ""


def certificates_for_holder(*, user):
    """An officer's certificates, newest first, with status annotated and subjects joined."""
    return (
        Certificate.objects.filter(holder=user)
        .with_status()
        .select_related("course", "program", "agency")
        .order_by("-issued_on", "-pk")
    )


def renewable_ids(certificates) -> set[int]:
    """Expired course certificates not already followed by a newer cycle (pure: works on a list)."""
    latest_cycle: dict[int, int] = {}
    for certificate in certificates:
        if certificate.course_id:
            latest_cycle[certificate.course_id] = max(latest_cycle.get(certificate.course_id, 0), certificate.cycle)
    return {
        certificate.pk
        for certificate in certificates
        if certificate.course_id
        and certificate.status == "expired"
        and certificate.cycle == latest_cycle[certificate.course_id]
    }


@dataclass(frozen=True)
class CertificateNextStep:
    """What completing a course earned, for the course page and the last quiz result.

    `certificate`: the course's certificate of the latest cycle (None while it is being
    issued); `programs`: valid certificates of programs the course belongs to.
    """

    certificate: Certificate | None
    programs: tuple[Certificate, ...]
    template_name = "certificates/includes/next_step.html"

    @property
    def preparing(self) -> bool:
        """Issued or not yet, no PDF to hand out yet (the worker renders it)."""
        certificate = self.certificate
        return certificate is None or (certificate.status == CertificateStatus.VALID and not certificate.pdf_ready)


def certificate_next_step(*, user, course) -> CertificateNextStep:
    """The officer's certificate for a completed course, and program certificates it is part of (one query)."""
    found = list(
        Certificate.objects.filter(holder=user)
        .filter(Q(course_id=course.pk) | Q(program__program_courses__course_id=course.pk))
        .with_status()
        .order_by("-cycle", "-pk")
    )
    certificate = next((c for c in found if c.course_id == course.pk), None)
    programs, seen = [], set()
    for candidate in found:
        if candidate.program_id and candidate.program_id not in seen:
            seen.add(candidate.program_id)
            if candidate.status == CertificateStatus.VALID:
                programs.append(candidate)
    return CertificateNextStep(certificate=certificate, programs=tuple(programs))


def is_certificate_admin(user) -> bool:
    """HR and superusers see and download every certificate (the same rule as the HR workspace)."""
    return roles.is_hr(user)


def can_download(*, user, certificate: Certificate) -> bool:
    """The holder (while not revoked: a revoked PDF must not circulate), HR and admins."""
    if not user.is_authenticated:
        return False
    if certificate.holder_id == user.pk and not certificate.is_revoked:
        return True
    return is_certificate_admin(user)


def can_download_bundle(*, user, agency_code: str) -> bool:
    """HR, admins and the trainers of the course's agency print a course's certificates."""
    if is_certificate_admin(user):
        return True
    group = roles.TRAINER_GROUPS.get(agency_code)
    return bool(group) and user.is_authenticated and user.groups.filter(name=group).exists()


# --- Templates ---------------------------------------------------------------------


class TemplateIndex:
    """Effective templates for many certificates from one query: course or program, then agency."""

    def __init__(self, templates):
        self._by_scope = {}
        for template in templates:
            if template.course_id:
                self._by_scope[("course", template.course_id)] = template
            elif template.program_id:
                self._by_scope[("program", template.program_id)] = template
            else:
                self._by_scope[("agency", template.agency_id)] = template

    @classmethod
    def for_agencies(cls, agency_ids) -> "TemplateIndex":
        return cls(
            CertificateTemplate.objects.filter(agency_id__in=set(agency_ids)).select_related(
                "logo", "background_image", "signatory__signature_image", "signatory__stamp_image"
            )
        )

    def template_for(self, certificate: Certificate) -> CertificateTemplate | None:
        return self.template_for_subject(
            course_id=certificate.course_id, program_id=certificate.program_id, agency_id=certificate.agency_id
        )

    def template_for_subject(self, *, course_id, program_id, agency_id) -> CertificateTemplate | None:
        if course_id and ("course", course_id) in self._by_scope:
            return self._by_scope[("course", course_id)]
        if program_id and ("program", program_id) in self._by_scope:
            return self._by_scope[("program", program_id)]
        return self._by_scope.get(("agency", agency_id))


def template_for_certificate(certificate: Certificate) -> CertificateTemplate | None:
    return TemplateIndex.for_agencies([certificate.agency_id]).template_for(certificate)


def template_for_subject(subject: Subject, *, agency) -> CertificateTemplate | None:
    """The template a new certificate for `subject` (issued by `agency`) will be rendered with."""
    return TemplateIndex.for_agencies([agency.pk]).template_for_subject(agency_id=agency.pk, **subject.ids())


def signatory_for(*, template: CertificateTemplate | None, agency_id: int, day: datetime.date) -> Signatory | None:
    """Who signs a certificate issued on `day`: the template's signatory if in office that day, else the
    agency's official in office that day (the most recently appointed); None if nobody was."""
    if template is not None and template.signatory_id and template.signatory.covers(day):
        return template.signatory
    return (
        Signatory.covering(day)
        .filter(agency_id=agency_id)
        .select_related("signature_image", "stamp_image")
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )


def certificates_governed_by(template: CertificateTemplate):
    """The certificates whose PDF a template shapes (course/program overrides win over the agency's)."""
    if template.course_id:
        return Certificate.objects.filter(course_id=template.course_id)
    if template.program_id:
        return Certificate.objects.filter(program_id=template.program_id)
    overridden = CertificateTemplate.objects.filter(agency_id=template.agency_id).exclude(pk=template.pk)
    return Certificate.objects.filter(agency_id=template.agency_id).exclude(
        Q(course_id__in=overridden.filter(course__isnull=False).values("course_id"))
        | Q(program_id__in=overridden.filter(program__isnull=False).values("program_id"))
    )


def certificates_for_bundle(*, course, office=None, village=None):
    """A course's valid certificates (not expired, not revoked), optionally of one office or village, for printing."""
    certificates = Certificate.objects.valid().filter(course=course)
    if office is not None:
        certificates = certificates.filter(holder__officer_profile__office=office)
    if village is not None:
        certificates = certificates.filter(holder__officer_profile__village=village)
    return certificates.select_related("agency").order_by("holder_name", "serial")


# --- Issuing in bulk -------------------------------------------------------------------


def officers_awaiting_certificate(*, subject: Subject, office=None, today: datetime.date | None = None):
    """Active officers who earned `subject`: completed the course, or hold a valid certificate of each
    course the program requires; but hold no valid certificate for it: what a bulk issue would issue."""
    today = today or timezone.localdate()
    users = get_user_model().objects.filter(is_active=True, groups__name=roles.OFFICER)
    if office is not None:
        users = users.filter(officer_profile__office=office)
    holders = Certificate.objects.valid(today).filter(subject.q()).values("holder_id")
    if not subject.is_program:
        completed = courses_api.course_completer_ids(course=subject.pk)
        return users.filter(pk__in=completed).exclude(pk__in=holders)
    required = list(ProgramCourse.objects.filter(program_id=subject.pk).values_list("course_id", flat=True))
    qualified = (
        Certificate.objects.valid(today)
        .filter(course_id__in=required)
        .values("holder_id")
        .annotate(courses=Count("course_id", distinct=True))
        .filter(courses=len(required))
        .values("holder_id")
    )
    return users.filter(pk__in=qualified).exclude(pk__in=holders)


def certificates_with_stale_pdf():
    """Unrevoked certificates with a PDF that is outdated, prints another address than PUBLIC_BASE_URL,
    or is signed otherwise than the installation signs now (unsigned where signing is on, another key, ...),
    or has no credential embedded while credentials are signed (rendered before the key existed)."""
    stale = (
        Q(pdf_outdated=True)
        | ~Q(pdf_base_url=settings.PUBLIC_BASE_URL)
        | ~Q(pdf_signer_fingerprint=signing.configured_fingerprint())
    )
    if credentials_published():
        stale |= Q(credential__isnull=True)
    return Certificate.objects.filter(revoked_at__isnull=True).exclude(pdf="").filter(stale)


# --- When the law changes: who holds a certificate whose content a change touches.


def legal_impact_holders(courses, changed_on: datetime.date | None = None, *, today: datetime.date | None = None):
    """Valid certificates of the affected courses, and of programs containing one of them,
    issued on or before `changed_on` (None: whenever issued), holder and agency loaded.

    `courses`: a `courses.api.LegalImpact` or course ids. A certificate issued after the law
    changed but before the content was reviewed still certified the old content: callers pass
    the later of the date in force and the date the change was recorded (`change_cutoff`).
    """
    course_ids = list(courses.course_ids if isinstance(courses, courses_api.LegalImpact) else courses)
    programs = ProgramCourse.objects.filter(course_id__in=course_ids).values("program_id")
    certificates = Certificate.objects.valid(today).filter(Q(course_id__in=course_ids) | Q(program_id__in=programs))
    if changed_on is not None:
        certificates = certificates.filter(issued_on__lte=changed_on)
    return certificates.select_related("holder", "agency").order_by("title", "holder_name", "pk")


def change_cutoff(change) -> datetime.date:
    """The last issue date a change affects: when it took effect or, if later, when it was recorded."""
    recorded = timezone.localdate(change.applied_at or change.recorded_at)
    return max(change.in_force_on, recorded)


@dataclass
class LegalImpactReport:
    """A change's (or a provision's) reach, as the admin page and `manage.py legal_impact` show it."""

    changes: list  # lms.LegalChange, with their items loaded
    content: "courses_api.LegalImpact"
    holders: object  # a Certificate queryset
    issued_until: datetime.date | None
    reviews: dict  # module id → courses.ContentReview (one change only)

    def module_rows(self) -> list[dict]:
        """Per affected module: its citing blocks, its tagged questions and its review."""
        return [
            {
                "module": module,
                "course": self.content.course_of(module),
                "blocks": self.content.blocks_of(module),
                "questions": self.content.questions_of(module),
                "review": self.reviews.get(module.pk),
            }
            for module in self.content.modules
        ]


def _changes_with_items(changes):
    return changes.select_related("instrument", "recorded_by").prefetch_related(
        "items__provision__legal_basis", "items__replacement__legal_basis"
    )


def legal_impact_of_change(change, *, agency_ids=None) -> LegalImpactReport:
    """What one recorded change touches; `agency_ids`: only these agencies' content (a trainer's view)."""
    change = _changes_with_items(LegalChange.objects.filter(pk=change.pk)).get()
    content = courses_api.legal_impact_content([item.provision_id for item in change.items.all()])
    if agency_ids is not None:
        content = content.for_agencies(agency_ids)
    cutoff = change_cutoff(change)
    return LegalImpactReport(
        changes=[change], content=content, holders=legal_impact_holders(content, cutoff), issued_until=cutoff,
        reviews=courses_api.reviews_of_change(change),
    )


def legal_impact_of_provision(provision, *, agency_ids=None) -> LegalImpactReport:
    """What cites or is tagged with one provision, and the changes recorded for it; holders are
    those certified before the latest of those changes (every valid one when none is recorded)."""
    changes = list(_changes_with_items(LegalChange.objects.filter(items__provision=provision).distinct()))
    content = courses_api.legal_impact_content([provision.pk])
    if agency_ids is not None:
        content = content.for_agencies(agency_ids)
    cutoff = max((change_cutoff(change) for change in changes), default=None)
    return LegalImpactReport(
        changes=changes, content=content, holders=legal_impact_holders(content, cutoff), issued_until=cutoff, reviews={}
    )


# --- Jam pelajaran (JP) per year ------------------------------------------------------
# PP 11/2017 Pasal 203 ayat (4): every civil servant is to get at least 20 JP of competency
# development a year. The target itself is settings.JP_ANNUAL_TARGET.
JP_TARGET_BASIS = _("PP Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil, Pasal 203 ayat (4)")


def jp_target() -> int:
    return settings.JP_ANNUAL_TARGET


def jp_certificates(*, year: int, agency=None):
    """The certificates whose hours (`lesson_hours`) count as JP earned in `year`.

    - Course certificates only: a program certificate adds no JP of its own (its hours
      are its courses', each already counted by the course's certificate), so a course
      that is also part of a program is counted once.
    - Revoked certificates never count; expired ones do: JP is earned when the course is
      completed, whatever happens to the certificate's validity later.
    - The year is the Jakarta year of completion. `issued_on` is that local date:
      `certificate_issue` takes `timezone.localdate()` when the course completes, so a course
      finished at 00:30 on 1 January in Jakarta (17:30 UTC the day before) counts for the new year.
    - `agency`: only courses of that agency (the organiser), e.g. "JP delivered by Polri".
    """
    certificates = Certificate.objects.filter(
        course__isnull=False, revoked_at__isnull=True, issued_on__year=year
    )
    if agency is not None:
        certificates = certificates.filter(agency=agency)
    return certificates


@dataclass(frozen=True)
class JpSummary:
    """An officer's JP in one year against the target, for My learning."""

    year: int
    earned: int
    courses: int
    target: int
    template_name = "certificates/includes/jp_summary.html"

    @property
    def basis(self) -> str:
        return JP_TARGET_BASIS

    @property
    def remaining(self) -> int:
        return max(self.target - self.earned, 0)

    @property
    def reached(self) -> bool:
        return self.earned >= self.target

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.earned / self.target)) if self.target else 100


def jp_summary_for_officer(*, user, today: datetime.date | None = None) -> JpSummary:
    """The officer's JP this (Jakarta) year and the target, in one query."""
    year = (today or timezone.localdate()).year
    totals = jp_certificates(year=year).filter(holder=user).aggregate(
        earned=Coalesce(Sum("lesson_hours"), 0), courses=Count("pk")
    )
    return JpSummary(year=year, earned=totals["earned"], courses=totals["courses"], target=jp_target())


def my_learning_jp_panel(*, user) -> JpSummary | None:
    """My learning's JP panel, for officers only: the target is theirs, not HR's or a trainer's
    (the group names are read once per request, so asking costs no query the page did not make)."""
    if roles.OFFICER not in roles.group_names(user):
        return None
    return jp_summary_for_officer(user=user)
