"""Query budgets: every officer page costs as many queries at 1,000 rows as at 10 (no N+1)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses import services
from courses.models import Choice, ContentReview, Enrollment, ModuleProgress, Question, QuestionHold, QuizAttempt
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.models import LegalChange
from lms.tests.factories import LegalBasisFactory
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db


def make_other_officers(count: int) -> list:
    """Plain accounts in bulk: rows that share the tables but are not the officer's."""
    User = get_user_model()
    start = User.objects.count()
    return User.objects.bulk_create(
        User(username=f"lain{start + i}", password="!") for i in range(count)
    )


def make_courses(catalog, count, *, modules=1, enrol=None):
    bases = [LegalBasisFactory(), LegalBasisFactory()]
    courses = [make_course(catalog=catalog, title=f"Kursus {n:03d}", modules=modules, legal_bases=bases) for n in range(count)]
    if enrol is not None:
        for course in courses:
            services.enrollment_create(user=enrol, course=course)
            first = course.get_modules().first()
            if first is not None:
                services.module_open(user=enrol, module=first)
    return courses


def enrol_others(course, users):
    Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in users)


def add_questions(module, count):
    questions = Question.objects.bulk_create(
        Question(page=module, text=f"Soal massal {n}?", sort_order=100 + n, legal_basis=LegalBasisFactory() if n == 0 else None)
        for n in range(count)
    )
    Choice.objects.bulk_create(
        Choice(question=question, text=f"Pilihan {k}", is_correct=k == 0, sort_order=k)
        for question in questions
        for k in range(4)
    )


def add_finished_attempts(user, module, count):
    start = QuizAttempt.objects.filter(user=user, module=module).count()
    now = timezone.now()
    QuizAttempt.objects.bulk_create(
        QuizAttempt(user=user, module=module, number=start + n + 1, status="submitted", submitted_at=now,
                    pass_mark=70, score_points=0, max_points=3, score_percent=0, passed=False)
        for n in range(count)
    )


