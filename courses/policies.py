"""The quiz's rules, as pure functions: no query, no write.

When an open attempt is past its deadline, how many attempts are left, which
questions (and in which order) an attempt draws, and what the review of a graded
attempt may show. `courses.selectors` and `courses.services` apply them to rows;
beside `courses.scoring` (how an attempt is marked), they are the quiz's policy.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from courses.choices import ReviewPolicy
from courses.models.progress import AttemptStatus, QuizAttempt

_rng = random.SystemRandom()


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


def attempt_status(*, max_attempts: int, used: int, passed: bool, open_attempt: QuizAttempt | None) -> QuizStatus:
    """The officer's standing from counts: `max_attempts` 0 = unlimited."""
    left = max(max_attempts - used, 0) if max_attempts else None
    return QuizStatus(attempts_used=used, attempts_left=left, passed=passed, open_attempt=open_attempt)


def quiz_status(*, max_attempts: int, attempts: list[QuizAttempt], since=None, now=None) -> QuizStatus:
    """The standing from the officer's attempts at hand.

    `since`: the start of the enrolment's current cycle (renewal); earlier attempts are history.
    """
    if since is not None:
        attempts = [attempt for attempt in attempts if attempt.started_at >= since]
    now = now or timezone.now()
    # An attempt past its deadline is not offered again; starting or submitting expires it.
    open_attempt = next(
        (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS and not is_overdue(a, now)), None
    )
    return attempt_status(
        max_attempts=max_attempts, used=len(attempts), passed=any(a.passed for a in attempts), open_attempt=open_attempt
    )


def draw_layout(questions, *, draw_count: int, shuffled: bool, rng=None) -> list[dict]:
    """Choose and order the questions (and their choices) one attempt will show.

    `questions`: the quiz's bank as [(question, [choices])] in the author's order
    (`courses.selectors.quiz_question_bank`); `draw_count` 0 = every question.
    """
    rng = rng or _rng
    questions = list(questions)
    if draw_count and draw_count < len(questions):
        questions = rng.sample(questions, draw_count)
        questions.sort(key=lambda item: (item[0].sort_order or 0, item[0].pk))
    if shuffled:
        rng.shuffle(questions)
    layout = []
    for question, choices in questions:
        choices = sorted(choices, key=lambda c: (c.sort_order or 0, c.pk))
        if shuffled:
            rng.shuffle(choices)
        layout.append({"question": question.pk, "choices": [choice.pk for choice in choices]})
    return layout


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


def review_visibility(*, policy: str, status: QuizStatus) -> ReviewVisibility:
    """What a review may show under the quiz's `policy` (ReviewPolicy), given the officer's standing."""
    decided = status.passed or (status.attempts_left == 0 and status.open_attempt is None)
    if policy == ReviewPolicy.ALWAYS:
        return ReviewVisibility(feedback=True, correct_choices=True, decided=decided)
    if policy == ReviewPolicy.AFTER_PASS_OR_LAST:
        return ReviewVisibility(feedback=decided, correct_choices=decided, decided=decided)
    # RESULT_ONLY: right or wrong and the explanations once decided; the right choices never.
    return ReviewVisibility(feedback=decided, correct_choices=False, decided=decided)


@dataclass(frozen=True)
class QuizSupply:
    """How many questions a quiz can draw while some are withheld for a legal review.

    `bank`: the quiz's questions; `withheld`: those held until a trainer confirms them
    (courses.QuestionHold); `draw_count`: the quiz's draw size, 0 = every question.

    The rule for officers (README "When the law changes"): a quiz draws only questions
    not withheld. With fewer left than it needs it draws what is left and marks the attempt
    as a percentage of what was drawn (the pass mark stays the same percentage), and the
    officer is told the quiz is shorter for now; with none left the quiz cannot be started
    and the officer is told why. Trainers see the shortfall on the review list and the
    module's edit page, so it is never silent.
    """

    bank: int
    withheld: int
    draw_count: int = 0

    @property
    def available(self) -> int:
        return max(self.bank - self.withheld, 0)

    @property
    def needed(self) -> int:
        """What an attempt draws when nothing is withheld."""
        return min(self.draw_count, self.bank) if self.draw_count else self.bank

    @property
    def drawn(self) -> int:
        """What an attempt draws now."""
        return min(self.needed, self.available)

    @property
    def short(self) -> bool:
        return self.drawn < self.needed

    @property
    def unavailable(self) -> bool:
        """Every question is withheld: the quiz cannot be taken until one is confirmed."""
        return self.bank > 0 and self.available == 0
