"""Whatever an officer's browser (or anyone else) posts to a quiz attempt, the page answers
with the form or a redirect, and a question is graded correct only for exactly its key."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import selectors, services
from courses.models import ModuleProgress, QuizAttempt
from courses.models.progress import AttemptStatus
from courses.models.quiz import QuestionKind
from courses.services import enrollment_create
from courses.tests.builders import make_course, make_module

pytestmark = pytest.mark.django_db

FIELDS = [f"q{number}" for number in range(1, 7)]

junk = st.one_of(
    st.integers(min_value=-3, max_value=12),
    st.text(max_size=6),
    st.sampled_from(["", " 0", "0 ", "00", "1.0", "+1", "\u0660", "0\x00", "True", "None", "[0]", "3"]),
)
anything = st.one_of(junk, st.lists(junk, max_size=4))
keys = st.one_of(st.sampled_from(FIELDS + ["q0", "q7", "q01", "Q1", "csrfmiddlewaretoken"]), st.text(max_size=8))


def answer_for(choices):
    """Mostly a plausible answer (positions that exist, one or several), sometimes junk or
    nothing: complete-enough posts get graded often, and junk still reaches every field."""
    positions = st.integers(min_value=0, max_value=len(choices) - 1).map(str)
    plausible = st.one_of(positions, st.lists(positions, min_size=1, max_size=len(choices) + 1))
    return st.integers(min_value=0, max_value=9).flatmap(
        lambda roll: plausible if roll < 8 else st.one_of(anything, st.none())
    )


def expected_correct(question, choices, raw) -> bool:
    """Correct only for exactly the key: the one right position of a radio question (a form
    reads the last value sent), the very set of right positions of a checkbox question."""
    right = {str(index) for index, choice in enumerate(choices) if choice.is_correct}
    values = [] if raw is None else [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]
    if question.kind == QuestionKind.MULTIPLE:
        return set(values) == right
    return bool(values) and {values[-1]} == right


@pytest.fixture
def fuzz_module(catalog, officer, client):
    course = make_course(catalog=catalog)
    module = make_module(
        course=course,
        title="Kuis Fuzz",
        quiz_max_attempts=0,
        quiz_pass_mark=100,
        questions=[
            {"text": "Tunggal A?", "choices": [("a0", False), ("a1", True), ("a2", False), ("a3", False)]},
            {"text": "Tunggal B?", "choices": [("b0", True), ("b1", False), ("b2", False)]},
            {"text": "Benar/Salah?", "kind": QuestionKind.TRUE_FALSE, "choices": [("Benar", False), ("Salah", True)]},
            {"text": "Ganda A?", "kind": QuestionKind.MULTIPLE, "choices": [("c0", True), ("c1", False), ("c2", True), ("c3", False)]},
            {"text": "Ganda B?", "kind": QuestionKind.MULTIPLE, "choices": [("d0", False), ("d1", True), ("d2", False)]},
            {"text": "Tunggal C?", "points": 3, "choices": [("e0", False), ("e1", False), ("e2", False), ("e3", True)]},
        ],
    )
    enrollment_create(user=officer, course=course)
    client.force_login(officer)
    return module


def test_any_post_gets_a_page_and_is_graded_only_by_the_key(client, officer, fuzz_module):
    module = fuzz_module
    outcomes = {"form": 0, "graded": 0}

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(draw=st.data())
    def post_to_attempt(draw):
        QuizAttempt.objects.filter(user=officer, module=module).delete()
        ModuleProgress.objects.filter(user=officer, module=module).delete()
        attempt = services.quiz_attempt_start(user=officer, module=module)
        # Any order an attempt may have been drawn in, chosen by Hypothesis so failures replay.
        layout = [
            {"question": item["question"], "choices": draw.draw(st.permutations(item["choices"]))}
            for item in draw.draw(st.permutations(attempt.layout), label="questions")
        ]
        QuizAttempt.objects.filter(pk=attempt.pk).update(layout=layout)
        attempt.refresh_from_db()
        shown = selectors.attempt_questions(attempt)
        data = draw.draw(st.dictionaries(keys, anything, max_size=3), label="extra fields")
        for field, (_question, choices) in zip(FIELDS, shown, strict=True):
            value = draw.draw(answer_for(choices), label=field)
            if value is not None:
                data[field] = value

        response = client.post(
            f"{module.url}kuis/{attempt.pk}/",
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )

        assert response.status_code in (200, 302), response.status_code
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.IN_PROGRESS:
            assert response.status_code == 200
            assert "Periksa kembali jawaban Anda:" in response.content.decode()
            assert attempt.answers.count() == 0
            outcomes["form"] += 1
            return
        assert response.status_code == 302
        assert attempt.status == AttemptStatus.SUBMITTED
        outcomes["graded"] += 1
        graded = {answer.question_id: answer.is_correct for answer in attempt.answers.all()}
        assert set(graded) == {question.pk for question, _choices in shown}
        for field, (question, choices) in zip(FIELDS, shown, strict=True):
            assert graded[question.pk] == expected_correct(question, choices, data.get(field)), (
                f"{field} ({question.kind}) graded {graded[question.pk]} for {data.get(field)!r}"
            )
        all_right = all(graded.values())
        assert attempt.passed is all_right
        assert attempt.max_points == 8
        assert (attempt.score_points == 8) is all_right

    post_to_attempt()
    # The generator is built to reach both outcomes; a run that only ever hit one proves little.
    assert outcomes["form"] > 0 and outcomes["graded"] > 0, outcomes