def test_catalog(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    make_courses(catalog, 10, enrol=officer)
    _small, large = assert_flat_query_count(
        django_assert_num_queries,
        small=lambda: client.get(catalog.url),
        grow=lambda: (make_courses(catalog, 15, enrol=officer), enrol_others(catalog.get_children().first().specific, make_other_officers(1000))),
    )
    assert "25 kursus ditemukan" in large.content.decode()


def test_catalog_anonymous_first_visit(client, catalog, django_assert_num_queries):
    from django.core.cache import cache

    make_courses(catalog, 10)

    def first_visit():
        cache.clear()
        return client.get(catalog.url)

    assert_flat_query_count(django_assert_num_queries, small=first_visit, grow=lambda: make_courses(catalog, 15))


def test_course_page(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    course = make_course(catalog=catalog, modules=10, legal_bases=[LegalBasisFactory(), LegalBasisFactory()])
    services.enrollment_create(user=officer, course=course)

    def grow():
        for n in range(20):
            make_module(course=course, title=f"Modul tambahan {n}")
        for module in course.get_modules()[:15]:
            services.module_complete(user=officer, module=module)
        enrol_others(course, make_other_officers(1000))

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get(course.url), grow=grow)
    assert "Modul tambahan 19" in large.content.decode()


def test_module_page(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    course = make_course(catalog=catalog)
    module = make_module(course=course, title="Modul kuis", questions=quiz_questions(10), quiz_max_attempts=0)
    make_module(course=course, title="Modul berikut")
    services.enrollment_create(user=officer, course=course)
    add_finished_attempts(officer, module, 10)

    def grow():
        add_questions(module, 990)
        add_finished_attempts(officer, module, 990)

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get(module.url), grow=grow)
    assert large.content.decode().count("Lihat pembahasan") == 1000


def legal_change(short_name="KUHP (UU 1/2023)"):
    """A recorded change (not applied: the reviews below are opened by hand)."""
    basis = LegalBasisFactory(short_name=short_name)
    return LegalChange.objects.create(instrument=basis, in_force_on=datetime.date(2026, 1, 2), summary="Perubahan.")


def open_reviews(course, modules, change):
    ContentReview.objects.bulk_create(ContentReview(module=module, course=course, change=change) for module in modules)


def test_course_page_with_modules_under_review(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    course = make_course(catalog=catalog, modules=3)
    services.enrollment_create(user=officer, course=course)
    first = legal_change()
    open_reviews(course, list(course.get_modules()[:2]), first)

    def grow():
        for n in range(20):
            make_module(course=course, title=f"Modul tinjau {n}")
        added = list(course.get_modules().filter(title__startswith="Modul tinjau"))
        open_reviews(course, added, first)
        open_reviews(course, added[:10], legal_change("UU 1/2026"))

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get(course.url), grow=grow)
    page = large.content.decode()
    assert page.count("badge-review") == 22
    assert "Materi ini sedang ditinjau karena perubahan peraturan: KUHP (UU 1/2023) (berlaku 2 Januari 2026), UU 1/2026" in page


def test_module_page_under_review(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    course = make_course(catalog=catalog)
    module = make_module(course=course, title="Modul kuis", questions=quiz_questions(10), quiz_max_attempts=0)
    services.enrollment_create(user=officer, course=course)
    change = legal_change()
    open_reviews(course, [module], change)

    def hold(questions):
        QuestionHold.objects.bulk_create(QuestionHold(question=question, change=change) for question in questions)

    hold(module.questions.all()[:5])

    def grow():
        add_questions(module, 990)
        hold(module.questions.filter(text__startswith="Soal massal")[:500])

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get(module.url), grow=grow)
    page = large.content.decode()
    assert "Materi ini sedang ditinjau karena perubahan peraturan: KUHP (UU 1/2023)" in page
    assert "Untuk sementara kuis ini berisi 495 soal, bukan 1000" in page


def quiz_module(course, questions):
    module = make_module(course=course, title=f"Kuis {questions}", questions=quiz_questions(min(questions, 10)), quiz_max_attempts=0)
    if questions > 10:
        add_questions(module, questions - 10)
    return module


def quiz_course(catalog, officer):
    """A course where a read module comes first, then a 10-question and a 1,000-question quiz,
    both open to the officer (the earlier modules are done), then one more module."""
    course = make_course(catalog=catalog)
    intro = make_module(course=course, title="Pengantar")
    small_module, large_module = quiz_module(course, 10), quiz_module(course, 1000)
    make_module(course=course, title="Belum selesai")  # the course stays open: no certificate in the count
    services.enrollment_create(user=officer, course=course)
    services.module_complete(user=officer, module=intro)
    small_attempt = services.quiz_attempt_start(user=officer, module=small_module)
    # Start the large quiz as if the small one were passed, then reopen the small one.
    ModuleProgress.objects.create(user=officer, module=small_module, course=course, completed_at=timezone.now())
    large_attempt = services.quiz_attempt_start(user=officer, module=large_module)
    ModuleProgress.objects.filter(user=officer, module=small_module).update(completed_at=None)
    ModuleProgress.objects.create(user=officer, module=large_module, course=course)  # opened, like the small one
    return (small_module, small_attempt), (large_module, large_attempt)


def test_quiz_page(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    (small_module, small_attempt), (large_module, large_attempt) = quiz_course(catalog, officer)
    ModuleProgress.objects.filter(user=officer, module=small_module).update(completed_at=timezone.now())
    attempt_url = lambda module, attempt: module.url + module.reverse_subpage("quiz_attempt", args=[attempt.pk])  # noqa: E731

    _small, large = assert_flat_query_count(
        django_assert_num_queries,
        small=lambda: client.get(attempt_url(small_module, small_attempt)),
        large=lambda: client.get(attempt_url(large_module, large_attempt)),
    )
    assert large.content.decode().count('type="radio"') == 10 * 3 + 990 * 4


def quiz_submission(client, module, attempt, questions, *, answer="0"):
    """The POST of a quiz form with every question answered `answer` ("0" is right)."""
    url = module.url + module.reverse_subpage("quiz_attempt", args=[attempt.pk])
    client.get(url)  # the officer has the form open
    return lambda: client.post(url, {f"q{n}": answer for n in range(1, questions + 1)})


def test_quiz_submission(client, catalog, officer, django_assert_num_queries):
    """A pass: grading, then the module's completion (the course stays open).

    Budgets of the submission and result pages include one query for the provisions the questions
    test (copied onto the answers; shown on the result page)."""
    client.force_login(officer)
    (small_module, small_attempt), (large_module, large_attempt) = quiz_course(catalog, officer)

    small_submit = quiz_submission(client, small_module, small_attempt, 10)
    large_submit = quiz_submission(client, large_module, large_attempt, 1000)
    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=small_submit, large=large_submit, warm=False, budget=31
    )
    assert large.status_code == 302
    large_attempt.refresh_from_db()
    assert large_attempt.passed and large_attempt.answers.count() == 1000


def test_failed_quiz_submission(client, catalog, officer, django_assert_num_queries):
    """A fail, as in bench/load.py: grading only."""
    client.force_login(officer)
    (small_module, small_attempt), (large_module, large_attempt) = quiz_course(catalog, officer)
    # Failing the small quiz must not close the large one: let the small module count as done.
    ModuleProgress.objects.filter(user=officer, module=small_module).update(completed_at=timezone.now())

    small_submit = quiz_submission(client, small_module, small_attempt, 10, answer="1")
    large_submit = quiz_submission(client, large_module, large_attempt, 1000, answer="1")
    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=small_submit, large=large_submit, warm=False, budget=21
    )
    assert large.url == large_module.url + large_module.reverse_subpage("quiz_result", args=[large_attempt.pk])
    large_attempt.refresh_from_db()
    assert large_attempt.passed is False and large_attempt.answers.count() == 1000


