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
from django.utils.translation import gettext_lazy, ngettext

from courses import policies, scoring, selectors
from courses.choices import QuestionOrder
from courses.models.progress import AttemptAnswer, AttemptStatus, Enrollment, ModuleProgress, QuizAttempt, Refresher
from courses.models.quiz import Question
from courses.models.review import ContentReview, QuestionHold
from courses.selectors import ModuleState, course_outline_for_user
from courses.signals import course_completed, refresher_completed
from lms import audit
from lms.cache import CONTENT
from lms.cache_invalidation import invalidate_now_and_on_commit
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
    if any(row.state not in (ModuleState.COMPLETED, ModuleState.NEW, ModuleState.REFRESH) for row in earlier):
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
    if row is None or row.state not in (
        ModuleState.IN_PROGRESS, ModuleState.COMPLETED, ModuleState.NEW, ModuleState.REFRESH
    ):
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
    # One query says both: enrolled at all, and whether a refresher is open (Enrollment.refresher_due_since).
    enrollment = list(Enrollment.objects.filter(user=user, course=course).values_list("refresher_due_since", flat=True))
    if not enrollment:
        raise ProgressError(_("Daftar ke kursus ini terlebih dahulu."))
    now = timezone.now()
    progress, _created = ModuleProgress.objects.get_or_create(user=user, module=module, defaults={"course": course})
    ModuleProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
    progress.refresh_from_db()
    course_complete_if_finished(user=user, course=course)
    if enrollment[0] is not None:
        refreshers_complete_if_finished(user=user, course=course)
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


class RefresherError(DomainError):
    pass


@dataclass(frozen=True)
class RefresherResult:
    refresher: Refresher
    created: bool


@transaction.atomic
def refresher_require(*, user, course: CoursePage, change, modules: list[ModulePage], by) -> RefresherResult:
    """Ask `user` to do again only `modules` of `course` because of `change` (a lms.LegalChange).

    Idempotent: a second call for the same officer, course and change returns the refresher
    made first (`created=False`) and changes nothing. The modules' completion is cleared and
    quiz attempts start a new cycle (as a renewal does); the course itself stays completed, so
    the unchanged modules are not asked for again.
    """
    modules = [module for module in modules if module.pk]
    if not modules:
        raise RefresherError(_("Tidak ada modul yang terdampak perubahan ini di kursus tersebut."))
    existing = Refresher.objects.filter(user=user, course=course, change=change).first()
    if existing is not None:
        return RefresherResult(existing, created=False)
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None:
        raise RefresherError(_("Petugas ini tidak terdaftar di kursus tersebut, jadi penyegaran tidak dapat diminta."))
    try:
        with transaction.atomic():
            refresher = Refresher.objects.create(user=user, course=course, change=change, required_by=by)
    except IntegrityError:
        # Two HR users pressed at once: the database kept one.
        return RefresherResult(Refresher.objects.get(user=user, course=course, change=change), created=False)
    refresher.modules.set(modules)
    now = timezone.now()
    module_ids = [module.pk for module in modules]
    ModuleProgress.objects.filter(user=user, module_id__in=module_ids).update(completed_at=None)
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(user=user, module_id=pk, course=course) for pk in module_ids], ignore_conflicts=True
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        renewed_at=now, refresher_due_since=enrollment.refresher_due_since or now
    )
    return RefresherResult(refresher, created=True)


@transaction.atomic
def refreshers_complete_if_finished(*, user, course: CoursePage) -> list[Refresher]:
    """Complete the officer's open refreshers in `course` whose modules are all done again.

    The conditional UPDATE is the guard: only the call that turns `completed_at` from NULL
    sends `refresher_completed` (after commit), so the renewed certificate is issued once.
    """
    open_refreshers = list(
        Refresher.objects.filter(user=user, course=course, completed_at__isnull=True).prefetch_related("modules")
    )
    if not open_refreshers:
        return []
    done = set(
        ModuleProgress.objects.filter(user=user, course=course, completed_at__isnull=False).values_list(
            "module_id", flat=True
        )
    )
    now = timezone.now()
    completed = []
    for refresher in open_refreshers:
        if {module.pk for module in refresher.modules.all()} <= done and Refresher.objects.filter(
            pk=refresher.pk, completed_at__isnull=True
        ).update(completed_at=now):
            refresher.completed_at = now
            completed.append(refresher)
    if len(completed) == len(open_refreshers):
        Enrollment.objects.filter(user=user, course=course).update(refresher_due_since=None)
    for refresher in completed:
        transaction.on_commit(
            lambda refresher=refresher: refresher_completed.send(
                sender=Refresher, user=user, course=course, refresher=refresher
            )
        )
    return completed


def refresher_mark_reminded(*, refresher: Refresher, undo: bool = False) -> bool:
    """Claim (or, after a failed send, release) the refresher's one reminder; True if this call did."""
    if undo:
        return bool(Refresher.objects.filter(pk=refresher.pk).update(reminded_at=None))
    return bool(
        Refresher.objects.filter(pk=refresher.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
    )


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


QUIZ_UNDER_REVIEW = gettext_lazy(
    "Semua soal kuis ini sedang ditinjau karena perubahan peraturan, jadi kuis belum dapat dikerjakan. "
    "Silakan kembali setelah pelatih mengonfirmasi soalnya."
)


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
        if selectors.withheld(module.questions.all()).exists():
            raise QuizError(QUIZ_UNDER_REVIEW)
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
                provision=by_id[answer.question_id].provision_note,
            )
            for answer in result.answers
        ]
    )
    # The provisions each question tested (prefetched by attempt_questions), copied like its text:
    # item analysis survives later edits.
    AnswerProvision = AttemptAnswer.provisions.through
    tags = [
        AnswerProvision(attemptanswer_id=row.pk, legalprovision_id=provision.pk)
        for row, answer in zip(rows, result.answers, strict=True)
        for provision in by_id[answer.question_id].provisions.all()
    ]
    if tags:
        AnswerProvision.objects.bulk_create(tags)
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


