"""What the phone sends back after working offline (courses/offline_sync.py, tools/pwa/src/sync.js).

"Tandai selesai" pressed offline is replayed as a JSON POST with X-Pimpasa-Sync and the CSRF
token in X-CSRFToken; quiz answers kept on the phone are replayed as the quiz form. The
browser side is tested in tests/e2e/test_offline_sync.py.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from courses.models import ModuleProgress, QuizAttempt
from courses.models.progress import AttemptStatus
from courses.offline_sync import SYNC_HEADER
from courses.services import enrollment_create
from courses.signals import course_completed
from courses.tests.builders import make_course, make_module, quiz_questions
from courses.tests.test_quiz import attempt_url, form_data, result_url, start_attempt

pytestmark = pytest.mark.django_db

SYNC = {"HTTP_X_PIMPASA_SYNC": "1", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, title="Migrasi Aman")


@pytest.fixture
def csrf_client(officer, course):
    """An officer's browser as Django sees it: CSRF enforced, the cookie set by a page with a form."""
    client = Client(enforce_csrf_checks=True)
    enrollment_create(user=officer, course=course)
    client.force_login(officer)
    return client


@pytest.fixture
def completions():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(receiver, weak=False)
    yield received
    course_completed.disconnect(receiver)


def complete_url(module):
    return module.url + module.reverse_subpage("complete")


def replay(client, module, token=None):
    """The phone's replay of "Tandai selesai": the token read from the CSRF cookie."""
    token = token if token is not None else client.cookies["csrftoken"].value
    return client.post(complete_url(module), HTTP_X_CSRFTOKEN=token, **SYNC)


def open_lesson(client, module):
    response = client.get(module.url)
    assert response.status_code == 200
    return response


class TestReplayingTandaiSelesai:
    def test_replay_records_the_completion_and_a_repeat_changes_nothing(
        self, csrf_client, officer, course, completions, django_capture_on_commit_callbacks
    ):
        module = make_module(course=course, title="Satu-satunya modul")
        open_lesson(csrf_client, module)

        with django_capture_on_commit_callbacks(execute=True):
            first = replay(csrf_client, module)
        assert first.status_code == 200 and first["Content-Type"] == "application/json"
        assert json.loads(first.content)["ok"] is True
        row = ModuleProgress.objects.get(user=officer, module=module)
        recorded = row.completed_at
        assert recorded is not None

        # The answer was lost on the way back: the phone sends the same item again.
        with django_capture_on_commit_callbacks(execute=True):
            second = replay(csrf_client, module)
        assert json.loads(second.content)["ok"] is True
        assert ModuleProgress.objects.filter(user=officer, module=module).count() == 1
        row.refresh_from_db()
        assert row.completed_at == recorded
        assert len(completions) == 1  # the course completed once
        # No flash message waits for the next page (the officer saw "queued" on the phone).
        assert "Modul ditandai selesai." not in open_lesson(csrf_client, module).content.decode()

    def test_replay_without_a_valid_csrf_token_is_refused_and_records_nothing(self, csrf_client, officer, course):
        module = make_module(course=course, title="Modul")
        open_lesson(csrf_client, module)
        response = replay(csrf_client, module, token="x" * 64)
        assert response.status_code == 403
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()

    def test_replay_logged_out_asks_to_keep_the_item(self, client, course):
        module = make_module(course=course, title="Modul")
        response = client.post(complete_url(module), **SYNC)
        assert response.status_code == 401
        data = json.loads(response.content)
        assert data["ok"] is False and data["retry"] is True
        assert "Masuk lagi" in data["message"]

    def test_a_module_with_a_quiz_is_refused_for_good_with_the_reason(self, csrf_client, officer, course):
        module = make_module(course=course, title="Modul kuis", questions=quiz_questions(2, choices=3, correct=0))
        open_lesson(csrf_client, module)
        response = replay(csrf_client, module)
        assert response.status_code == 409
        data = json.loads(response.content)
        assert data == {"ok": False, "message": "Modul ini selesai setelah Anda lulus kuisnya."}
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()

    def test_the_ordinary_form_still_redirects_with_a_message(self, csrf_client, officer, course):
        module = make_module(course=course, title="Modul")
        token = open_lesson(csrf_client, module).context["csrf_token"]
        response = csrf_client.post(complete_url(module), {"csrfmiddlewaretoken": str(token)}, follow=True)
        assert response.status_code == 200
        assert "Modul ditandai selesai." in response.content.decode()

    def test_the_lesson_marks_its_form_for_the_offline_queue(self, csrf_client, course):
        module = make_module(course=course, title="Modul")
        soup = BeautifulSoup(open_lesson(csrf_client, module).content, "html.parser")
        form = soup.select_one("form[data-offline-complete]")
        assert form["data-offline-complete"] == str(module.pk)
        assert form["action"] == complete_url(module)
        queued = soup.select_one("[data-offline-queued]")
        assert queued.has_attr("hidden") and "Akan dikirim ke server" in queued.get_text()
        status = soup.select_one("#sync-status")
        assert status.has_attr("hidden")
        assert status["data-modules"] == "Menunggu sinkronisasi: {count} modul."


