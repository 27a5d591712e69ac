"""After a change in the law is recorded: reviews of the modules it touches, questions withheld
from new attempts until a trainer confirms them, and the quiz that is short of questions."""

import datetime

import pytest
import time_machine
from wagtail.models import PageLogEntry

from courses import selectors, services
from courses.models import ContentReview, QuestionHold, QuizAttempt
from courses.tests.legal_scene import make_scene, record_change, tagged
from lms import audit
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(catalog):
    return make_scene(catalog)


def drawn_ids(attempt):
    return {item["question"] for item in attempt.layout}


def start_fresh(user, module):
    """A new draw: the officer's earlier attempts are cleared first (they would use up the chances)."""
    QuizAttempt.objects.filter(user=user, module=module).delete()
    return services.quiz_attempt_start(user=user, module=module)


def enrolled(scene, module):
    officer = make_officer()
    services.enrollment_create(user=officer, course=scene.imi_course if module.course.pk == scene.imi_course.pk else scene.polri_course)
    return officer


def test_a_change_opens_a_review_of_each_module_it_touches_and_holds_exactly_the_tagged_questions(scene):
    change = record_change(scene)
    reviews = ContentReview.objects.filter(change=change)
    assert {review.module_id for review in reviews} == {scene.penalties.pk, scene.reading.pk, scene.polri_module.pk}
    assert all(review.is_open for review in reviews)
    assert {review.course_id for review in reviews} == {scene.imi_course.pk, scene.polri_course.pk}
    held = set(QuestionHold.objects.filter(change=change, released_at__isnull=True).values_list("question_id", flat=True))
    assert held == {q.pk for q in tagged(scene.penalties, scene.pasal2) + tagged(scene.polri_module, scene.pasal2)}
    # Opening again changes nothing (the signal may be sent once only, but the service is idempotent).
    services.legal_review_open(change, user=scene.reviewer)
    assert ContentReview.objects.filter(change=change).count() == 3
    assert QuestionHold.objects.filter(change=change).count() == 3
    logged = PageLogEntry.objects.filter(page=scene.penalties)
    assert logged.filter(action=audit.LEGAL_REVIEW_OPENED, user=scene.reviewer).count() == 1
    assert logged.filter(action=audit.QUESTION_WITHHELD).count() == 2
    assert "KUHP (UU 1/2023)" in logged.filter(action=audit.LEGAL_REVIEW_OPENED).get().message


def test_a_change_that_does_not_withhold_opens_reviews_only(scene):
    change = record_change(scene, withhold=False)
    assert ContentReview.objects.filter(change=change).count() == 3
    assert not QuestionHold.objects.exists()


def test_a_withheld_question_is_never_drawn_and_a_confirmed_one_is_drawn_again(scene):
    officer = enrolled(scene, scene.penalties)
    record_change(scene)
    held = tagged(scene.penalties, scene.pasal2)
    for _ in range(5):
        attempt = start_fresh(officer, scene.penalties)
        assert len(attempt.layout) == 2
        assert not drawn_ids(attempt) & {q.pk for q in held}
    hold = QuestionHold.objects.get(question=held[0])
    services.question_hold_release(hold=hold, comment="Soal menguji unsur, bukan ancaman pidana.", user=scene.imi_trainer)
    attempt = start_fresh(officer, scene.penalties)
    assert held[0].pk in drawn_ids(attempt)
    assert held[1].pk not in drawn_ids(attempt)
    entry = PageLogEntry.objects.get(page=scene.penalties, action=audit.QUESTION_CONFIRMED)
    assert entry.user == scene.imi_trainer and "bukan ancaman pidana" in entry.message


def test_an_attempt_in_progress_keeps_the_questions_it_drew(scene, client):
    officer = enrolled(scene, scene.penalties)
    attempt = services.quiz_attempt_start(user=officer, module=scene.penalties)
    assert len(attempt.layout) == 4
    record_change(scene)
    shown = selectors.attempt_questions(attempt)
    assert [q.pk for q, _choices in shown] == [item["question"] for item in attempt.layout]
    client.force_login(officer)
    page = client.get(scene.penalties.url + scene.penalties.reverse_subpage("quiz_attempt", args=[attempt.pk]))
    for question in tagged(scene.penalties, scene.pasal2):
        assert question.text in page.content.decode()
    # Starting again resumes the same attempt, with the same four questions.
    assert services.quiz_attempt_start(user=officer, module=scene.penalties).pk == attempt.pk
    answers = {q.pk: frozenset([choices[0].pk]) for q, choices in shown}
    graded = services.quiz_attempt_submit(user=officer, attempt_id=attempt.pk, answers=answers)
    assert graded.max_points == 4 and graded.passed


