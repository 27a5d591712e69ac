"""An attempt is graded once and a module has one open attempt per officer, even when
requests race (double clicks, two tabs, a retrying proxy), and the database itself
refuses a second grading or a second open attempt."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses import policies, selectors, services
from courses.models import AttemptAnswer, ModulePage, ModuleProgress, QuizAttempt
from courses.models.progress import AttemptStatus
from courses.services import enrollment_create
from courses.tests.builders import (
    make_catalog,
    make_course,
    make_module,
    quiz_questions,
)
from lms.tests.concurrency import run_together
from lms.tests.factories import make_officer

THREADS = 8


def build_quiz():
    course = make_course(catalog=make_catalog())
    module = make_module(course=course, title="Kuis Serentak", questions=quiz_questions(4), quiz_max_attempts=0)
    officer = make_officer()
    enrollment_create(user=officer, course=course)
    return officer, module


def all_right(attempt):
    return {
        question.pk: frozenset(choice.pk for choice in choices if choice.is_correct)
        for question, choices in selectors.attempt_questions(attempt)
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestRacingRequests:
    def test_simultaneous_submissions_grade_the_attempt_once(self):
        officer, module = build_quiz()
        attempt = services.quiz_attempt_start(user=officer, module=module)
        answers = all_right(attempt)

        outcomes = run_together(
            THREADS, lambda: services.quiz_attempt_submit(user=officer, attempt_id=attempt.pk, answers=answers)
        )

        graded = [o for o in outcomes if isinstance(o, QuizAttempt)]
        refused = [o for o in outcomes if isinstance(o, services.AttemptAlreadyFinished)]
        assert len(graded) == 1, outcomes
        assert len(refused) == THREADS - 1, outcomes
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed, attempt.score_points) == (AttemptStatus.SUBMITTED, True, 4)
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4
        assert AttemptAnswer.selected_choices.through.objects.filter(attemptanswer__attempt=attempt).count() == 4
        progress = ModuleProgress.objects.get(user=officer, module=module)
        assert progress.completed_at is not None

    def test_grading_locks_the_attempt_only_not_the_module_everyone_is_taking(self):
        """While one officer's submission is being graded, another officer's submission to the
        same quiz, and an editor saving the module page, go ahead instead of queueing behind it."""
        officer, module = build_quiz()
        other = make_officer()
        enrollment_create(user=other, course=module.course)
        first = services.quiz_attempt_start(user=officer, module=module)
        second = services.quiz_attempt_start(user=other, module=module)
        grading, release = threading.Event(), threading.Event()

        def grade_first_and_hold_the_transaction():
            try:
                with transaction.atomic():
                    services.quiz_attempt_submit(user=officer, attempt_id=first.pk, answers={})
                    grading.set()
                    release.wait(timeout=30)
            finally:
                connection.close()

        thread = threading.Thread(target=grade_first_and_hold_the_transaction)
        thread.start()
        try:
            assert grading.wait(timeout=30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")  # a wait fails the test instead of hanging it
                graded = services.quiz_attempt_submit(user=other, attempt_id=second.pk, answers={})
                ModulePage.objects.filter(pk=module.pk).update(summary="Disunting saat kuis dinilai.")
        finally:
            release.set()
            thread.join(timeout=30)
        assert graded.status == AttemptStatus.SUBMITTED
        assert QuizAttempt.objects.get(pk=first.pk).status == AttemptStatus.SUBMITTED

    def test_simultaneous_starts_open_one_attempt(self):
        officer, module = build_quiz()

        outcomes = run_together(THREADS, lambda: services.quiz_attempt_start(user=officer, module=module).pk)

        assert all(isinstance(o, int) for o in outcomes), outcomes
        assert len(set(outcomes)) == 1
        attempts = QuizAttempt.objects.filter(user=officer, module=module)
        assert attempts.count() == 1
        assert attempts.get().status == AttemptStatus.IN_PROGRESS


@pytest.mark.django_db
class TestConstraints:
    """What the database refuses even if the service layer were bypassed."""

    def test_a_question_is_answered_once_per_attempt(self):
        officer, module = build_quiz()
        attempt = services.quiz_attempt_start(user=officer, module=module)
        question = module.questions.first()
        row = {"attempt": attempt, "question": question, "is_correct": False, "points_awarded": 0, "question_text": "x"}
        AttemptAnswer.objects.create(**row)

        with pytest.raises(IntegrityError), transaction.atomic():
            AttemptAnswer.objects.create(**{**row, "is_correct": True, "points_awarded": 1})
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1

    def test_one_open_attempt_per_officer_and_module(self):
        officer, module = build_quiz()
        first = services.quiz_attempt_start(user=officer, module=module)

        with pytest.raises(IntegrityError), transaction.atomic():
            QuizAttempt.objects.create(user=officer, module=module, number=2, pass_mark=70, layout=first.layout)
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1

    def test_a_finished_attempt_does_not_block_the_next(self):
        officer, module = build_quiz()
        first = services.quiz_attempt_start(user=officer, module=module)
        QuizAttempt.objects.filter(pk=first.pk).update(status=AttemptStatus.SUBMITTED, submitted_at=timezone.now())

        second = QuizAttempt.objects.create(user=officer, module=module, number=2, pass_mark=70, layout=first.layout)
        assert second.status == AttemptStatus.IN_PROGRESS

    def test_attempt_numbers_do_not_repeat(self):
        officer, module = build_quiz()
        first = services.quiz_attempt_start(user=officer, module=module)
        QuizAttempt.objects.filter(pk=first.pk).update(status=AttemptStatus.SUBMITTED, submitted_at=timezone.now())

        with pytest.raises(IntegrityError), transaction.atomic():
            QuizAttempt.objects.create(user=officer, module=module, number=1, pass_mark=70, layout=first.layout)

    def test_other_officers_each_have_their_own_open_attempt(self):
        officer, module = build_quiz()
        other = make_officer()
        enrollment_create(user=other, course=module.course)

        mine = services.quiz_attempt_start(user=officer, module=module)
        theirs = services.quiz_attempt_start(user=other, module=module)
        assert mine.pk != theirs.pk
        assert QuizAttempt.objects.filter(module=module, status=AttemptStatus.IN_PROGRESS).count() == 2


@pytest.mark.django_db
def test_a_start_that_loses_to_another_tab_which_already_submitted_gets_a_message_not_a_server_error(monkeypatch):
    """Tab A starts and submits while tab B's start is between counting and creating: B's
    number is taken and no attempt is open any more, so B is told to start again."""
    officer, module = build_quiz()
    real_draw = policies.draw_layout

    def draw_while_the_other_tab_starts_and_submits(questions, **kwargs):
        layout = real_draw(questions, **kwargs)
        with transaction.atomic():
            QuizAttempt.objects.create(
                user=officer, module=module, number=1, pass_mark=70, layout=layout,
                status=AttemptStatus.SUBMITTED, submitted_at=timezone.now(),
            )
        return layout

    monkeypatch.setattr(policies, "draw_layout", draw_while_the_other_tab_starts_and_submits)
    with pytest.raises(services.QuizError, match="dari tab lain"):
        services.quiz_attempt_start(user=officer, module=module)
