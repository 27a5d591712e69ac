"""Taking a quiz: start an attempt, submit it once, decide what the review shows.

The attempt row is the unit of concurrency. Submitting locks it, and only it
(SELECT ... FOR UPDATE OF on PostgreSQL; SQLite's IMMEDIATE transactions serialise
writers), flips it out of `in_progress` with a conditional UPDATE, and the
answers' unique (attempt, question) constraint makes a second grading
impossible even if both of those were bypassed.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import scoring
from courses.models import AttemptAnswer, Choice, ModulePage, Question, QuizAttempt
from courses.models.pages import QuestionOrder, ReviewPolicy
from courses.models.progress import AttemptStatus
from courses.services import module_access, module_complete
from lms.errors import DomainError

_rng = random.SystemRandom()


class QuizError(DomainError):
    pass


class AttemptNotFound(QuizError):
    pass


class AttemptAlreadyFinished(QuizError):
    def __init__(self, attempt):
        super().__init__(_("Percobaan ini sudah dinilai; jawaban hanya dihitung sekali."))
        self.attempt = attempt


def deadline_grace() -> timedelta:
    return timedelta(seconds=getattr(settings, "QUIZ_DEADLINE_GRACE_SECONDS", 30))


def is_overdue(attempt: QuizAttempt, now=None) -> bool:
    """An open attempt past its deadline and the grace period: it can only expire now."""
    if attempt.status != AttemptStatus.IN_PROGRESS or not attempt.deadline:
        return False
    return (now or timezone.now()) > attempt.deadline + deadline_grace()


@dataclass(frozen=True)
class QuizStatus:
    attempts_used: int
    attempts_left: int | None  # None = unlimited
    passed: bool
    open_attempt: QuizAttempt | None

    @property
    def can_start(self) -> bool:
        return not self.passed and self.open_attempt is None and self.attempts_left != 0


def quiz_status(*, user, module: ModulePage, attempts: list[QuizAttempt], since=None) -> QuizStatus:
    """`since`: the start of the enrolment's current cycle (renewal); earlier attempts are history."""
    if since is not None:
        attempts = [attempt for attempt in attempts if attempt.started_at >= since]
    now = timezone.now()
    # An attempt past its deadline is not offered again; starting or submitting expires it.
    open_attempt = next(
        (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS and not is_overdue(a, now)), None
    )
    return _status(module, used=len(attempts), passed=any(a.passed for a in attempts), open_attempt=open_attempt)


def _status(module: ModulePage, *, used: int, passed: bool, open_attempt: QuizAttempt | None) -> QuizStatus:
    left = max(module.quiz_max_attempts - used, 0) if module.quiz_max_attempts else None
    return QuizStatus(attempts_used=used, attempts_left=left, passed=passed, open_attempt=open_attempt)


def draw_layout(module: ModulePage, *, rng=None) -> list[dict]:
    """Choose and order the questions (and their choices) one attempt will show."""
    rng = rng or _rng
    questions = list(module.questions.prefetch_related("choices").order_by("sort_order", "pk"))
    if module.quiz_draw_count and module.quiz_draw_count < len(questions):
        questions = rng.sample(questions, module.quiz_draw_count)
        questions.sort(key=lambda q: (q.sort_order or 0, q.pk))
    shuffled = module.quiz_question_order == QuestionOrder.SHUFFLED
    if shuffled:
        rng.shuffle(questions)
    layout = []
    for question in questions:
        choices = sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))
        if shuffled:
            rng.shuffle(choices)
        layout.append({"question": question.pk, "choices": [choice.pk for choice in choices]})
    return layout


def _expire_if_overdue(attempt: QuizAttempt, now, shown=None) -> bool:
    if not is_overdue(attempt, now):
        return False
    shown = attempt_questions(attempt) if shown is None else shown
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
    status = _status(module, used=history["used"], passed=history["passed"] > 0, open_attempt=None)
    if status.passed:
        raise QuizError(_("Anda sudah lulus kuis ini."))
    if status.attempts_left == 0:
        raise QuizError(_("Kesempatan mengerjakan kuis ini sudah habis."))
    layout = draw_layout(module)
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


