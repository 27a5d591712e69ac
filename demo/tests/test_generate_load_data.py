"""`generate_load_data` fills a database in bulk with consistent, usable rows."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from certificates.models import Certificate
from courses.models import AttemptAnswer, CoursePage, Enrollment, ModuleProgress, QuizAttempt
from demo.load_data import PASSWORD
from lms.models import OfficerProfile
from lms.tests.factories import AgencyFactory, LegalBasisFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def catalog_and_agencies(catalog):
    """The demo content is seed_demo's business (tested there); a catalog and agencies suffice."""
    for code in ("IMI", "BP2MI", "POLRI"):
        AgencyFactory(code=code)
    LegalBasisFactory()
    return catalog


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_load_data", "--no-demo", *args, stdout=out)
    return out.getvalue()


def test_small_run_creates_the_requested_volumes_and_prints_timings(client):
    output = generate("--officers", "50", "--courses", "3", "--attempts-per-officer", "4", "--modules-per-course", "2")

    officers = get_user_model().objects.filter(username__startswith="beban01_")
    assert officers.count() == 50
    assert OfficerProfile.objects.filter(user__in=officers).count() == 50
    assert CoursePage.objects.filter(slug__startswith="beban01-").count() == 3
    attempts = QuizAttempt.objects.filter(user__in=officers)
    assert attempts.count() == 50 * 4
    assert AttemptAnswer.objects.filter(attempt__in=attempts).count() == 50 * 4 * 5
    assert AttemptAnswer.selected_choices.through.objects.filter(attemptanswer__attempt__in=attempts).count() == 50 * 4 * 5
    # Four attempts over two-module courses: every officer is in two courses.
    assert Enrollment.objects.filter(user__in=officers).count() == 100
    assert ModuleProgress.objects.filter(user__in=officers).count() == 200
    # Exactly the completed courses carry a certificate, with distinct serials and codes.
    completed = set(Enrollment.objects.filter(user__in=officers, completed_at__isnull=False).values_list("user", "course"))
    certificates = Certificate.objects.filter(holder__in=officers)
    assert completed and set(certificates.values_list("holder", "course")) == completed
    assert certificates.values("serial").distinct().count() == len(completed)
    # A passed attempt is one that scored at least the pass mark.
    for attempt in attempts:
        assert attempt.passed == (attempt.score_percent >= attempt.pass_mark)
    assert "total" in output and "answers" in output

    # The generated officers are real accounts: one signs in and sees their courses.
    response = client.post("/accounts/login/", {"username": "beban01_00000", "password": PASSWORD})
    assert response.status_code == 302, "the generated password does not sign in"
    response = client.get("/my/learning/")
    assert response.status_code == 200
    assert "Kursus Beban 01-" in response.content.decode()


def test_a_second_run_adds_a_new_batch_beside_the_first():
    generate("--officers", "3", "--courses", "1", "--attempts-per-officer", "1")
    generate("--officers", "2", "--courses", "1", "--attempts-per-officer", "1")
    assert get_user_model().objects.filter(username__startswith="beban02_").count() == 2
    assert get_user_model().objects.filter(username__startswith="beban01_").count() == 3


def test_bad_numbers_get_a_clear_message():
    with pytest.raises(CommandError, match="--officers must be 0 or more"):
        generate("--officers", "-1")
    with pytest.raises(CommandError, match="needs at least one course"):
        generate("--officers", "1", "--courses", "0")


def test_without_demo_content_it_says_what_to_run_first():
    CoursePage.objects.all().delete()
    from courses.models import CourseIndexPage

    CourseIndexPage.objects.all().delete()
    with pytest.raises(CommandError, match="seed_demo"):
        generate("--officers", "1", "--courses", "1")


@pytest.mark.postgres
def test_planner_statistics_are_fresh_after_a_run():
    """ANALYZE at the end: PostgreSQL knows how many certificates there are without waiting for autovacuum."""
    from django.db import connection

    generate("--officers", "20", "--courses", "2", "--attempts-per-officer", "4", "--modules-per-course", "2")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Certificate._meta.db_table])
        estimated = cursor.fetchone()[0]
    assert Certificate.objects.count() > 0
    assert estimated == Certificate.objects.count()


def test_the_filters_offer_the_new_offices_at_once(django_capture_on_commit_callbacks):
    from hr.selectors import registry_options

    registry_options()  # cached before the run
    with django_capture_on_commit_callbacks(execute=True):
        generate("--officers", "3", "--courses", "1", "--attempts-per-officer", "1")
    assert any(name.startswith("Kantor Imigrasi Beban 01-") for _pk, name in registry_options()["offices"])


@pytest.mark.parametrize("utc_hour", [20, 2])
def test_certificates_are_issued_on_the_local_day_the_course_was_completed(utc_hour):
    """At 20:00 UTC it is 03:00 of the next day in Jakarta: the certificate carries the Jakarta date."""
    import datetime

    import time_machine
    from django.utils import timezone

    with time_machine.travel(datetime.datetime(2026, 11, 30, utc_hour, tzinfo=datetime.UTC), tick=False):
        generate("--officers", "6", "--courses", "1", "--attempts-per-officer", "2", "--modules-per-course", "1")
    completed = dict(
        Enrollment.objects.filter(completed_at__isnull=False).values_list("user", "completed_at")
    )
    issued = dict(Certificate.objects.values_list("holder", "issued_on"))
    assert completed and issued == {user: timezone.localdate(when) for user, when in completed.items()}


def test_answers_are_tagged_with_pasal_2_beside_the_demo_s_pasal_2_ayat_1():
    """The demo content cites "Pasal 2 ayat (1)": the generated questions still test Pasal 2 itself."""
    from lms.models import LegalBasis, LegalProvision

    basis = LegalBasis.objects.get()
    LegalProvision.objects.create(legal_basis=basis, pasal="2", ayat="1")
    generate("--officers", "5", "--courses", "1", "--attempts-per-officer", "2", "--modules-per-course", "2")

    pasal_2 = LegalProvision.objects.get(legal_basis=basis, pasal="2", ayat="", butir="")
    answers = AttemptAnswer.objects.filter(attempt__user__username__startswith="beban01_")
    assert answers.count() == 5 * 2 * 5
    assert set(answers.values_list("provisions", flat=True)) == {pasal_2.pk}
