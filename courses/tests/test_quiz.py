"""Taking a module's quiz as an enrolled officer, through the pages an officer uses.

Routes of a module: "" lesson, "kuis/" (POST) start, "kuis/<id>/" form and submit,
"kuis/<id>/hasil/" result.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from freezegun import freeze_time

from courses import selectors, services
from courses.models import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from courses.choices import QuestionOrder, ReviewPolicy
from courses.models.progress import AttemptStatus
from courses.models.quiz import QuestionKind
from courses.services import enrollment_create
from courses.signals import course_completed
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db

CORRECT_BADGE = "Jawaban benar</span>"


# --- helpers ---------------------------------------------------------------


def attempt_url(module, attempt):
    return f"{module.url}kuis/{attempt.pk}/"


def result_url(module, attempt):
    return f"{module.url}kuis/{attempt.pk}/hasil/"


def text(response):
    return response.content.decode()


def start_attempt(client, module) -> QuizAttempt:
    response = client.post(f"{module.url}kuis/")
    assert response.status_code == 302
    match = re.fullmatch(rf"{re.escape(module.url)}kuis/(\d+)/", response.url)
    assert match, f"start did not lead to an attempt: {response.url}"
    return QuizAttempt.objects.get(pk=match[1])


def form_data(attempt, *, correct=True) -> dict:
    """Positional answers to every question of `attempt`, all right or all wrong."""
    data = {}
    for number, (question, choices) in enumerate(selectors.attempt_questions(attempt), start=1):
        right = [str(i) for i, choice in enumerate(choices) if choice.is_correct]
        wrong = [str(i) for i, choice in enumerate(choices) if not choice.is_correct]
        if question.kind == QuestionKind.MULTIPLE:
            data[f"q{number}"] = right if correct else wrong[:1]
        else:
            data[f"q{number}"] = right[0] if correct else wrong[0]
    return data


def take_quiz(client, module, *, correct=True) -> QuizAttempt:
    """Start an attempt and submit it, everything right (or wrong)."""
    attempt = start_attempt(client, module)
    response = client.post(attempt_url(module, attempt), form_data(attempt, correct=correct))
    assert response.status_code == 302
    assert response.url == result_url(module, attempt)
    attempt.refresh_from_db()
    return attempt


def quiz_form_html(response) -> str:
    """The quiz <form>, with the per-request CSRF token and the attempt's id (the key under which the
    phone keeps answers across a dropped connection) blanked out."""
    match = re.search(r'<form method="post" class="quiz-form".*?</form>', text(response), re.DOTALL)
    assert match, "no quiz form on the page"
    form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', match[0])
    return re.sub(r'data-offline-attempt="\d+"', 'data-offline-attempt=""', form)


def legends(response) -> list[str]:
    return re.findall(r"<legend>(.*?)</legend>", text(response))


def labels(response) -> list[str]:
    return re.findall(r'<label for="id_q\d+_\d+">(.*?)</label>', text(response))


def review_questions(response) -> list[str]:
    return re.findall(r'<p class="review-question"><strong>(.*?)</strong>', text(response))


class AttributesAndScripts(HTMLParser):
    """Collects every attribute name/value and script body of a page."""

    def __init__(self):
        super().__init__()
        self.attributes, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(f"{name}={value or ''}" for name, value in attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def enrol(client, user, course):
    enrollment_create(user=user, course=course)
    client.force_login(user)


# --- fixtures --------------------------------------------------------------


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, title="Pencegahan TPPO")


@pytest.fixture
def officer_client(client, officer, course):
    enrol(client, officer, course)
    return client


def quiz_module(course, *, count=3, title="Modul Kuis", **kwargs):
    kwargs.setdefault("questions", quiz_questions(count, choices=3, correct=0))
    return make_module(course=course, title=title, **kwargs)


# --- starting, resuming, layout --------------------------------------------


class TestStartAndResume:
    def test_starting_stores_the_layout_and_the_pass_mark(self, officer_client, officer, course):
        module = quiz_module(course, quiz_pass_mark=80)
        attempt = start_attempt(officer_client, module)

        questions = list(module.questions.order_by("sort_order", "pk"))
        assert attempt.user == officer
        assert (attempt.status, attempt.number, attempt.pass_mark) == (AttemptStatus.IN_PROGRESS, 1, 80)
        assert attempt.layout == [
            {"question": q.pk, "choices": list(q.choices.order_by("sort_order", "pk").values_list("pk", flat=True))}
            for q in questions
        ]

    def test_attempt_keeps_its_pass_mark_when_the_trainer_changes_it(self, officer_client, course):
        module = quiz_module(course, quiz_pass_mark=80)
        attempt = start_attempt(officer_client, module)
        type(module).objects.filter(pk=module.pk).update(quiz_pass_mark=50)

        assert "Nilai lulus 80%." in text(officer_client.get(attempt_url(module, attempt)))
        attempt.refresh_from_db()
        assert attempt.pass_mark == 80

    def test_starting_again_resumes_the_open_attempt(self, officer_client, officer, course):
        module = quiz_module(course)
        first = start_attempt(officer_client, module)
        second = start_attempt(officer_client, module)

        assert second.pk == first.pk
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1
        page = text(officer_client.get(module.url))
        assert "Lanjutkan kuis" in page
        assert f'href="{attempt_url(module, first)}"' in page

    def test_after_a_renewal_only_the_new_cycles_attempts_count(self, officer_client, officer, course):
        module = quiz_module(course, quiz_max_attempts=1)
        take_quiz(officer_client, module, correct=False)
        assert "Kesempatan mengerjakan kuis ini sudah habis." in text(officer_client.post(f"{module.url}kuis/", follow=True))

        # The course was opened again for a new certificate cycle: the failed attempt is history.
        Enrollment.objects.filter(user=officer, course=course).update(renewed_at=timezone.now())
        second = take_quiz(officer_client, module, correct=False)
        assert second.number == 2
        assert "Kesempatan mengerjakan kuis ini sudah habis." in text(officer_client.post(f"{module.url}kuis/", follow=True))
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 2

    def test_form_and_review_follow_the_stored_order(self, officer_client, course):
        module = quiz_module(course, count=4, questions=quiz_questions(4, choices=4, correct=2))
        attempt = start_attempt(officer_client, module)
        # Whatever was drawn is what the officer sees, even when it differs from authoring order.
        stored = [{"question": item["question"], "choices": item["choices"][::-1]} for item in attempt.layout[::-1]]
        QuizAttempt.objects.filter(pk=attempt.pk).update(layout=stored)
        attempt.refresh_from_db()
        shown = selectors.attempt_questions(attempt)
        expected_questions = [question.text for question, _choices in shown]
        expected_choices = [choice.text for _question, choices in shown for choice in choices]
        assert expected_questions == ["Soal 4?", "Soal 3?", "Soal 2?", "Soal 1?"]

        form_page = officer_client.get(attempt_url(module, attempt))
        assert legends(form_page) == expected_questions
        assert labels(form_page) == expected_choices

        officer_client.post(attempt_url(module, attempt), form_data(attempt))
        review = officer_client.get(result_url(module, attempt))
        assert review_questions(review) == expected_questions
        assert re.findall(r"Pilihan \d\.\d", text(review)) == expected_choices

    def test_drawing_n_questions_from_a_larger_pool(self, officer_client, course):
        module = quiz_module(course, questions=quiz_questions(8), quiz_draw_count=3)
        pool = set(module.questions.values_list("pk", flat=True))
        attempt = start_attempt(officer_client, module)

        drawn = [item["question"] for item in attempt.layout]
        assert len(drawn) == 3
        assert len(set(drawn)) == 3
        assert set(drawn) <= pool
        assert len(legends(officer_client.get(attempt_url(module, attempt)))) == 3

        officer_client.post(attempt_url(module, attempt), form_data(attempt))
        attempt.refresh_from_db()
        assert (attempt.score_points, attempt.max_points) == (3, 3)
        assert attempt.answers.count() == 3

    def test_shuffled_order_shuffles_questions_and_choices(self, client, course):
        module = quiz_module(
            course, questions=quiz_questions(8, choices=5), quiz_question_order=QuestionOrder.SHUFFLED
        )
        authored = {q.pk: list(q.choices.order_by("sort_order", "pk").values_list("pk", flat=True)) for q in module.questions.all()}
        authored_order = list(module.questions.order_by("sort_order", "pk").values_list("pk", flat=True))

        layouts = []
        for _ in range(4):
            enrol(client, make_officer(), course)
            layouts.append(start_attempt(client, module).layout)

        for layout in layouts:
            assert sorted(item["question"] for item in layout) == sorted(authored_order)
            for item in layout:
                assert sorted(item["choices"]) == sorted(authored[item["question"]])
        # Eight questions of five choices: four draws all in authoring order would be a 1 in 10^18 event.
        assert any([item["question"] for item in layout] != authored_order for layout in layouts)
        assert any(item["choices"] != authored[item["question"]] for layout in layouts for item in layout)
        # What the officer sees is the shuffled order.
        texts = dict(module.questions.values_list("pk", "text"))
        assert legends(client.get(attempt_url(module, QuizAttempt.objects.latest("pk")))) == [
            texts[item["question"]] for item in layouts[-1]
        ]


# --- nothing in the served quiz tells a correct choice from a wrong one -----


LEAK_QUESTIONS = (
    ("single", QuestionKind.SINGLE, ("Tiga tahun", "Lima tahun", "Tujuh tahun", "Sepuluh tahun")),
    ("multiple", QuestionKind.MULTIPLE, ("Paspor", "Visa", "KTP", "SIM")),
    ("true_false", QuestionKind.TRUE_FALSE, ("Ya", "Tidak")),
)


class TestAntiLeak:
    def module_with_correct(self, catalog, officer, client, positions):
        """A one-module course whose questions differ from the others' only in which choices are right."""
        course = make_course(catalog=catalog, title=f"Kursus {positions}")
        questions = [
            {
                "text": f"Pertanyaan {name}?",
                "kind": kind,
                "explanation": f"Penjelasan {name}.",
                "choices": [(choice, index in positions[name]) for index, choice in enumerate(choices)],
            }
            for name, kind, choices in LEAK_QUESTIONS
        ]
        module = make_module(course=course, title="Modul", questions=questions)
        enrol(client, officer, course)
        return module

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ({"single": {0}, "multiple": {0, 1}, "true_false": {0}}, {"single": {1}, "multiple": {2, 3}, "true_false": {1}}),
            ({"single": {3}, "multiple": {1}, "true_false": {1}}, {"single": {2}, "multiple": {0, 1, 2, 3}, "true_false": {0}}),
        ],
    )
    def test_quiz_html_is_identical_whichever_choice_is_correct(self, client, catalog, officer, first, second):
        pages = []
        for positions in (first, second):
            module = self.module_with_correct(catalog, officer, client, positions)
            attempt = start_attempt(client, module)
            response = client.get(attempt_url(module, attempt))
            assert response.status_code == 200
            pages.append(quiz_form_html(response))

        assert pages[0].count("<fieldset") == 3
        assert pages[0] == pages[1]

    def test_no_correctness_marker_in_attributes_scripts_or_text(self, client, catalog, officer):
        module = self.module_with_correct(
            catalog, officer, client, {"single": {2}, "multiple": {0, 3}, "true_false": {1}}
        )
        attempt = start_attempt(client, module)
        page = text(client.get(attempt_url(module, attempt)))
        parser = AttributesAndScripts()
        parser.feed(page)

        leaks = [
            item
            for item in parser.attributes + parser.scripts
            if any(word in item.lower() for word in ("is_correct", "correct", "benar"))
        ]
        assert leaks == []
        assert "is_correct" not in page
        assert "Penjelasan" not in page, "explanations are shown only after submission"
        values = set(re.findall(r'<input type="(?:radio|checkbox)" name="q\d" value="([^"]*)"', page))
        assert values == {"0", "1", "2", "3"}, "choices are posted by position, never by database id"