def test_quiz_start(client, catalog, officer, django_assert_num_queries):
    """Starting an attempt costs the same after 10 or 1,000 earlier attempts."""
    client.force_login(officer)
    course = make_course(catalog=catalog)
    module = make_module(course=course, title="Kuis", questions=quiz_questions(10), quiz_max_attempts=0)
    services.enrollment_create(user=officer, course=course)
    add_finished_attempts(officer, module, 10)
    client.get(module.url)

    def grow():
        QuizAttempt.objects.filter(user=officer, module=module, status="in_progress").update(
            status="submitted", submitted_at=timezone.now(), passed=False
        )
        add_finished_attempts(officer, module, 990)

    start = lambda: client.post(module.url + module.reverse_subpage("quiz_start"))  # noqa: E731
    _small, large = assert_flat_query_count(django_assert_num_queries, small=start, grow=grow, warm=False, budget=20)
    opened = QuizAttempt.objects.get(user=officer, module=module, status="in_progress")
    assert opened.number == 1002
    assert large.url == module.url + module.reverse_subpage("quiz_attempt", args=[opened.pk])


def test_quiz_result_page(client, catalog, officer, django_assert_num_queries):
    """The result of one attempt costs the same, and loads the same rows, after 1 or 1,000 attempts:
    the officer's other attempts are counted by the database, never loaded."""
    from django.db.models.signals import post_init

    client.force_login(officer)
    course = make_course(catalog=catalog)
    module = make_module(course=course, title="Kuis", questions=quiz_questions(10), quiz_max_attempts=0)
    make_module(course=course, title="Modul berikut")
    services.enrollment_create(user=officer, course=course)
    attempt = services.quiz_attempt_start(user=officer, module=module)
    services.quiz_attempt_submit(user=officer, attempt_id=attempt.pk, answers={})  # a fail: nothing right
    url = module.url + module.reverse_subpage("quiz_result", args=[attempt.pk])
    loaded = []

    def count_loaded(sender, instance, **kwargs):
        loaded.append(instance.pk)

    def result_page():
        loaded.clear()
        post_init.connect(count_loaded, sender=QuizAttempt)
        try:
            return client.get(url)
        finally:
            post_init.disconnect(count_loaded, sender=QuizAttempt)

    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=result_page, grow=lambda: add_finished_attempts(officer, module, 999), budget=19
    )
    assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1000
    assert loaded == [attempt.pk], f"the result page loaded {len(loaded)} attempts"
    assert large.content.decode().count('<li class="review-item">') == 10


def test_my_learning(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    make_courses(catalog, 10, modules=2, enrol=officer)

    def grow():
        make_courses(catalog, 15, modules=2, enrol=officer)
        enrol_others(catalog.get_children().first().specific, make_other_officers(1000))

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get("/my/learning/"), grow=grow)
    assert large.content.decode().count("Buka modul berikutnya") == 25


def add_certificates(holder, catalog, count, *, agency=None):
    """`count` certificate records for `holder`, in bulk (one course each, as issuing would)."""
    from certificates.codes import code_generate, serial_format
    from certificates.models import Certificate
    from lms.tests.factories import AgencyFactory

    agency = agency or AgencyFactory(code="BULK")
    course = make_course(catalog=catalog, agency=agency, title=f"Kursus sertifikat {count}")
    start = Certificate.objects.filter(agency=agency).count()
    today = timezone.localdate()
    return Certificate.objects.bulk_create(
        Certificate(
            holder=holder, course=course, cycle=start + n + 1, agency=agency, holder_name="Petugas Uji",
            holder_nip="199001012015031001", title=course.title, agency_name=agency.name, lesson_hours=2,
            issued_on=today, expires_on=today.replace(year=today.year + 2),
            serial=serial_format(agency_code=agency.code, year=today.year, number=start + n + 1),
            serial_year=today.year, serial_number=start + n + 1, code=code_generate(),
        )
        for n in range(count)
    ), agency