def attempt_questions(attempt: QuizAttempt) -> list[tuple[Question, list]]:
    """The attempt's questions and choices in the order they were shown (two queries).

    Questions or choices a trainer deleted since are left out, never re-drawn.
    """
    # By id, straight from the layout: the layout already says which choices and in what order.
    question_ids = [item["question"] for item in attempt.layout]
    choice_ids = [choice for item in attempt.layout for choice in item["choices"]]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids).select_related("legal_basis")}
    choices = {c.pk: c for c in Choice.objects.filter(pk__in=choice_ids)}
    result = []
    for item in attempt.layout:
        question = questions.get(item["question"])
        if question is None:
            continue
        shown = [choices[c] for c in item["choices"] if c in choices and choices[c].question_id == question.pk]
        result.append((question, shown))
    return result


def _own_attempts(user, attempt_id: int):
    """The officer's attempt by primary key. The module is checked on the row, not in the
    query: with both officer and module in the WHERE clause PostgreSQL prefers the
    (user, module, number) index and walks the officer's whole history at that module."""
    return QuizAttempt.objects.filter(pk=attempt_id, user=user)


def get_attempt_for_user(*, user, attempt_id: int, module: ModulePage) -> QuizAttempt:
    attempt = _own_attempts(user, attempt_id).first()
    if attempt is None or attempt.module_id != module.pk:
        raise AttemptNotFound(_("Percobaan kuis tidak ditemukan."))
    return attempt


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
    that module is found) and `shown`, the `attempt_questions()` its form was validated
    against; both are loaded here otherwise. An attempt's layout never changes once
    drawn, so reading its questions again under the lock would read the same ones.
    """
    # OF self: only the attempt is locked. A bare FOR UPDATE with the module joined also
    # locks the page's rows, and every officer taking this quiz (and an editor publishing
    # it) would queue behind each grading until it commits.
    attempts = _own_attempts(user, attempt_id).select_for_update(of=("self",))
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
    shown = attempt_questions(attempt) if shown is None else shown
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


def quiz_status_counted(*, user, module: ModulePage, since=None) -> QuizStatus:
    """The officer's standing at a module's quiz, counted by the database instead of loading the history.

    One aggregate query, however many attempts there are; a second one loads the open attempt
    only when there is one (at most one per officer and module). `since`: as for `quiz_status`.
    """
    attempts = QuizAttempt.objects.filter(user=user, module=module)
    in_cycle = Q(started_at__gte=since) if since is not None else Q()
    counts = attempts.aggregate(
        used=Count("pk", filter=in_cycle),
        passed=Count("pk", filter=in_cycle & Q(passed=True)),
        open=Count("pk", filter=in_cycle & Q(status=AttemptStatus.IN_PROGRESS)),
    )
    open_attempt = None
    if counts["open"]:
        open_attempt = attempts.filter(in_cycle, status=AttemptStatus.IN_PROGRESS).first()
        if open_attempt is not None and is_overdue(open_attempt):
            open_attempt = None
    return _status(module, used=counts["used"], passed=counts["passed"] > 0, open_attempt=open_attempt)


@dataclass(frozen=True)
class ReviewVisibility:
    """What the review of a graded attempt may show the officer.

    Everything that tells a right answer (a question marked right or wrong, an explanation,
    the right choices marked) waits until the quiz is decided for the officer: passed, or
    no attempt left and none open. Shown earlier, failing on purpose and reading the review
    would pass the next attempt. Only a quiz whose trainer chose "always" shows it at once.
    """

    feedback: bool  # per question: right or wrong, and its explanation
    correct_choices: bool  # the right choices marked
    decided: bool  # the officer has passed, or has no attempt left

    @property
    def withheld(self) -> bool:
        """Something is held back now that the officer will see once the quiz is decided."""
        return not self.decided and not self.feedback


def review_visibility(*, module: ModulePage, status: QuizStatus) -> ReviewVisibility:
    decided = status.passed or (status.attempts_left == 0 and status.open_attempt is None)
    policy = module.quiz_review_policy
    if policy == ReviewPolicy.ALWAYS:
        return ReviewVisibility(feedback=True, correct_choices=True, decided=decided)
    if policy == ReviewPolicy.AFTER_PASS_OR_LAST:
        return ReviewVisibility(feedback=decided, correct_choices=decided, decided=decided)
    # RESULT_ONLY: right or wrong and the explanations once decided; the right choices never.
    return ReviewVisibility(feedback=decided, correct_choices=False, decided=decided)