def test_a_quiz_short_of_questions_draws_what_is_left_and_scores_it_as_a_percentage(scene):
    scene.penalties.quiz_draw_count = 3
    scene.penalties.save_revision().publish()
    officer = enrolled(scene, scene.penalties)
    record_change(scene)
    supply = selectors.quiz_supply(scene.penalties)
    assert (supply.bank, supply.withheld, supply.needed, supply.drawn, supply.short) == (4, 2, 3, 2, True)
    attempt = services.quiz_attempt_start(user=officer, module=scene.penalties)
    shown = selectors.attempt_questions(attempt)
    assert len(shown) == 2
    answers = {q.pk: frozenset([choices[0].pk]) for q, choices in shown}
    graded = services.quiz_attempt_submit(user=officer, attempt_id=attempt.pk, answers=answers)
    assert (graded.score_points, graded.max_points, graded.score_percent, graded.passed) == (2, 2, 100, True)


def test_a_quiz_with_every_question_withheld_cannot_be_started_and_says_why(scene):
    officer = enrolled(scene, scene.polri_module)
    scene.tag(scene.polri_module, 2, scene.pasal2)
    record_change(scene)
    assert selectors.quiz_supply(scene.polri_module).unavailable
    with pytest.raises(services.QuizError) as refused:
        services.quiz_attempt_start(user=officer, module=scene.polri_module)
    assert "sedang ditinjau karena perubahan peraturan" in refused.value.message
    assert not QuizAttempt.objects.filter(module=scene.polri_module).exists()


def test_clearing_a_review_needs_a_comment_the_questions_confirmed_and_for_an_update_a_newer_revision(scene):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        record_change(scene)
    review = ContentReview.objects.get(module=scene.penalties)
    with pytest.raises(services.ReviewError, match="komentar"):
        services.content_review_clear(review=review, resolution="dikonfirmasi", comment="  ", user=scene.imi_trainer)
    with pytest.raises(services.ReviewError, match="2 soal modul ini masih ditahan"):
        services.content_review_clear(review=review, resolution="dikonfirmasi", comment="Sudah benar.", user=scene.imi_trainer)
    for hold in QuestionHold.objects.filter(question__page=scene.penalties):
        services.question_hold_release(hold=hold, comment="Tetap benar.", user=scene.imi_trainer)
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(services.ReviewError, match="Belum ada revisi"):
            services.content_review_clear(review=review, resolution="diperbarui", comment="Diubah.", user=scene.imi_trainer)
        scene.penalties.save_revision(user=scene.imi_trainer)
    with time_machine.travel(datetime.datetime(2026, 1, 7, 9, tzinfo=datetime.UTC), tick=False):
        cleared = services.content_review_clear(
            review=review, resolution="diperbarui", comment="Ancaman pidana diganti KUHP Pasal 457.", user=scene.imi_trainer
        )
    assert (cleared.status, cleared.resolution, cleared.cleared_by) == ("cleared", "diperbarui", scene.imi_trainer)
    with pytest.raises(services.ReviewError, match="sudah diselesaikan"):
        services.content_review_clear(review=review, resolution="dikonfirmasi", comment="Lagi.", user=scene.imi_trainer)
    entry = PageLogEntry.objects.get(page=scene.penalties, action=audit.LEGAL_REVIEW_CLEARED)
    assert "Diperbarui" in entry.message and "Pasal 457" in entry.message


def test_impact_lists_exactly_the_tagged_content(scene):
    impact = selectors.legal_impact_content([scene.pasal2.pk])
    assert [m.pk for m in impact.modules] == [scene.penalties.pk, scene.reading.pk, scene.polri_module.pk]
    [block] = impact.blocks  # the reading's citation of Pasal 2 ayat (1); not its citation of Pasal 48
    assert (block.module.pk, block.provision, block.mode) == (scene.reading.pk, scene.pasal2, "summary")
    assert block.block_id == scene.reading.body[1].id
    assert [c.pk for c in impact.courses] == [scene.imi_course.pk, scene.polri_course.pk]
    assert {q.pk for q in impact.questions} == {q.pk for q in tagged(scene.penalties, scene.pasal2) + tagged(scene.polri_module, scene.pasal2)}
    imi_only = impact.for_agencies([scene.imi_course.agency_id])
    assert [m.pk for m in imi_only.modules] == [scene.penalties.pk, scene.reading.pk]
    assert len(imi_only.questions) == 2


def test_a_random_draw_never_picks_a_withheld_question(scene):
    scene.penalties.quiz_draw_count = 1
    scene.penalties.quiz_question_order = "shuffled"
    scene.penalties.save_revision().publish()
    officer = enrolled(scene, scene.penalties)
    record_change(scene)
    held = {q.pk for q in tagged(scene.penalties, scene.pasal2)}
    drawn = set()
    for _ in range(30):
        drawn |= drawn_ids(start_fresh(officer, scene.penalties))
    assert not drawn & held
    assert len(drawn) == 2  # both questions left are drawn in turn: the draw is still random among them