# --- grading ---------------------------------------------------------------


class TestGrading:
    def test_all_correct_passes_completes_the_module_and_opens_the_next(self, officer_client, officer, course):
        module = quiz_module(course, title="Modul 1")
        next_module = make_module(course=course, title="Modul 2")
        locked = officer_client.get(next_module.url)
        assert locked.status_code == 302 and locked.url == course.url

        attempt = take_quiz(officer_client, module)

        assert (attempt.status, attempt.passed, attempt.score_percent) == (AttemptStatus.SUBMITTED, True, 100)
        assert attempt.answers.filter(is_correct=True).count() == 3
        result = text(officer_client.get(result_url(module, attempt)))
        assert '<h2 id="result-heading">Lulus</h2>' in result
        assert "Nilai 100% (3 dari 3 poin); nilai lulus 70%." in result
        assert ModuleProgress.objects.get(user=officer, module=module).completed_at is not None
        assert "Modul ini sudah selesai." in text(officer_client.get(module.url))
        assert officer_client.get(next_module.url).status_code == 200

    def test_points_weight_the_result(self, officer_client, course):
        questions = quiz_questions(2)
        questions[0]["points"] = 3
        module = quiz_module(course, questions=questions, quiz_pass_mark=75)
        attempt = start_attempt(officer_client, module)
        officer_client.post(attempt_url(module, attempt), {"q1": "0", "q2": "1"})

        attempt.refresh_from_db()
        assert (attempt.score_points, attempt.max_points, attempt.passed) == (3, 4, True)
        assert "Nilai 75% (3 dari 4 poin); nilai lulus 75%." in text(officer_client.get(result_url(module, attempt)))

    def test_wrong_answers_fail_and_use_up_the_attempts(self, officer_client, officer, course):
        module = quiz_module(course, quiz_max_attempts=2)

        first = take_quiz(officer_client, module, correct=False)
        assert (first.status, first.passed, first.score_points) == (AttemptStatus.SUBMITTED, False, 0)
        result = text(officer_client.get(result_url(module, first)))
        assert '<h2 id="result-heading">Belum lulus</h2>' in result
        assert "Sisa kesempatan: 1." in result
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()
        assert "Coba lagi" in text(officer_client.get(module.url))

        second = take_quiz(officer_client, module, correct=False)
        assert second.number == 2
        assert "Sisa kesempatan: 0." in text(officer_client.get(result_url(module, second)))

        blocked = officer_client.post(f"{module.url}kuis/", follow=True)
        page = text(blocked)
        assert blocked.redirect_chain[-1][0] == module.url
        assert "Kesempatan mengerjakan kuis ini sudah habis." in page
        assert "Hubungi pelatih Anda." in page
        assert "Coba lagi" not in page and "Mulai kuis" not in page
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 2

    def test_no_new_attempt_after_passing(self, officer_client, officer, course):
        module = quiz_module(course, quiz_max_attempts=0)
        take_quiz(officer_client, module)

        response = officer_client.post(f"{module.url}kuis/", follow=True)
        assert "Anda sudah lulus kuis ini." in text(response)
        assert "Coba lagi" not in text(response)
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1

    def test_score_shown_is_not_rounded_up_to_the_pass_mark(self, officer_client, course):
        # 2 of 3 is 66.67 %: below a pass mark of 67, so the page must not claim 67 %.
        module = quiz_module(course, quiz_pass_mark=67)
        attempt = start_attempt(officer_client, module)
        officer_client.post(attempt_url(module, attempt), {"q1": "0", "q2": "0", "q3": "1"})

        attempt.refresh_from_db()
        assert attempt.passed is False
        result = text(officer_client.get(result_url(module, attempt)))
        assert '<h2 id="result-heading">Belum lulus</h2>' in result
        shown = [float(value.replace(",", ".")) for value in re.findall(r"Nilai ([\d.,]+)%", result)]
        history = re.findall(r"<td>([\d.,]+)%</td>", text(officer_client.get(module.url)))
        shown += [float(value.replace(",", ".")) for value in history]
        assert len(shown) == 2
        assert all(66 <= value < 67 for value in shown), f"a failed 66.67 % is shown as {shown} with a pass mark of 67 %"