class TestQuizAnswersSentLate:
    """The phone sends the kept answers as the quiz form, when the connection returns."""

    @pytest.fixture(autouse=True)
    def _grace(self, settings):
        settings.QUIZ_DEADLINE_GRACE_SECONDS = 30

    @pytest.fixture
    def quiz_client(self, client, officer, course):
        enrollment_create(user=officer, course=course)
        client.force_login(officer)
        return client

    def module(self, course, **kwargs):
        return make_module(course=course, title="Modul Kuis", questions=quiz_questions(3, choices=3, correct=0), **kwargs)

    def test_sent_after_the_deadline_and_grace_it_is_expired_whatever_the_phone_says(self, quiz_client, officer, course):
        module = self.module(course, quiz_time_limit_minutes=10)
        with freeze_time(timezone.now()) as clock:
            attempt = start_attempt(quiz_client, module)
            answers = form_data(attempt)  # all right, answered in time on the phone
            clock.tick(timedelta(minutes=10, seconds=31))  # ... and the connection came back too late
            response = quiz_client.post(attempt_url(module, attempt), answers, HTTP_X_PIMPASA_SYNC="1")
        assert response.status_code == 302 and response.url == result_url(module, attempt)
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed, attempt.score_points) == (AttemptStatus.EXPIRED, False, 0)
        assert attempt.answers.count() == 0
        assert not ModuleProgress.objects.filter(user=officer, module=module, completed_at__isnull=False).exists()

    def test_sent_within_the_grace_it_is_graded_once_and_a_repeat_changes_nothing(self, quiz_client, officer, course):
        module = self.module(course, quiz_time_limit_minutes=10)
        with freeze_time(timezone.now()) as clock:
            attempt = start_attempt(quiz_client, module)
            answers = form_data(attempt)
            clock.tick(timedelta(minutes=10, seconds=29))
            first = quiz_client.post(attempt_url(module, attempt), answers, HTTP_X_PIMPASA_SYNC="1")
            again = quiz_client.post(attempt_url(module, attempt), answers, HTTP_X_PIMPASA_SYNC="1")
        assert first.url == result_url(module, attempt) and again.url == result_url(module, attempt)
        assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed) == (AttemptStatus.SUBMITTED, True)
        assert attempt.answers.count() == 3  # graded once: the repeat wrote no second set

    def test_the_quiz_form_is_keyed_by_attempt_and_carries_no_answer_key(self, quiz_client, course):
        module = self.module(course)
        attempt = start_attempt(quiz_client, module)
        html = quiz_client.get(attempt_url(module, attempt)).content.decode()
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one("form.quiz-form")["data-offline-attempt"] == str(attempt.pk)
        assert soup.select_one("[data-answers-kept]").has_attr("hidden")
        assert "correct" not in html.lower() and "benar" not in html.lower()


def test_sync_header_name_matches_the_page_script():
    source = (Path(settings.BASE_DIR) / "tools/pwa/src/sync.js").read_text(encoding="utf-8")
    assert f'const SYNC_HEADER = "{SYNC_HEADER}";' in source
