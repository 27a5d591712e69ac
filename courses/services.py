"""Writes of the learning domain: enrol, open and complete modules, complete courses.

Views, page `serve()` methods, commands and tasks all call these; none of them
writes progress rows directly.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrollment, ModulePage, ModuleProgress
from courses.signals import course_completed
from lms.errors import DomainError


class EnrollmentError(DomainError):
    pass


class ProgressError(DomainError):
    pass


@dataclass(frozen=True)
class ModuleAccess:
    allowed: bool
    message: str = ""
    enrollment: Enrollment | None = None


def enrollment_create(*, user, course: CoursePage) -> Enrollment:
    """Enrol `user` in `course`; enrolling twice returns the existing enrolment."""
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    if not course.live:
        raise EnrollmentError(_("Kursus ini belum diterbitkan."))
    completed = Enrollment.objects.filter(user=user, completed_at__isnull=False).values("course_id")
    missing = list(course.prerequisites.exclude(pk__in=completed).values_list("title", flat=True))
    if missing:
        raise EnrollmentError(
            _("Selesaikan dulu kursus prasyarat: %(courses)s.") % {"courses": ", ".join(missing)}
        )
    try:
        with transaction.atomic():
            return Enrollment.objects.create(user=user, course=course)
    except IntegrityError:
        # A double click raced us; the database kept exactly one.
        return Enrollment.objects.get(user=user, course=course)


def module_access(*, user, module: ModulePage, course: CoursePage, outline=None) -> ModuleAccess:
    """May `user` open `module` now? Modules open in order, for enrolled officers.

    `outline`: the officer's course outline (courses.selectors.course_outline_for_user), when the
    caller has it already; it holds the enrolment and every live module's state.
    """
    from courses.selectors import ModuleState, course_outline_for_user

    if outline is None:
        outline = course_outline_for_user(user=user, course=course)
    enrollment = outline.enrollment
    if enrollment is None:
        if module.permissions_for_user(user).can_edit():
            return ModuleAccess(allowed=True)
        return ModuleAccess(allowed=False, message=_("Daftar ke kursus ini terlebih dahulu untuk membuka modulnya."))
    earlier = [row for row in outline.rows if row.module.path < module.path]
    # A module new since the officer completed the course is optional: it holds nothing back.
    if any(row.state not in (ModuleState.COMPLETED, ModuleState.NEW) for row in earlier):
        return ModuleAccess(
            allowed=False,
            message=_("Selesaikan modul sebelumnya terlebih dahulu; modul dibuka secara berurutan."),
            enrollment=enrollment,
        )
    return ModuleAccess(allowed=True, enrollment=enrollment)


# How stale an enrolment's "last activity" may get before a page view records it again: HR
# reads it in days (stalled learners), and a write on every page view would cost every reader.
ACTIVITY_RESOLUTION = datetime.timedelta(minutes=10)


def module_open(*, user, module: ModulePage, outline=None) -> None:
    """Record that an enrolled officer opened a module (idempotent).

    With the officer's `outline` at hand, a module already opened costs no query, and the
    enrolment's last activity is written at most once per ACTIVITY_RESOLUTION; the outline's
    row is updated to what it now is.
    """
    from courses.selectors import ModuleState, course_outline_for_user

    course = module.course
    if outline is None:
        outline = course_outline_for_user(user=user, course=course)
    enrollment = outline.enrollment
    if enrollment is None:
        return
    row = next((row for row in outline.rows if row.module.pk == module.pk), None)
    # A NEW module (published after the course was completed) is optional: opening it records nothing.
    if row is None or row.state not in (ModuleState.IN_PROGRESS, ModuleState.COMPLETED, ModuleState.NEW):
        try:
            with transaction.atomic():
                ModuleProgress.objects.get_or_create(user=user, module=module, defaults={"course": course})
        except IntegrityError:
            pass  # a second tab opened it at the same moment; the row exists
        if row is not None and row.state == ModuleState.AVAILABLE:
            row.state = ModuleState.IN_PROGRESS
    now = timezone.now()
    if enrollment.last_activity_at is None or now - enrollment.last_activity_at >= ACTIVITY_RESOLUTION:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
        enrollment.last_activity_at = now


def module_has_quiz(module: ModulePage) -> bool:
    return module.questions.exists()


@transaction.atomic
def module_complete(*, user, module: ModulePage, by_quiz: bool = False) -> ModuleProgress:
    """Mark a module completed. A module with a quiz completes only by passing it."""
    if not by_quiz and module_has_quiz(module):
        raise ProgressError(_("Modul ini selesai setelah Anda lulus kuisnya."))
    course = module.course
    if not Enrollment.objects.filter(user=user, course=course).exists():
        raise ProgressError(_("Daftar ke kursus ini terlebih dahulu."))
    now = timezone.now()
    progress, _created = ModuleProgress.objects.get_or_create(user=user, module=module, defaults={"course": course})
    ModuleProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
    progress.refresh_from_db()
    course_complete_if_finished(user=user, course=course)
    return progress


@transaction.atomic
def course_complete_if_finished(*, user, course: CoursePage) -> bool:
    """Complete the enrolment when every live module is done; raise the event exactly once.

    The conditional UPDATE is the guard: of two concurrent calls only one turns
    `completed_at` from NULL to a date, and only that one sends the event.
    """
    module_ids = set(course.get_modules().values_list("pk", flat=True))
    if not module_ids:
        return False
    done = set(
        ModuleProgress.objects.filter(user=user, course=course, completed_at__isnull=False).values_list(
            "module_id", flat=True
        )
    )
    if not module_ids <= done:
        return False
    updated = Enrollment.objects.filter(user=user, course=course, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    if updated:
        enrollment = Enrollment.objects.get(user=user, course=course)
        transaction.on_commit(
            lambda: course_completed.send(sender=CoursePage, user=user, course=course, enrollment=enrollment)
        )
    return bool(updated)


@transaction.atomic
def enrollment_renew(*, user, course: CoursePage) -> Enrollment:
    """Open a completed course again for a new certificate cycle.

    Completion is cleared (the course and its modules are to be done again);
    quiz attempts stay as history, and only attempts started after `renewed_at`
    count for the new cycle. Completing again issues a new certificate.
    """
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None or enrollment.completed_at is None:
        raise EnrollmentError(_("Kursus ini belum selesai, jadi belum bisa dibuka kembali."))
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=None, renewed_at=now, last_activity_at=now)
    ModuleProgress.objects.filter(user=user, course=course).update(completed_at=None)
    enrollment.refresh_from_db()
    return enrollment


def next_module_for(*, user, course: CoursePage, after: ModulePage | None = None) -> ModulePage | None:
    """The first module (after `after`, if given) that the officer has not completed."""
    modules = course.get_modules()
    if after is not None:
        modules = modules.filter(path__gt=after.path)
    done = ModuleProgress.objects.filter(user=user, course=course, completed_at__isnull=False).values("module_id")
    return modules.exclude(pk__in=done).first()