# --- review policy ---------------------------------------------------------


EXPLANATION = "Calon pekerja migran harus berusia minimal 18 tahun (Pasal 5 UU 18/2017)."
WITHHELD_AFTER_PASS_OR_LAST = (
    "Benar atau salah per soal, penjelasan, dan jawaban yang benar ditampilkan setelah Anda lulus atau kesempatan habis."
)
WITHHELD_RESULT_ONLY = "Benar atau salah per soal dan penjelasannya ditampilkan setelah Anda lulus atau kesempatan habis."


def review_html(response) -> str:
    """The review list of a result page (the questions, choices and whatever feedback is shown)."""
    match = re.search(r'<ol class="review">.*?</ol>', text(response), re.DOTALL)
    assert match, "no review on the result page"
    return match[0]


def review_leaks(response) -> list[str]:
    """Everything on a result page that tells a right answer, as found there."""
    page, review = text(response), review_html(response)
    found = []
    if EXPLANATION in page or 'class="explanation"' in page:
        found.append("explanation")
    if CORRECT_BADGE in page:
        found.append("correct choice marked")
    if re.search(r">(Benar|Salah)</span>", review):
        found.append("question marked right or wrong")
    return found


def explained_module(course, **kwargs):
    """A true/false question, whose every bit of feedback gives the answer away, and two more."""
    questions = [
        {"text": "Usia minimal calon pekerja migran 21 tahun.", "kind": QuestionKind.TRUE_FALSE,
         "explanation": EXPLANATION, "choices": [("Benar", False), ("Salah", True)]},
        *quiz_questions(2, explanation=EXPLANATION),
    ]
    return quiz_module(course, questions=questions, **kwargs)


