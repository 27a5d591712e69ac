import pytest

from courses import selectors, services, statistics
from courses.services import enrollment_create
from courses.tests.builders import make_course, make_module
from lms import roles
from lms.tests.factories import AgencyFactory, LegalBasisFactory, LegalProvisionFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db


def answer(user, module, picks):
    """Start and submit an attempt, picking choices by their text."""
    attempt = services.quiz_attempt_start(user=user, module=module)
    answers = {
        question.pk: frozenset(c.pk for c in choices if c.text in picks)
        for question, choices in selectors.attempt_questions(attempt)
    }
    return services.quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


@pytest.fixture
def quiz_setup(catalog):
    roles.sync_role_permissions()
    imi = AgencyFactory(code="IMI", short_name="Imigrasi")
    law = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    pasal2 = LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1")
    pasal18 = LegalProvisionFactory(legal_basis=law, pasal="18")
    course = make_course(catalog=catalog, agency=imi)
    module = make_module(
        course=course,
        title="Kuis TPPO",
        quiz_pass_mark=100,
        questions=[
            {"text": "Ancaman Pasal 2?", "provisions": [pasal2], "choices": [("3–15 tahun", True), ("1–7 tahun", False), ("5–15 tahun", False)]},
            {"text": "Korban dipaksa?", "provisions": [pasal2, pasal18], "choices": [("Tidak dipidana", True), ("Dipidana", False)]},
        ],
    )
    officers = [make_officer() for _ in range(4)]
    for officer in officers:
        enrollment_create(user=officer, course=course)
    answer(officers[0], module, {"3–15 tahun", "Tidak dipidana"})  # 100%, passed
    answer(officers[1], module, {"1–7 tahun", "Tidak dipidana"})  # 50%
    answer(officers[2], module, {"1–7 tahun", "Dipidana"})  # 0%
    services.quiz_attempt_start(user=officers[3], module=module)  # still open: not counted
    return module, imi


class TestQuizStatistics:
    def test_summary_and_item_analysis(self, quiz_setup):
        module, _agency = quiz_setup
        stats = statistics.quiz_statistics(module)
        assert stats["summary"]["attempts"] == 3
        assert stats["summary"]["pass_rate"] == 33
        assert round(stats["summary"]["average"]) == 50
        first, second = stats["questions"]
        assert (first.answered, first.correct, first.share_correct) == (3, 1, 33)
        picks = {row.choice.text: row.picks for row in first.choices}
        assert picks == {"3–15 tahun": 1, "1–7 tahun": 2, "5–15 tahun": 0}
        assert (second.answered, second.correct, second.share_correct) == (3, 2, 67)

    def test_share_correct_per_provision(self, quiz_setup):
        _module, agency = quiz_setup
        rows = {row.label: row for row in statistics.provision_statistics(agency)}
        assert list(rows) == ["UU 21/2007 Pasal 2 ayat (1)", "UU 21/2007 Pasal 18"]
        # Pasal 2 ayat (1) is tested by both questions: 6 answers, 3 correct
        assert (rows["UU 21/2007 Pasal 2 ayat (1)"].answered, rows["UU 21/2007 Pasal 2 ayat (1)"].questions) == (6, 2)
        assert rows["UU 21/2007 Pasal 2 ayat (1)"].share_correct == 50
        assert (rows["UU 21/2007 Pasal 18"].answered, rows["UU 21/2007 Pasal 18"].share_correct) == (3, 67)

    def test_the_answer_keeps_the_provisions_it_was_graded_under(self, quiz_setup):
        module, agency = quiz_setup
        question = module.questions.get(text="Korban dipaksa?")
        question.provisions.set([])  # a trainer re-tags the question later
        rows = {row.label: row for row in statistics.provision_statistics(agency)}
        assert rows["UU 21/2007 Pasal 18"].answered == 3

    def test_provision_statistics_query_count_is_constant(self, quiz_setup, django_assert_num_queries):
        module, agency = quiz_setup
        with django_assert_num_queries(4):
            statistics.provision_statistics(agency)
        law = LegalBasisFactory(code="UU-6-2011", short_name="UU 6/2011")
        more = [LegalProvisionFactory(legal_basis=law, pasal=str(n)) for n in range(110, 125)]
        officer = make_officer()
        course = make_course(catalog=module.get_parent().get_parent().specific, agency=agency, slug="kursus-lain")
        other = make_module(
            course=course,
            title="Kuis lain",
            questions=[{"text": f"Soal {p.pasal}?", "provisions": [p], "choices": [("Ya", True), ("Tidak", False)]} for p in more],
        )
        enrollment_create(user=officer, course=course)
        answer(officer, other, {"Ya"})
        with django_assert_num_queries(4):
            rows = statistics.provision_statistics(agency)
        assert len(rows) == 2 + 15

    def test_query_count_does_not_grow_with_questions(self, quiz_setup, django_assert_max_num_queries):
        module, _agency = quiz_setup
        with django_assert_max_num_queries(4):
            statistics.quiz_statistics(module)


class TestQuizStatisticsPages:
    def test_own_agency_trainer_sees_item_analysis(self, client, quiz_setup):
        module, _agency = quiz_setup
        trainer = UserFactory(groups=[roles.TRAINER_IMIGRASI])
        client.force_login(trainer)
        index = client.get("/admin/statistik-kuis/")
        assert index.status_code == 200
        assert "Kuis TPPO" in index.content.decode()
        assert "UU 21/2007 Pasal 18" in index.content.decode()  # item analysis per provision
        detail = client.get(f"/admin/statistik-kuis/{module.pk}/").content.decode()
        assert "Analisis butir soal" in detail
        assert "1–7 tahun" in detail and "67%" in detail

    def test_trainer_of_another_agency_is_refused(self, client, quiz_setup):
        module, _agency = quiz_setup
        AgencyFactory(code="POLRI", short_name="Polri")
        client.force_login(UserFactory(groups=[roles.TRAINER_POLRI]))
        index = client.get("/admin/statistik-kuis/").content.decode()
        assert "Kuis TPPO" not in index
        response = client.get(f"/admin/statistik-kuis/{module.pk}/")
        assert response.status_code in (302, 403)
        assert "Analisis butir soal" not in response.content.decode()

    def test_officer_cannot_open_admin_statistics(self, client, quiz_setup):
        module, _agency = quiz_setup
        client.force_login(make_officer())
        response = client.get(f"/admin/statistik-kuis/{module.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
