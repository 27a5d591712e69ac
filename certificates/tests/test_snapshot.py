"""What a certificate copies at issue: the holder's rank, position and unit, the training period,
mode and score; later edits of the profile never change it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from certificates.models import Certificate, TrainingMode
from certificates.services import certificate_issue
from certificates.subjects import Subject
from certificates.tests.factories import make_program
from courses.models import Choice
from courses.services import enrollment_create, module_complete, quiz_attempt_start, quiz_attempt_submit
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import AgencyFactory, OfficeFactory, make_officer

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def imigrasi():
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")


def answer_right(user, module, wrong: int = 0):
    attempt = quiz_attempt_start(user=user, module=module)
    answers = {}
    for index, entry in enumerate(attempt.layout):
        correct = set(Choice.objects.filter(question_id=entry["question"], is_correct=True).values_list("pk", flat=True))
        other = set(entry["choices"]) - correct
        answers[entry["question"]] = frozenset(other if index < wrong else correct)
    return quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Completion issues its certificates once the transaction commits: run those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_holder_and_period_are_copied_at_issue_and_kept(catalog, imigrasi, committing):
    course = make_course(catalog=catalog, agency=imigrasi, modules=2, lesson_hours=6)
    officer = make_officer(
        full_name="Ni Luh Putu Ayu Saraswati",
        rank="Penata (III/c)",
        position="Analis Keimigrasian Ahli Muda",
        office=OfficeFactory(code="kanim-denpasar", name="Kantor Imigrasi Kelas I TPI Denpasar"),
    )
    with at(2026, 3, 1, 23, 30):  # 16:30 UTC: still 1 March in Jakarta
        enrollment_create(user=officer, course=course)
    with at(2026, 3, 4, 9, 0), committing():
        for module in course.get_modules():
            module_complete(user=officer, module=module.specific)

    certificate = Certificate.objects.get(holder=officer)
    assert certificate.holder_rank == "Penata (III/c)"
    assert certificate.holder_position == "Analis Keimigrasian Ahli Muda"
    assert certificate.holder_unit == "Kantor Imigrasi Kelas I TPI Denpasar"
    assert (certificate.period_start, certificate.period_end) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 4))
    assert certificate.issued_on == datetime.date(2026, 3, 4)
    assert certificate.training_mode == TrainingMode.ONLINE
    assert certificate.score is None  # no quiz in this course

    profile = officer.officer_profile
    profile.rank, profile.position = "Penata Tingkat I (III/d)", "Analis Keimigrasian Ahli Madya"
    profile.save()
    certificate.refresh_from_db()
    assert certificate.holder_rank == "Penata (III/c)"
    assert certificate.holder_position == "Analis Keimigrasian Ahli Muda"


def test_the_score_is_the_final_exam_or_the_mean_of_the_quizzes(catalog, imigrasi, committing):
    course = make_course(catalog=catalog, agency=imigrasi, lesson_hours=4)
    first = make_module(course=course, title="Modul 1", questions=quiz_questions(4), quiz_pass_mark=50)
    second = make_module(course=course, title="Modul 2", questions=quiz_questions(4), quiz_pass_mark=50)
    officer = make_officer()
    enrollment_create(user=officer, course=course)
    with committing():
        answer_right(officer, first, wrong=1)  # 75 %
        answer_right(officer, second)  # 100 %

    certificate = Certificate.objects.get(holder=officer)
    assert certificate.score == Decimal("87.50")

    course_with_exam = make_course(catalog=catalog, agency=imigrasi, lesson_hours=4)
    lesson = make_module(course=course_with_exam, title="Modul 1", questions=quiz_questions(4), quiz_pass_mark=50)
    exam = make_module(
        course=course_with_exam, title="Ujian akhir", questions=quiz_questions(4), quiz_pass_mark=50, is_final_exam=True
    )
    enrollment_create(user=officer, course=course_with_exam)
    with committing():
        answer_right(officer, lesson)
        answer_right(officer, exam, wrong=2)  # 50 %: the exam's score is the course's
    assert Certificate.objects.get(holder=officer, course=course_with_exam).score == Decimal("50.00")


def test_a_program_period_runs_from_its_first_course(catalog, imigrasi, committing):
    courses = [make_course(catalog=catalog, agency=imigrasi, modules=1, lesson_hours=hours) for hours in (3, 4)]
    program = make_program(courses=courses, agency=imigrasi)
    officer = make_officer()
    for day, course in zip((5, 20), courses):
        with at(2026, 2, day, 8, 0):
            enrollment_create(user=officer, course=course)
        with at(2026, 2, day + 2, 8, 0), committing():
            module_complete(user=officer, module=course.get_modules().first().specific)

    certificate = Certificate.objects.get(holder=officer, program=program)
    assert (certificate.period_start, certificate.period_end) == (datetime.date(2026, 2, 5), datetime.date(2026, 2, 22))
    assert certificate.lesson_hours == 7
    assert certificate.score is None


def test_issuing_without_an_enrolment_starts_the_period_on_the_issue_day(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi, modules=1)
    officer = make_officer()
    certificate = certificate_issue(user=officer, subject=Subject.of(course), issued_on=datetime.date(2026, 5, 2))
    assert (certificate.period_start, certificate.period_end) == (datetime.date(2026, 5, 2), datetime.date(2026, 5, 2))