class TestReviewPolicy:
    """What a result page shows, per review policy: a failed attempt's review may not give the
    answers away while the officer can still try again (issue 13: failed on purpose, read, passed)."""

    @pytest.mark.parametrize("policy", [ReviewPolicy.AFTER_PASS_OR_LAST, ReviewPolicy.RESULT_ONLY])
    def test_a_failed_attempt_gives_nothing_away_while_attempts_remain(self, officer_client, course, policy):
        module = explained_module(course, quiz_review_policy=policy, quiz_max_attempts=3)
        failed = take_quiz(officer_client, module, correct=False)

        response = officer_client.get(result_url(module, failed))
        assert review_leaks(response) == []
        review = review_html(response)
        assert review.count("Jawaban Anda:") == 3, "the officer still sees what they answered"
        assert "Usia minimal calon pekerja migran 21 tahun." in review
        withheld = WITHHELD_AFTER_PASS_OR_LAST if policy == ReviewPolicy.AFTER_PASS_OR_LAST else WITHHELD_RESULT_ONLY
        assert withheld in text(response)

    @pytest.mark.parametrize("policy", [ReviewPolicy.AFTER_PASS_OR_LAST, ReviewPolicy.RESULT_ONLY])
    def test_with_unlimited_attempts_nothing_is_given_away_before_a_pass(self, officer_client, course, policy):
        module = explained_module(course, quiz_review_policy=policy, quiz_max_attempts=0)
        failed = take_quiz(officer_client, module, correct=False)
        take_quiz(officer_client, module, correct=False)

        response = officer_client.get(result_url(module, failed))
        assert review_leaks(response) == []
        assert "ditampilkan setelah Anda lulus." in text(response)
        assert "kesempatan habis" not in text(response), "attempts never run out here"

    def test_after_pass_or_last_shows_everything_once_passed(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.AFTER_PASS_OR_LAST, quiz_max_attempts=3)
        failed = take_quiz(officer_client, module, correct=False)
        passed = take_quiz(officer_client, module)

        for attempt in (failed, passed):
            response = officer_client.get(result_url(module, attempt))
            assert review_leaks(response) == ["explanation", "correct choice marked", "question marked right or wrong"]
            assert text(response).count(CORRECT_BADGE) == 3
            assert WITHHELD_AFTER_PASS_OR_LAST not in text(response)

    def test_after_pass_or_last_shows_everything_when_no_attempt_is_left(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.AFTER_PASS_OR_LAST, quiz_max_attempts=2)
        first = take_quiz(officer_client, module, correct=False)
        assert review_leaks(officer_client.get(result_url(module, first))) == []
        last = take_quiz(officer_client, module, correct=False)

        for attempt in (first, last):
            response = officer_client.get(result_url(module, attempt))
            assert text(response).count(CORRECT_BADGE) == 3
            assert text(response).count(f'<p class="explanation">{EXPLANATION}</p>') == 3
            assert re.findall(r">(Benar|Salah)</span>", review_html(response)) == ["Salah"] * 3

    def test_after_pass_or_last_gives_nothing_away_while_the_last_attempt_is_open(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.AFTER_PASS_OR_LAST, quiz_max_attempts=2)
        first = take_quiz(officer_client, module, correct=False)
        start_attempt(officer_client, module)  # the last attempt, not yet submitted

        response = officer_client.get(result_url(module, first))
        assert review_leaks(response) == [], "the key to the open last attempt must not be on screen"

    def test_result_only_never_marks_the_correct_choices(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.RESULT_ONLY, quiz_max_attempts=2)
        failed = take_quiz(officer_client, module, correct=False)
        passed = take_quiz(officer_client, module)

        for attempt in (failed, passed):
            response = officer_client.get(result_url(module, attempt))
            # Once passed: right or wrong per question and the explanations, never the key.
            assert review_leaks(response) == ["explanation", "question marked right or wrong"]
            assert WITHHELD_RESULT_ONLY not in text(response)
            assert "Jawaban yang benar ditampilkan" not in text(response), "the key is never promised"

    def test_result_only_gives_feedback_when_no_attempt_is_left(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.RESULT_ONLY, quiz_max_attempts=1)
        last = take_quiz(officer_client, module, correct=False)

        response = officer_client.get(result_url(module, last))
        assert review_leaks(response) == ["explanation", "question marked right or wrong"]

    def test_always_shows_everything_even_after_a_fail(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.ALWAYS, quiz_max_attempts=3)
        attempt = take_quiz(officer_client, module, correct=False)

        response = officer_client.get(result_url(module, attempt))
        assert review_leaks(response) == ["explanation", "correct choice marked", "question marked right or wrong"]
        assert text(response).count(CORRECT_BADGE) == 3
        assert "Pilihan 1.0 <span" in text(response)
        assert "ditampilkan setelah Anda lulus" not in text(response)

    def test_a_renewal_hides_the_old_cycles_feedback_again(self, officer_client, officer, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.AFTER_PASS_OR_LAST, quiz_max_attempts=2)
        old = take_quiz(officer_client, module)
        assert review_leaks(officer_client.get(result_url(module, old)))

        # A new certificate cycle: the quiz is to be passed again, so its earlier review is a key.
        Enrollment.objects.filter(user=officer, course=course).update(renewed_at=timezone.now())
        assert review_leaks(officer_client.get(result_url(module, old))) == []

    def test_explanations_are_never_on_the_quiz_form(self, officer_client, course):
        module = explained_module(course, quiz_review_policy=ReviewPolicy.ALWAYS)
        attempt = start_attempt(officer_client, module)
        assert EXPLANATION not in text(officer_client.get(attempt_url(module, attempt)))