# When the law changes: a recorded change (lms.legal.legal_change_apply) opens reviews of the
# modules it touches and holds their tagged questions; trainers close them with a comment.
# Every step is in the audit log, on the module's page history.


class ReviewError(DomainError):
    pass


def _review_data(review_or_hold, **extra) -> dict:
    change = review_or_hold.change
    return {"change": str(change), "change_id": change.pk, **extra}


@transaction.atomic
def legal_review_open(change, *, user) -> list[ContentReview]:
    """Open a review of every module whose lesson cites, or whose questions are tagged with, a
    provision `change` touches, and hold those questions when the change says so (idempotent).

    Called from `lms.signals.legal_change_applied` (courses.receivers), inside the transaction
    that applies the change: either both are written, or neither.
    """
    provision_ids = list(change.items.values_list("provision_id", flat=True))
    impact = selectors.legal_impact_content(provision_ids)
    existing = set(ContentReview.objects.filter(change=change).values_list("module_id", flat=True))
    opened = ContentReview.objects.bulk_create(
        [
            ContentReview(module=module, course=impact.course_of(module), change=change)
            for module in impact.modules
            if module.pk not in existing
        ]
    )
    for review in opened:
        audit.record(review.module, audit.LEGAL_REVIEW_OPENED, user=user, data=_review_data(review, module=review.module.title))
    if change.withhold_questions:
        held = set(QuestionHold.objects.filter(change=change).values_list("question_id", flat=True))
        holds = QuestionHold.objects.bulk_create(
            [QuestionHold(question=question, change=change) for question in impact.questions if question.pk not in held]
        )
        for hold in holds:
            audit.record(
                hold.question.page, audit.QUESTION_WITHHELD, user=user,
                data=_review_data(hold, question=hold.question.text[:120], question_id=hold.question_id),
            )
    invalidate_now_and_on_commit(CONTENT)  # officers' notices (selectors.legal_review_notices)
    return opened


def _required_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_("Tulis komentar: apa yang Anda periksa dan apa hasilnya."))
    return comment


@transaction.atomic
def content_review_clear(*, review: ContentReview, resolution: str, comment: str, user) -> ContentReview:
    """Close a module's review as confirmed ("Dikonfirmasi": still right as it is) or updated
    ("Diperbarui": a newer revision of the module exists since the review opened), with a comment.

    Refused while a question the change holds in this module is not confirmed yet: the review
    is the module as a whole, questions included.
    """
    comment = _required_comment(comment)
    if resolution not in ContentReview.Resolution.values:
        raise ReviewError(_("Pilih hasil tinjauan: dikonfirmasi atau diperbarui."))
    review = ContentReview.objects.select_for_update(of=("self",)).select_related("module", "change__instrument").get(pk=review.pk)
    if not review.is_open:
        raise ReviewError(_("Tinjauan ini sudah diselesaikan."))
    held = selectors.withheld(Question.objects.filter(page_id=review.module_id, holds__change_id=review.change_id)).count()
    if held:
        raise ReviewError(
            ngettext(
                "%(count)d soal modul ini masih ditahan karena perubahan ini. Konfirmasi soal itu terlebih dahulu.",
                "%(count)d soal modul ini masih ditahan karena perubahan ini. Konfirmasi soal-soal itu terlebih dahulu.",
                held,
            )
            % {"count": held}
        )
    if resolution == ContentReview.Resolution.UPDATED and not review.module.revisions.filter(
        created_at__gt=review.opened_at
    ).exists():
        raise ReviewError(
            _(
                "Belum ada revisi modul ini sejak tinjauan dibuka. Perbarui materinya terlebih dahulu, "
                "atau pilih “Dikonfirmasi” bila materinya sudah sesuai."
            )
        )
    now = timezone.now()
    ContentReview.objects.filter(pk=review.pk).update(
        status=ContentReview.Status.CLEARED, resolution=resolution, comment=comment, cleared_by=user, cleared_at=now
    )
    review.refresh_from_db()
    audit.record(
        review.module, audit.LEGAL_REVIEW_CLEARED, user=user,
        data=_review_data(
            review, module=review.module.title, resolution=str(review.get_resolution_display()), comment=comment
        ),
    )
    invalidate_now_and_on_commit(CONTENT)
    return review


@transaction.atomic
def question_hold_release(*, hold: QuestionHold, comment: str, user) -> QuestionHold:
    """A trainer confirms a withheld question ("Konfirmasi soal"): new attempts draw it again."""
    comment = _required_comment(comment)
    hold = QuestionHold.objects.select_for_update(of=("self",)).select_related("question__page", "change__instrument").get(pk=hold.pk)
    if not hold.is_active:
        raise ReviewError(_("Soal ini sudah dikonfirmasi."))
    now = timezone.now()
    QuestionHold.objects.filter(pk=hold.pk).update(released_at=now, released_by=user, comment=comment)
    hold.refresh_from_db()
    audit.record(
        hold.question.page, audit.QUESTION_CONFIRMED, user=user,
        data=_review_data(hold, question=hold.question.text[:120], question_id=hold.question_id, comment=comment),
    )
    invalidate_now_and_on_commit(CONTENT)
    return hold
