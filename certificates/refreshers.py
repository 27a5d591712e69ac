"""Refreshers (penyegaran) after a change in the law, seen from the certificates.

HR requires a refresher of the holders of valid certificates whose content a recorded change
(lms.LegalChange) touched. For a course certificate it asks for that course's changed modules,
for a program certificate for the changed modules of each of the program's courses
(courses.services.refresher_require does the asking; it is idempotent). Each new refresher gets
one reminder email, sent by a background task. When the officer has done the changed modules
again, the course certificate is renewed: the certificate of the old content is revoked as
"superseded" and a new cycle is issued (the same rule as any renewal: a new cycle starts when
the previous certificate is no longer valid).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.log_actions import log

from certificates import tasks  # tasks import this module too: the reminder task sends through it
from certificates.models import Certificate, ProgramCourse, RevocationReason
from certificates.services import (
    certificate_issue,
    certificate_revoke,
    holder_snapshot,
    program_complete_if_finished,
    programs_containing,
)
from certificates.subjects import Subject
from courses import api as courses_api
from courses import services as courses_services
from lms import queueing

REFRESHER_REQUIRED = "certificates.refresher_require"
REFRESHER_COMPLETED = "certificates.refresher_complete"

logger = logging.getLogger(__name__)


@dataclass
class RequireReport:
    """What one "require a refresher" did: new refreshers, ones already required, holders skipped."""

    created: list = field(default_factory=list)
    existing: int = 0
    skipped: list[str] = field(default_factory=list)  # the reason for each holder/course skipped


def _courses_of(certificate: Certificate, program_courses: dict[int, list[int]]) -> list[int]:
    if certificate.course_id:
        return [certificate.course_id]
    return program_courses.get(certificate.program_id, [])


@transaction.atomic
def refreshers_require(*, certificates, change, by) -> RequireReport:
    """Require a refresher of each certificate's holder for the modules `change` touched.

    Idempotent per officer, course and change; nothing is half-written (one transaction). The
    reminders are queued after commit, one per new refresher.
    """
    certificates = list(certificates)
    changed = courses_api.modules_changed_by(change=change)
    program_ids = {c.program_id for c in certificates if c.program_id}
    program_courses: dict[int, list[int]] = {}
    for program_id, course_id in (
        ProgramCourse.objects.filter(program_id__in=program_ids).order_by("sort_order").values_list("program_id", "course_id")
    ):
        program_courses.setdefault(program_id, []).append(course_id)
    courses = {course.pk: course for course in courses_api.courses_by_ids(set(changed))}
    report = RequireReport()
    seen = set()
    for certificate in certificates:
        for course_id in _courses_of(certificate, program_courses):
            if course_id not in changed or (certificate.holder_id, course_id) in seen:
                continue
            seen.add((certificate.holder_id, course_id))
            try:
                result = courses_services.refresher_require(
                    user=certificate.holder, course=courses[course_id], change=change, modules=changed[course_id], by=by
                )
            except courses_services.RefresherError as error:
                report.skipped.append(f"{certificate.holder_name}: {error.message}")
                continue
            if result.created:
                report.created.append(result.refresher)
                log(
                    instance=result.refresher,
                    action=REFRESHER_REQUIRED,
                    user=by,
                    data={
                        "holder": certificate.holder_name,
                        "course": courses[course_id].title,
                        "modules": ", ".join(module.title for module in changed[course_id]),
                        "change": str(change),
                    },
                )
            else:
                report.existing += 1
    ids = [refresher.pk for refresher in report.created]
    if ids:
        transaction.on_commit(lambda: _reminders_enqueue(ids))
    return report


def _reminders_enqueue(refresher_ids: list[int]) -> None:
    """Sending later is safe: each reminder goes once (reminded_at); the daily run sends what is left."""
    try:
        queueing.enqueue(tasks.send_refresher_reminders, refresher_ids=refresher_ids)
    except queueing.QueueUnavailable:
        logger.warning("Refresher reminders %s not queued; `manage.py send_expiry_reminders` sends them", refresher_ids)


def refresher_reminders_send(*, refresher_ids=None) -> int:
    """E-mail each officer whose refresher has no reminder yet; returns how many were sent.

    `reminded_at` is set by a conditional UPDATE before sending, so two workers never send the
    same reminder; a failed send clears it again to be retried by the next run.
    """
    refreshers = courses_api.refreshers_unreminded(refresher_ids=refresher_ids)
    sent = 0
    messages = []
    for refresher in refreshers:
        if not refresher.user.email:
            continue
        if not courses_services.refresher_mark_reminded(refresher=refresher):
            continue  # another worker took it
        messages.append((refresher, _message(refresher)))
    if not messages:
        return 0
    with get_connection() as connection:
        for refresher, message in messages:
            try:
                connection.send_messages([message])
            except Exception:
                logger.exception("Refresher reminder %s failed; retried next run", refresher.pk)
                courses_services.refresher_mark_reminded(refresher=refresher, undo=True)
                continue
            sent += 1
    return sent


def _message(refresher) -> EmailMessage:
    context = {
        "refresher": refresher,
        "name": holder_snapshot(refresher.user).name,
        "modules": list(refresher.modules.all()),
        "course_url": settings.PUBLIC_BASE_URL.rstrip("/") + refresher.course.url,
        "my_learning_url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("my_learning"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("certificates/email/refresher_reminder_subject.txt", context).strip()
        body = render_to_string("certificates/email/refresher_reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[refresher.user.email])


@transaction.atomic
def certificate_refresh(*, user, course, refresher) -> Certificate | None:
    """Renew the course certificate once the refresher is done: the certificate of the old
    content (issued before the refresher was required) is revoked as superseded and a new
    cycle issued. A certificate issued since (the officer renewed the whole course meanwhile)
    already certifies the new content and stays."""
    today = timezone.localdate()
    current = (
        Certificate.objects.valid(today)
        .filter(holder=user, course=course, created_at__lt=refresher.required_at)
        .order_by("-cycle")
        .first()
    )
    if current is None:
        log(instance=refresher, action=REFRESHER_COMPLETED, user=user, data={"change": str(refresher.change)})
        return None
    certificate_revoke(
        certificate=current,
        by=None,
        reason=RevocationReason.SUPERSEDED,
        note=f"Penyegaran selesai: {refresher.change}",
    )
    renewed = certificate_issue(user=user, subject=Subject.of(course), issued_on=today)
    log(
        instance=refresher,
        action=REFRESHER_COMPLETED,
        user=user,
        data={"superseded": current.serial, "serial": renewed.serial, "change": str(refresher.change)},
    )
    for program in programs_containing(course):
        program_complete_if_finished(user=user, program=program, today=today)
    return renewed


# --- The admin's list of refreshers (certificates.admin_views.refreshers) ------------------------


@dataclass
class RefresherRow:
    """One refresher as the admin lists it: the officer as HR knows them, and the certificate of
    that course they hold now (the renewed one once the refresher is completed), if any."""

    refresher: object
    name: str
    nip: str
    certificate: Certificate | None


def refresher_rows(refreshers) -> list[RefresherRow]:
    """Rows for a page of refreshers (from courses.api.refreshers_of_agencies): one more query for
    the certificates, however many rows."""
    refreshers = list(refreshers)
    latest: dict[tuple[int, int], Certificate] = {}
    if refreshers:
        certificates = (
            Certificate.objects.filter(
                holder_id__in={r.user_id for r in refreshers}, course_id__in={r.course_id for r in refreshers}
            )
            .only("pk", "holder_id", "course_id", "cycle", "serial", "code")
            .order_by("-cycle", "-pk")
        )
        for certificate in certificates:
            latest.setdefault((certificate.holder_id, certificate.course_id), certificate)
    rows = []
    for refresher in refreshers:
        profile = getattr(refresher.user, "officer_profile", None)
        rows.append(
            RefresherRow(
                refresher=refresher,
                name=profile.full_name if profile else (refresher.user.get_full_name() or refresher.user.get_username()),
                nip=profile.nip if profile else "",
                certificate=latest.get((refresher.user_id, refresher.course_id)),
            )
        )
    return rows