class TestAttemptsLeft:
    def test_attempts_left_are_not_shown_after_passing(self, officer_client, course):
        module = quiz_module(course, quiz_max_attempts=3, quiz_time_limit_minutes=10)
        failed = take_quiz(officer_client, module, correct=False)
        assert "Sisa kesempatan: 2." in text(officer_client.get(result_url(module, failed)))
        assert "Sisa kesempatan: 2" in text(officer_client.get(module.url))

        passed = take_quiz(officer_client, module)
        for url in (result_url(module, passed), result_url(module, failed), module.url):
            page = text(officer_client.get(url))
            assert "Sisa kesempatan" not in page and "Kesempatan: tanpa batas" not in page, url
            assert "Batas waktu: 10 menit" not in page, url

    def test_unlimited_attempts_are_not_announced_after_passing(self, officer_client, course):
        module = quiz_module(course, quiz_max_attempts=0)
        failed = take_quiz(officer_client, module, correct=False)
        assert "Kesempatan: tanpa batas." in text(officer_client.get(result_url(module, failed)))

        passed = take_quiz(officer_client, module)
        assert "Kesempatan: tanpa batas" not in text(officer_client.get(result_url(module, passed)))


# --- time limit --------------------------------------------------------------


class TestTimeLimit:
    @pytest.fixture(autouse=True)
    def _grace(self, settings):
        settings.QUIZ_DEADLINE_GRACE_SECONDS = 30

    def test_submission_after_deadline_and_grace_is_expired_whatever_it_contains(self, officer_client, officer, course):
        module = quiz_module(course, quiz_time_limit_minutes=10)
        with freeze_time(timezone.now()) as clock:
            attempt = start_attempt(officer_client, module)
            assert attempt.deadline == timezone.now() + timedelta(minutes=10)
            clock.tick(timedelta(minutes=10, seconds=31))
            response = officer_client.post(attempt_url(module, attempt), form_data(attempt))

        assert response.status_code == 302 and response.url == result_url(module, attempt)
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.EXPIRED
        assert (attempt.passed, attempt.score_points, attempt.score_percent) == (False, 0, 0)
        assert attempt.answers.count() == 0
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()
        assert "Waktu habis — jawaban tidak dinilai" in text(officer_client.get(result_url(module, attempt)))

    def test_overdue_submission_with_invalid_answers_is_also_expired(self, officer_client, course):
        module = quiz_module(course, quiz_time_limit_minutes=5)
        attempt = start_attempt(officer_client, module)
        QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))

        response = officer_client.post(attempt_url(module, attempt), {"q1": "99"})
        assert response.status_code == 302
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed) == (AttemptStatus.EXPIRED, False)

    def test_opening_an_overdue_attempt_closes_it_and_offers_a_new_one(self, officer_client, course):
        module = quiz_module(course, quiz_time_limit_minutes=5, quiz_max_attempts=3)
        attempt = start_attempt(officer_client, module)
        QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))

        page = text(officer_client.get(module.url))
        assert "Lanjutkan kuis" not in page
        assert "Coba lagi" in page

        response = officer_client.get(attempt_url(module, attempt))
        assert response.status_code == 302 and response.url == result_url(module, attempt)
        attempt.refresh_from_db()
        assert (attempt.status, attempt.max_points) == (AttemptStatus.EXPIRED, 3)
        assert "0 dari 3 poin" in text(officer_client.get(result_url(module, attempt)))

    @pytest.mark.parametrize("elapsed", [timedelta(minutes=9), timedelta(minutes=10, seconds=20)], ids=["in-time", "in-grace"])
    def test_submission_within_the_deadline_is_graded(self, officer_client, course, elapsed):
        module = quiz_module(course, quiz_time_limit_minutes=10)
        with freeze_time(timezone.now()) as clock:
            attempt = start_attempt(officer_client, module)
            clock.tick(elapsed)
            officer_client.post(attempt_url(module, attempt), form_data(attempt))

        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed, attempt.score_points) == (AttemptStatus.SUBMITTED, True, 3)

    def test_quiz_page_shows_the_time_limit(self, officer_client, course):
        module = quiz_module(course, quiz_time_limit_minutes=15)
        assert "Batas waktu: 15 menit" in text(officer_client.get(module.url))
        attempt = start_attempt(officer_client, module)
        assert 'id="quiz-timer"' in text(officer_client.get(attempt_url(module, attempt)))


