"""After the last quiz: the course page and the result page say what the completion earned (issue 13, item 15).

"Sertifikat sedang disiapkan" while the PDF is rendered; then the download, the verification
page and the certificate's place in "Sertifikat saya"; a program certificate earned with it.
"""

import re

import pytest
from bs4 import BeautifulSoup

from certificates.models import Certificate
from certificates.services import certificate_render, certificate_revoke
from certificates.tests.factories import make_certificate, make_program
from courses import selectors
from courses.models import QuizAttempt
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

PREPARING = "Sertifikat sedang disiapkan"


@pytest.fixture
def course(catalog):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", validity_months=24)
    make_module(course=course, title="Bacaan")
    make_module(course=course, title="Ujian", questions=quiz_questions(2), quiz_max_attempts=0)
    return course


@pytest.fixture
def queued_renders(settings):
    """Renders only queued, as in production (the worker is not running here)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def take_last_quiz(client, officer, course, *, correct=True):
    """Read the first module, pass (or fail) the last one's quiz through the pages; the result page URL."""
    reading, exam = course.get_modules()
    module_complete(user=officer, module=reading.specific)
    response = client.post(exam.url + "kuis/")
    attempt = QuizAttempt.objects.get(pk=re.search(r"kuis/(\d+)/", response.url)[1])
    answers = {}
    for number, (_question, choices) in enumerate(selectors.attempt_questions(attempt), start=1):
        answers[f"q{number}"] = str(next(i for i, c in enumerate(choices) if c.is_correct == correct))
    response = client.post(response.url, answers)
    assert response.status_code == 302 and response.url.endswith("/hasil/")
    return response.url


def section(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("section.next-step")


def links(part) -> set[str]:
    return {a["href"] for a in part.select("a")}


@pytest.fixture
def officer_client(client, officer, course):
    enrollment_create(user=officer, course=course)
    client.force_login(officer)
    return client


def test_last_quiz_result_says_the_certificate_is_being_prepared_then_links_it(
    officer_client, officer, course, queued_renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result_url = take_last_quiz(officer_client, officer, course)
    certificate = Certificate.objects.get(holder=officer, course=course)
    assert not certificate.pdf_ready, "the render is only queued"

    for url in (result_url, course.url):
        part = section(officer_client.get(url))
        assert PREPARING in part.get_text(" ", strip=True), url
        assert f"/my/certificates/#sertifikat-{certificate.pk}" in links(part)
        assert f"/certificates/{certificate.pk}/pdf/" not in links(part), "no download before there is a PDF"

    certificate_render(certificate=certificate)  # the worker's turn
    for url in (result_url, course.url):
        part = section(officer_client.get(url))
        words = part.get_text(" ", strip=True)
        assert PREPARING not in words
        assert f"Sertifikat Anda sudah terbit, nomor seri {certificate.serial}." in words
        assert links(part) == {
            f"/certificates/{certificate.pk}/pdf/",
            f"/verify/{certificate.code}/",
            f"/my/certificates/#sertifikat-{certificate.pk}",
        }
    mine = BeautifulSoup(officer_client.get("/my/certificates/").content, "html.parser")
    assert mine.find(id=f"sertifikat-{certificate.pk}") is not None, "the link lands on its card"


def test_while_the_certificate_is_being_issued_the_page_says_so(officer_client, officer, course):
    # The completion's on_commit work (issuing) has not run: no certificate record yet.
    result_url = take_last_quiz(officer_client, officer, course)
    assert not Certificate.objects.filter(holder=officer).exists()
    part = section(officer_client.get(result_url))
    assert PREPARING in part.get_text(" ", strip=True)
    assert links(part) == {"/my/certificates/"}


def test_a_failed_attempt_or_an_unfinished_course_shows_no_certificate(officer_client, officer, course):
    result_url = take_last_quiz(officer_client, officer, course, correct=False)
    assert section(officer_client.get(result_url)) is None
    assert section(officer_client.get(course.url)) is None


def test_a_completed_course_with_a_revoked_certificate_says_so(officer_client, officer, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        take_last_quiz(officer_client, officer, course)
    certificate = Certificate.objects.get(holder=officer, course=course)
    certificate_revoke(certificate=certificate, by=UserFactory(), reason="misconduct")
    part = section(officer_client.get(course.url))
    words = part.get_text(" ", strip=True)
    assert "Sertifikat kursus ini dicabut." in words
    assert PREPARING not in words and f"/certificates/{certificate.pk}/pdf/" not in links(part)


def test_the_program_certificate_earned_with_the_course_is_named(
    officer_client, officer, course, catalog, django_capture_on_commit_callbacks
):
    other = make_course(catalog=catalog, agency=course.agency, title="Gugus Tugas", slug="gugus")
    make_program(courses=[other, course], title="Program Dasar Pimpasa")
    make_certificate(holder=officer, course=other)
    with django_capture_on_commit_callbacks(execute=True):
        result_url = take_last_quiz(officer_client, officer, course)
    program_certificate = Certificate.objects.get(holder=officer, program__isnull=False)

    for url in (result_url, course.url):
        part = section(officer_client.get(url))
        assert "Kursus ini bagian dari Program Dasar Pimpasa: Anda juga memperoleh sertifikat programnya." in (
            part.get_text(" ", strip=True)
        )
        assert f"/my/certificates/#sertifikat-{program_certificate.pk}" in links(part)


def test_a_program_not_yet_earned_is_not_mentioned(officer_client, officer, course, catalog, django_capture_on_commit_callbacks):
    other = make_course(catalog=catalog, agency=course.agency, title="Gugus Tugas", slug="gugus")
    make_program(courses=[other, course], title="Program Dasar Pimpasa")
    with django_capture_on_commit_callbacks(execute=True):
        take_last_quiz(officer_client, officer, course)
    assert "Program Dasar Pimpasa" not in section(officer_client.get(course.url)).get_text(" ", strip=True)