def test_my_certificates(client, catalog, officer, django_assert_num_queries):
    client.force_login(officer)
    _certs, agency = add_certificates(officer, catalog, 10)
    _small, large = assert_flat_query_count(
        django_assert_num_queries,
        small=lambda: client.get("/my/certificates/"),
        grow=lambda: add_certificates(officer, catalog, 990, agency=agency),
    )
    assert large.content.decode().count("/verify/") >= 1000


def test_verification_page_and_json(client, catalog, officer, other_officer, django_assert_num_queries):
    from django.core.cache import cache

    certificates, agency = add_certificates(officer, catalog, 10)
    code = certificates[0].code

    for path in (f"/verify/{code}/", f"/api/v1/verify/{code}/"):
        def first_visit(path=path):
            cache.clear()  # the uncached answer: what a first scan of the QR code costs
            return client.get(path)

        assert_flat_query_count(
            django_assert_num_queries,
            small=first_visit,
            grow=lambda: add_certificates(other_officer, catalog, 495, agency=agency),
        )


# Session, user, HR check, the chosen agency, COUNT, the page of rows. The filter's option
# lists (agencies, offices, provinces, programs, courses) come from the shared cache.
HR_REGISTRY_QUERIES = 6


def test_hr_registry(client, catalog, officer, django_assert_num_queries):
    from hr.tests.builders import make_hr_user

    client.force_login(make_hr_user())
    _certificates, agency = add_certificates(officer, catalog, 10)
    url = f"/hr/sertifikat/?status=valid&instansi={agency.code}&urutan=-terbit"
    client.get(url)
    with django_assert_num_queries(HR_REGISTRY_QUERIES):
        client.get(url)
    _small, large = assert_flat_query_count(
        django_assert_num_queries,
        small=lambda: client.get(url),
        grow=lambda: add_certificates(officer, catalog, 990, agency=agency),
    )
    assert large.content.decode().count('class="status status-valid"') == 50
    assert "1000 sertifikat" in large.content.decode()


def add_refreshers(course, change, modules, count, *, required_by):
    """`count` officers (account and profile) with a refresher of `course` for `change`, in bulk."""
    from courses.models import Refresher
    from lms.models import OfficerProfile

    users = make_other_officers(count)
    start = OfficerProfile.objects.count()
    OfficerProfile.objects.bulk_create(
        OfficerProfile(user=user, nip=f"19900101201503{start + n:04d}", full_name=f"Petugas Massal {start + n}")
        for n, user in enumerate(users)
    )
    refreshers = Refresher.objects.bulk_create(
        Refresher(user=user, course=course, change=change, required_by=required_by,
                  completed_at=timezone.now() if n % 2 else None)
        for n, user in enumerate(users)
    )
    Refresher.modules.through.objects.bulk_create(
        Refresher.modules.through(refresher_id=refresher.pk, modulepage_id=module.pk)
        for refresher in refreshers
        for module in modules
    )


# The list's own: the viewer's agencies (groups, agencies, their count), the chosen change, the
# counts, the page of rows, their modules, their certificates, the filter's options (agencies,
# changes, courses). The rest is the admin's: session, user, permissions, profile, locale, page
# and collection permissions, the other menu items (quiz statistics, "Perlu ditinjau").
ADMIN_REFRESHERS_QUERIES = 27


def test_admin_refreshers(client, catalog, django_assert_num_queries):
    from lms import roles
    from lms.tests.factories import UserFactory

    reviewer = UserFactory(username="peninjau-anggaran", groups=[roles.REVIEWER])
    roles.sync_role_permissions()
    client.force_login(reviewer)
    course = make_course(catalog=catalog, title="Kursus penyegaran", modules=3)
    modules = list(course.get_modules()[:2])
    change = legal_change()
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])
    add_refreshers(course, change, modules, 10, required_by=reviewer)
    url = f"/admin/penyegaran/?perubahan={change.pk}"
    _small, large = assert_flat_query_count(
        django_assert_num_queries,
        small=lambda: client.get(url),
        grow=lambda: add_refreshers(course, change, modules, 990, required_by=reviewer),
        budget=ADMIN_REFRESHERS_QUERIES,
    )
    page = large.content.decode()
    assert page.count('class="refresher-row"') == 50
    assert "1000 penyegaran: 500 belum selesai, 500 selesai." in page