# --- submitting twice, bad input ------------------------------------------------


class TestSubmission:
    def test_double_submission_is_graded_once(self, officer_client, officer, course):
        module = quiz_module(course)
        attempt = start_attempt(officer_client, module)
        data = form_data(attempt)

        first = officer_client.post(attempt_url(module, attempt), data)
        attempt.refresh_from_db()
        graded = (attempt.submitted_at, attempt.score_points, attempt.passed)
        answers = AttemptAnswer.objects.filter(attempt=attempt).count()
        second = officer_client.post(attempt_url(module, attempt), data)

        assert first.status_code == second.status_code == 302
        assert first.url == second.url == result_url(module, attempt)
        attempt.refresh_from_db()
        assert (attempt.submitted_at, attempt.score_points, attempt.passed) == graded
        assert answers == 3
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == answers
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1

    def test_post_to_a_finished_attempt_redirects_to_its_result_and_is_not_regraded(self, officer_client, course):
        module = quiz_module(course, quiz_max_attempts=0)
        attempt = take_quiz(officer_client, module, correct=False)

        response = officer_client.post(attempt_url(module, attempt), form_data(attempt, correct=True))
        assert response.status_code == 302 and response.url == result_url(module, attempt)
        attempt.refresh_from_db()
        assert (attempt.passed, attempt.score_points) == (False, 0)
        assert not attempt.answers.filter(is_correct=True).exists()
        assert officer_client.get(attempt_url(module, attempt)).url == result_url(module, attempt)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"q1": "99", "q2": "0", "q3": "0"}, "Pilihan untuk soal nomor 1 tidak valid."),
            ({"q1": "abc", "q2": "0", "q3": "0"}, "Pilihan untuk soal nomor 1 tidak valid."),
            ({"q1": "-1", "q2": "0", "q3": "0"}, "Pilihan untuk soal nomor 1 tidak valid."),
            ({"q1": " 0", "q2": "0", "q3": "0"}, "Pilihan untuk soal nomor 1 tidak valid."),
            ({"q1": "0", "q3": "0"}, "Soal nomor 2 belum dijawab."),
            ({}, "Soal nomor 1 belum dijawab."),
            ({"q1": "0", "q2": "0", "q3": "", "q4": "0", "jawaban": "0"}, "Soal nomor 3 belum dijawab."),
            ({"q1": "0", "q2": "0", "q3": ["0", "x"]}, "Pilihan untuk soal nomor 3 tidak valid."),
            ({"q1": "0", "q2": ["0", "7"], "q3": "0"}, "Pilihan untuk soal nomor 2 tidak valid."),
        ],
        ids=["out-of-range", "not-a-number", "negative", "padded", "missing-one", "empty", "blank-and-extra", "list-with-junk", "multiple-out-of-range"],
    )
    def test_bad_input_gets_a_clear_message_and_is_not_graded(self, officer_client, course, data, message):
        questions = quiz_questions(3)
        questions[1]["kind"] = QuestionKind.MULTIPLE
        module = quiz_module(course, questions=questions)
        attempt = start_attempt(officer_client, module)

        response = officer_client.post(attempt_url(module, attempt), data)
        assert response.status_code == 200
        page = text(response)
        assert "Periksa kembali jawaban Anda:" in page
        assert message in page
        assert 'aria-invalid="true"' in page
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.IN_PROGRESS
        assert attempt.answers.count() == 0

    def test_unknown_extra_fields_are_ignored(self, officer_client, course):
        module = quiz_module(course)
        attempt = start_attempt(officer_client, module)
        data = {**form_data(attempt, correct=False), "q4": "0", "q0": "0", "is_correct": "1", "score": "100"}

        response = officer_client.post(attempt_url(module, attempt), data)
        assert response.status_code == 302
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed, attempt.score_points) == (AttemptStatus.SUBMITTED, False, 0)
        assert attempt.answers.count() == 3

    def test_sending_every_option_scores_nothing(self, officer_client, course):
        questions = quiz_questions(2, choices=3, correct=0)
        questions[1]["kind"] = QuestionKind.MULTIPLE
        module = quiz_module(course, questions=questions)
        attempt = start_attempt(officer_client, module)

        officer_client.post(attempt_url(module, attempt), {"q1": ["0", "1", "2"], "q2": ["0", "1", "2"]})
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed, attempt.score_points) == (AttemptStatus.SUBMITTED, False, 0)
        assert not attempt.answers.filter(is_correct=True).exists()


