"""Writes of the learning domain: enrol, open and complete modules, complete courses, take quizzes.

Views, page `serve()` methods, commands and tasks all call these; none of them
writes progress rows directly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import policies, scoring, selectors
from courses.choices import QuestionOrder
from courses.models.progress import AttemptAnswer, AttemptStatus, Enrollment, ModuleProgress, QuizAttempt
from courses.models.quiz import Question
from courses.selectors import ModuleState, course_outline_for_user
from courses.signals import course_completed, course_completion_recorded
from lms.errors import DomainError

if TYPE_CHECKING:  # the pages import this module; it receives them as arguments
    from courses.models.pages import CoursePage, ModulePage


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
        course_completion_recorded.send(sender=type(course), user=user, course=course, enrollment=enrollment)
        transaction.on_commit(
            lambda: course_completed.send(sender=type(course), user=user, course=course, enrollment=enrollment)
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


# Taking a quiz: start an attempt, submit it once.
#
# The attempt row is the unit of concurrency. Submitting locks it, and only it
# (SELECT ... FOR UPDATE OF on PostgreSQL; SQLite's IMMEDIATE transactions serialise
# writers), flips it out of `in_progress` with a conditional UPDATE, and the
# answers' unique (attempt, question) constraint makes a second grading
# impossible even if both of those were bypassed.


class QuizError(DomainError):
    pass


class AttemptNotFound(QuizError):
    pass


class AttemptAlreadyFinished(QuizError):
    def __init__(self, attempt):
        super().__init__(_("Percobaan ini sudah dinilai; jawaban hanya dihitung sekali."))
        self.attempt = attempt


def _expire_if_overdue(attempt: QuizAttempt, now, shown=None) -> bool:
    if not policies.is_overdue(attempt, now):
        return False
    shown = selectors.attempt_questions(attempt) if shown is None else shown
    max_points = sum(question.points for question, _choices in shown)
    updated = QuizAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
        status=AttemptStatus.EXPIRED,
        submitted_at=now,
        passed=False,
        score_points=0,
        score_percent=0,
        max_points=max_points,
    )
    attempt.refresh_from_db()
    return bool(updated)


@transaction.atomic
def quiz_attempt_start(*, user, module: ModulePage, outline=None) -> QuizAttempt:
    """Start (or resume) the officer's attempt at a module's quiz.

    `outline`: the officer's course outline when the caller has it (the module page built
    it for its own access check); the access check here then reads it instead of the database.
    """
    if not module.live:
        raise QuizError(_("Kuis ini belum diterbitkan."))
    access = module_access(user=user, module=module, course=module.course, outline=outline)
    if not access.allowed or access.enrollment is None:
        raise QuizError(access.message or _("Daftar ke kursus ini terlebih dahulu."))
    now = timezone.now()
    since = access.enrollment.renewed_at
    attempts = QuizAttempt.objects.filter(user=user, module=module)
    # The officer's history is counted, not loaded (an unlimited quiz may have hundreds of
    # attempts). Only the open attempt, of which there is at most one, is locked: it may
    # have to expire here, and a submission of it in flight is waited for.
    open_attempt = attempts.select_for_update().filter(status=AttemptStatus.IN_PROGRESS).first()
    if open_attempt is not None:
        _expire_if_overdue(open_attempt, now)
        if open_attempt.status == AttemptStatus.IN_PROGRESS and (since is None or open_attempt.started_at >= since):
            return open_attempt
    in_cycle = Q(started_at__gte=since) if since is not None else Q()
    history = attempts.aggregate(
        last_number=Max("number"),
        used=Count("pk", filter=in_cycle),
        passed=Count("pk", filter=in_cycle & Q(passed=True)),
    )
    status = policies.attempt_status(
        max_attempts=module.quiz_max_attempts, used=history["used"], passed=history["passed"] > 0, open_attempt=None
    )
    if status.passed:
        raise QuizError(_("Anda sudah lulus kuis ini."))
    if status.attempts_left == 0:
        raise QuizError(_("Kesempatan mengerjakan kuis ini sudah habis."))
    # Through the module attribute: a test stands in for the draw to race another tab.
    layout = policies.draw_layout(
        selectors.quiz_question_bank(module),
        draw_count=module.quiz_draw_count,
        shuffled=module.quiz_question_order == QuestionOrder.SHUFFLED,
    )
    if not layout:
        raise QuizError(_("Kuis ini belum memiliki soal."))
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                user=user,
                module=module,
                number=(history["last_number"] or 0) + 1,
                layout=layout,
                pass_mark=module.quiz_pass_mark,
                max_points=0,
                deadline=now + timedelta(minutes=module.quiz_time_limit_minutes)
                if module.quiz_time_limit_minutes
                else None,
            )
    except IntegrityError:
        # Two tabs pressed "start" together: the database kept one attempt with this number.
        winner = QuizAttempt.objects.filter(user=user, module=module, status=AttemptStatus.IN_PROGRESS).first()
        if winner is None:  # ... and the other tab has already submitted it
            raise QuizError(_("Kuis ini baru saja dimulai dan dikirim dari tab lain. Silakan mulai lagi.")) from None
        return winner


@transaction.atomic
def quiz_attempt_submit(
    *,
    user,
    attempt_id: int,
    answers: dict[int, frozenset[int]],
    module: ModulePage | None = None,
    shown: list[tuple[Question, list]] | None = None,
) -> QuizAttempt:
    """Grade an attempt exactly once. `answers` maps question id → chosen choice ids.

    A caller that already has them passes the attempt's `module` (then only an attempt of
    that module is found) and `shown`, the `selectors.attempt_questions()` its form was validated
    against; both are loaded here otherwise. An attempt's layout never changes once
    drawn, so reading its questions again under the lock would read the same ones.
    """
    # OF self: only the attempt is locked. A bare FOR UPDATE with the module joined also
    # locks the page's rows, and every officer taking this quiz (and an editor publishing
    # it) would queue behind each grading until it commits.
    attempts = selectors.own_attempts(user, attempt_id).select_for_update(of=("self",))
    attempt = (attempts.select_related("module") if module is None else attempts).first()
    if attempt is None or (module is not None and attempt.module_id != module.pk):
        raise AttemptNotFound(_("Percobaan kuis tidak ditemukan."))
    if module is not None:
        attempt.module = module
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptAlreadyFinished(attempt)
    module = attempt.module
    if not module.live:
        raise QuizError(_("Kuis ini tidak lagi tersedia."))
    now = timezone.now()
    shown = selectors.attempt_questions(attempt) if shown is None else shown
    if _expire_if_overdue(attempt, now, shown):
        return attempt
    keys = [
        scoring.QuestionKey(
            id=question.pk,
            kind=question.kind,
            points=question.points,
            correct=frozenset(c.pk for c in choices if c.is_correct),
        )
        for question, choices in shown
    ]
    allowed = {question.pk: {c.pk for c in choices} for question, choices in shown}
    for question_id, selected in answers.items():
        if question_id not in allowed or not set(selected) <= allowed[question_id]:
            raise QuizError(_("Jawaban tidak sesuai dengan soal yang ditampilkan."))
    result = scoring.score_answers(keys, answers, pass_mark=attempt.pass_mark)
    graded = {
        "status": AttemptStatus.SUBMITTED,
        "submitted_at": now,
        "score_points": result.score_points,
        "max_points": result.max_points,
        "score_percent": result.percent,
        "passed": result.passed,
    }
    updated = QuizAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(**graded)
    if not updated:
        raise AttemptAlreadyFinished(attempt)
    # The attempt now holds exactly what was written: no need to read it back.
    for field, value in graded.items():
        setattr(attempt, field, value)
    by_id = {question.pk: question for question, _choices in shown}
    rows = AttemptAnswer.objects.bulk_create(
        [
            AttemptAnswer(
                attempt=attempt,
                question_id=answer.question_id,
                is_correct=answer.is_correct,
                points_awarded=answer.points_awarded,
                question_text=by_id[answer.question_id].text,
                legal_basis_id=by_id[answer.question_id].legal_basis_id,
                provision=by_id[answer.question_id].provision,
            )
            for answer in result.answers
        ]
    )
    Through = AttemptAnswer.selected_choices.through
    Through.objects.bulk_create(
        [
            Through(attemptanswer_id=row.pk, choice_id=choice_id)
            for row, answer in zip(rows, result.answers, strict=True)
            for choice_id in answer.selected
        ]
    )
    if result.passed:
        module_complete(user=user, module=module, by_quiz=True)
    return attempt
