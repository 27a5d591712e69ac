"""Grading, as pure functions: no ORM, no request, easy to test exhaustively."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know about a question: its id, kind, points, correct choice ids."""

    id: int
    kind: str
    points: int
    correct: frozenset[int]


@dataclass(frozen=True)
class AnswerResult:
    question_id: int
    selected: frozenset[int]
    is_correct: bool
    points_awarded: int


@dataclass(frozen=True)
class ScoreResult:
    answers: tuple[AnswerResult, ...]
    score_points: int
    max_points: int
    percent: Decimal
    passed: bool


def is_answer_correct(key: QuestionKey, selected: frozenset[int]) -> bool:
    """Single choice and true/false: the one correct choice. Multiple choice: exactly
    the set of correct choices — all of them, and no wrong one. An empty answer is never correct."""
    return bool(selected) and selected == key.correct


def score_answers(keys: list[QuestionKey], answers: dict[int, frozenset[int]], *, pass_mark: int) -> ScoreResult:
    results = []
    for key in keys:
        selected = frozenset(answers.get(key.id, frozenset()))
        correct = is_answer_correct(key, selected)
        results.append(
            AnswerResult(question_id=key.id, selected=selected, is_correct=correct, points_awarded=key.points if correct else 0)
        )
    score = sum(result.points_awarded for result in results)
    maximum = sum(key.points for key in keys)
    percent = (Decimal(100 * score) / maximum).quantize(Decimal("0.01"), ROUND_HALF_UP) if maximum else Decimal("0.00")
    return ScoreResult(
        answers=tuple(results), score_points=score, max_points=maximum, percent=percent, passed=percent >= pass_mark
    )