# --- who may reach which attempt --------------------------------------------------


class TestAccess:
    def test_another_officers_attempt_is_not_found(self, client, officer, other_officer, course):
        module = quiz_module(course)
        enrol(client, officer, course)
        attempt = start_attempt(client, module)
        enrol(client, other_officer, course)

        assert client.get(attempt_url(module, attempt)).status_code == 404
        assert client.post(attempt_url(module, attempt), form_data(attempt)).status_code == 404
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.IN_PROGRESS

        client.force_login(officer)
        client.post(attempt_url(module, attempt), form_data(attempt))
        client.force_login(other_officer)
        assert client.get(result_url(module, attempt)).status_code == 404

    def test_attempt_of_another_module_is_not_found_under_this_module(self, officer_client, course):
        first = quiz_module(course, title="Modul 1")
        attempt = take_quiz(officer_client, first)
        second = quiz_module(course, title="Modul 2")

        assert officer_client.get(attempt_url(second, attempt)).status_code == 404
        assert officer_client.get(result_url(second, attempt)).status_code == 404

    def test_unpublished_module_quiz_is_neither_reachable_nor_graded(self, officer_client, officer, course):
        module = quiz_module(course)
        attempt = start_attempt(officer_client, module)
        data = form_data(attempt)
        module.unpublish()

        assert officer_client.post(attempt_url(module, attempt), data).status_code == 404
        assert officer_client.post(f"{module.url}kuis/").status_code == 404
        with pytest.raises(services.QuizError):
            services.quiz_attempt_submit(user=officer, attempt_id=attempt.pk, answers={})
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.IN_PROGRESS
        assert attempt.answers.count() == 0
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()

    def test_officer_not_enrolled_cannot_start(self, client, officer, course):
        module = quiz_module(course)
        client.force_login(officer)

        response = client.post(f"{module.url}kuis/", follow=True)
        assert response.redirect_chain[-1][0] == course.url
        assert "Daftar ke kursus ini terlebih dahulu" in text(response)
        assert not QuizAttempt.objects.filter(user=officer).exists()

    def test_anonymous_visitor_is_sent_to_log_in(self, client, course):
        module = quiz_module(course)
        response = client.post(f"{module.url}kuis/")
        assert response.status_code == 302
        assert "next=" in response.url and not QuizAttempt.objects.exists()


