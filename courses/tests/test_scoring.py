"""Grading as pure functions: which answers count as correct, and how points become a pass."""

from decimal import Decimal

import pytest

from courses.models.quiz import QuestionKind
from courses.scoring import QuestionKey, is_answer_correct, score_answers


def key(question_id, correct, *, kind=QuestionKind.SINGLE, points=1):
    return QuestionKey(id=question_id, kind=kind, points=points, correct=frozenset(correct))


def picks(*choice_ids):
    return frozenset(choice_ids)


class TestIsAnswerCorrect:
    @pytest.mark.parametrize("kind", [QuestionKind.SINGLE, QuestionKind.TRUE_FALSE])
    def test_single_answer_kinds_accept_only_the_correct_choice(self, kind):
        question = key(1, {11}, kind=kind)
        assert is_answer_correct(question, picks(11))
        assert not is_answer_correct(question, picks(12))
        assert not is_answer_correct(question, picks(11, 12)), "ticking the right and a wrong choice is not correct"
        assert not is_answer_correct(question, picks())

    def test_multiple_choice_needs_all_correct_and_no_wrong_choice(self):
        question = key(1, {11, 12}, kind=QuestionKind.MULTIPLE)
        assert is_answer_correct(question, picks(11, 12))
        assert is_answer_correct(question, picks(12, 11))

    @pytest.mark.parametrize(
        "selected",
        [picks(11), picks(12), picks(11, 12, 13), picks(11, 13), picks(13), picks()],
        ids=["partial-a", "partial-b", "superset", "one-right-one-wrong", "only-wrong", "empty"],
    )
    def test_multiple_choice_partial_superset_or_empty_is_wrong(self, selected):
        assert not is_answer_correct(key(1, {11, 12}, kind=QuestionKind.MULTIPLE), selected)

    def test_question_without_a_correct_choice_is_never_answered_correctly(self):
        question = key(1, set())
        assert not is_answer_correct(question, picks())
        assert not is_answer_correct(question, picks(11))


class TestScoreAnswers:
    def test_per_question_results_follow_the_keys(self):
        keys = [key(1, {11}), key(2, {21, 22}, kind=QuestionKind.MULTIPLE), key(3, {31})]
        result = score_answers(keys, {1: picks(11), 2: picks(21), 3: picks(31)}, pass_mark=50)
        assert [(a.question_id, a.is_correct, a.points_awarded) for a in result.answers] == [
            (1, True, 1),
            (2, False, 0),
            (3, True, 1),
        ]
        assert result.answers[1].selected == picks(21)
        assert (result.score_points, result.max_points, result.percent, result.passed) == (2, 3, Decimal("66.67"), True)

    def test_unanswered_question_counts_as_wrong_with_an_empty_selection(self):
        result = score_answers([key(1, {11}), key(2, {21})], {1: picks(11)}, pass_mark=70)
        missing = result.answers[1]
        assert (missing.question_id, missing.selected, missing.is_correct) == (2, picks(), False)
        assert (result.score_points, result.percent, result.passed) == (1, Decimal("50.00"), False)

    def test_answers_to_questions_not_in_the_quiz_are_ignored(self):
        result = score_answers([key(1, {11})], {1: picks(12), 99: picks(991)}, pass_mark=0)
        assert [a.question_id for a in result.answers] == [1]
        assert (result.score_points, result.max_points) == (0, 1)

    def test_points_weight_the_score(self):
        keys = [key(1, {11}, points=3), key(2, {21}, points=1)]
        heavy_right = score_answers(keys, {1: picks(11), 2: picks(22)}, pass_mark=70)
        light_right = score_answers(keys, {1: picks(12), 2: picks(21)}, pass_mark=70)
        assert (heavy_right.score_points, heavy_right.max_points, heavy_right.percent) == (3, 4, Decimal("75.00"))
        assert heavy_right.passed
        assert (light_right.score_points, light_right.percent, light_right.passed) == (1, Decimal("25.00"), False)
        assert [a.points_awarded for a in heavy_right.answers] == [3, 0]

    @pytest.mark.parametrize(
        ("right", "total", "percent"),
        [(1, 3, "33.33"), (2, 3, "66.67"), (1, 6, "16.67"), (5, 6, "83.33"), (3, 3, "100.00"), (0, 3, "0.00")],
    )
    def test_percent_has_two_decimals(self, right, total, percent):
        keys = [key(n, {n * 10}) for n in range(1, total + 1)]
        answers = {n: picks(n * 10) for n in range(1, right + 1)}
        assert score_answers(keys, answers, pass_mark=0).percent == Decimal(percent)

    def test_percent_rounds_half_up(self):
        # 1 of 800 points is exactly 0.125 %: half-up gives 0.13 (banker's rounding would give 0.12).
        keys = [key(1, {11}, points=1), key(2, {21}, points=799)]
        assert score_answers(keys, {1: picks(11)}, pass_mark=0).percent == Decimal("0.13")

    @pytest.mark.parametrize(
        ("right", "pass_mark", "passed"),
        [(7, 70, True), (6, 70, False), (8, 70, True), (10, 100, True), (9, 100, False), (0, 0, True), (0, 1, False)],
    )
    def test_pass_mark_is_a_minimum_and_reaching_it_exactly_passes(self, right, pass_mark, passed):
        keys = [key(n, {n * 10}) for n in range(1, 11)]
        answers = {n: picks(n * 10) for n in range(1, right + 1)}
        assert score_answers(keys, answers, pass_mark=pass_mark).passed is passed

    def test_rounded_percent_just_below_the_pass_mark_fails(self):
        keys = [key(n, {n * 10}) for n in range(1, 4)]
        result = score_answers(keys, {1: picks(10), 2: picks(20)}, pass_mark=67)
        assert result.percent == Decimal("66.67")
        assert not result.passed

    def test_zero_questions_scores_zero_and_does_not_pass(self):
        result = score_answers([], {1: picks(11)}, pass_mark=70)
        assert result.answers == ()
        assert (result.score_points, result.max_points, result.percent, result.passed) == (0, 0, Decimal("0.00"), False)