# --- the module page and the course ------------------------------------------------


class TestHistoryAndCompletion:
    def test_module_page_lists_the_attempt_history(self, officer_client, course):
        module = quiz_module(course, quiz_max_attempts=3)
        failed = take_quiz(officer_client, module, correct=False)
        passed = take_quiz(officer_client, module)

        page = text(officer_client.get(module.url))
        assert "<caption>Riwayat percobaan</caption>" in page
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        rows = [
            [" ".join(re.sub(r"<.*?>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
        ]
        assert [(number, score, outcome) for number, _date, score, outcome in rows] == [
            ("2", "100%", "Lulus · Lihat pembahasan"),
            ("1", "0%", "Belum lulus · Lihat pembahasan"),
        ]
        assert f'href="{result_url(module, passed)}"' in page
        assert f'href="{result_url(module, failed)}"' in page

    def test_open_attempt_shows_in_the_history(self, officer_client, course):
        module = quiz_module(course)
        start_attempt(officer_client, module)
        page = text(officer_client.get(module.url))
        assert "Riwayat percobaan" in page and "Sedang dikerjakan" in page

    def test_passing_every_module_completes_the_course_once(
        self, officer_client, officer, course, django_capture_on_commit_callbacks
    ):
        first = quiz_module(course, title="Modul 1")
        last = quiz_module(course, title="Modul 2", quiz_max_attempts=0)
        sent = []

        def receiver(sender, **kwargs):
            sent.append(kwargs)

        course_completed.connect(receiver)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                take_quiz(officer_client, first)
            assert Enrollment.objects.get(user=officer, course=course).completed_at is None
            assert sent == []

            with django_capture_on_commit_callbacks(execute=True):
                take_quiz(officer_client, last, correct=False)
                attempt = take_quiz(officer_client, last)
                officer_client.post(attempt_url(last, attempt), form_data(attempt))
                officer_client.post(f"{last.url}kuis/")
        finally:
            course_completed.disconnect(receiver)

        enrollment = Enrollment.objects.get(user=officer, course=course)
        assert enrollment.completed_at is not None
        assert len(sent) == 1
        assert (sent[0]["user"], sent[0]["course"].pk, sent[0]["enrollment"].pk) == (officer, course.pk, enrollment.pk)
