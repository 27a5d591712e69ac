"""A trainer authoring a module's quiz in the Wagtail editor: what is refused, with which
message, and what is stored when the quiz is sound."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import Choice, ModulePage, Question
from courses.models.quiz import QuestionKind
from courses.tests.builders import make_course, make_module
from lms.tests.factories import LegalBasisFactory, LegalProvisionFactory

pytestmark = pytest.mark.django_db


def choices(*specs):
    """(text, correct) pairs as the nested choices formset; an unticked box is simply absent."""
    return inline_formset(
        [{"text": text, **({"is_correct": "on"} if correct else {})} for text, correct in specs], min=2
    )


def question(text, *specs, kind=QuestionKind.SINGLE, **fields):
    return {
        "text": text,
        "kind": kind,
        "points": "1",
        "legal_basis": "",
        "provision_note": "",
        "explanation": "",
        **fields,
        "choices": choices(*specs),
    }


GOOD = ("Tiga sampai lima belas tahun", True), ("Satu sampai tujuh tahun", False)


def module_post(questions, *, publish=True, **fields):
    data = {
        "title": "Modul TPPO",
        "slug": "modul-tppo",
        "summary": "Ringkasan.",
        "duration_minutes": "20",
        "body": streamfield([("heading", {"text": "Unsur TPPO", "level": "h2"})]),
        "quiz_pass_mark": "70",
        "quiz_max_attempts": "3",
        "quiz_time_limit_minutes": "",
        "quiz_draw_count": "0",
        "quiz_question_order": "fixed",
        "quiz_review_policy": "after_pass_or_last",
        "questions": inline_formset(questions),
        **fields,
    }
    if publish:
        data["action-publish"] = "action-publish"
    flat = nested_form_data(data)
    # a multiple choice (the provisions a question tests) is one key with several values
    for key in [key for key in flat if re.fullmatch(r"questions-\d+-provisions-\d+", key)]:
        flat.setdefault(key.rsplit("-", 1)[0], []).append(flat.pop(key))
    return flat


@pytest.fixture
def module(catalog):
    return make_module(course=make_course(catalog=catalog), title="Modul TPPO", slug="modul-tppo")


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("pelatih", "pelatih@pimpasa.example", "x"))
    return client


def edit(admin_client, module, data):
    return admin_client.post(f"/admin/pages/{module.pk}/edit/", data)


def refused(response, module):
    """The editor re-rendered with errors and nothing of the quiz reached the database."""
    assert response.status_code == 200
    assert Question.objects.filter(page=module).count() == 0
    assert not module.revisions.exists(), "no revision is saved from an invalid form"
    return response.content.decode()


def question_errors(response, index=0):
    return response.context["form"].formsets["questions"].forms[index].errors


class TestRefusedQuizzes:
    def test_question_without_a_correct_choice(self, admin_client, module):
        data = module_post([question("Ancaman pidana Pasal 2?", ("A", False), ("B", False), ("C", False))])
        response = edit(admin_client, module, data)

        message = "Soal ini belum memiliki jawaban benar. Centang satu pilihan yang benar."
        assert message in refused(response, module)
        assert question_errors(response)["kind"] == [message]

    def test_multiple_choice_question_without_a_correct_choice(self, admin_client, module):
        data = module_post([question("Dokumen perjalanan?", ("Paspor", False), ("SIM", False), kind=QuestionKind.MULTIPLE)])
        assert "Soal ini belum memiliki jawaban benar." in refused(edit(admin_client, module, data), module)

    def test_single_choice_question_with_two_correct_choices(self, admin_client, module):
        data = module_post([question("Ancaman pidana Pasal 2?", ("A", True), ("B", True), ("C", False))])
        page = refused(edit(admin_client, module, data), module)
        assert "Soal pilihan tunggal hanya boleh memiliki satu jawaban benar (saat ini 2)." in page

    def test_only_the_faulty_question_is_flagged(self, admin_client, module):
        data = module_post([question("Benar satu?", *GOOD), question("Salah dua?", ("A", True), ("B", True))])
        response = edit(admin_client, module, data)
        refused(response, module)
        assert question_errors(response, 0) == {}
        assert "kind" in question_errors(response, 1)

    @pytest.mark.parametrize(
        "specs",
        [(("Benar", True), ("Salah", False), ("Tidak tahu", False)), (("Benar", True), ("Salah", False), ("Ragu", False), ("Lain", False))],
        ids=["three", "four"],
    )
    def test_true_false_needs_exactly_two_choices(self, admin_client, module, specs):
        data = module_post([question("Korban TPPO tidak dipidana?", *specs, kind=QuestionKind.TRUE_FALSE)])
        assert "Soal Benar/Salah harus memiliki tepat dua pilihan." in refused(edit(admin_client, module, data), module)

    def test_true_false_with_one_choice(self, admin_client, module):
        data = module_post([question("Korban TPPO tidak dipidana?", ("Benar", True), kind=QuestionKind.TRUE_FALSE)])
        response = edit(admin_client, module, data)
        refused(response, module)
        assert question_errors(response)["kind"] == [
            "Soal harus memiliki setidaknya dua pilihan jawaban.",
            "Soal Benar/Salah harus memiliki tepat dua pilihan.",
        ]

    def test_a_choice_marked_for_deletion_does_not_count(self, admin_client, module):
        spec = question("Korban TPPO tidak dipidana?", ("Benar", True), ("Salah", False), ("Ragu", False), kind=QuestionKind.TRUE_FALSE)
        spec["choices"]["2"]["DELETE"] = "1"
        response = edit(admin_client, module, module_post([spec]))
        assert response.status_code == 302
        assert list(Choice.objects.filter(question__page=module).values_list("text", flat=True)) == ["Benar", "Salah"]

    def test_draw_count_larger_than_the_pool(self, admin_client, module):
        data = module_post([question("Satu?", *GOOD), question("Dua?", *GOOD)], quiz_draw_count="5")
        response = edit(admin_client, module, data)
        message = "Bank soal hanya berisi 2 soal; tidak bisa menarik 5 soal."
        assert message in refused(response, module)
        assert response.context["form"].errors["quiz_draw_count"] == [message]

    def test_draw_count_equal_to_the_pool_is_fine(self, admin_client, module):
        data = module_post([question("Satu?", *GOOD), question("Dua?", *GOOD)], quiz_draw_count="2")
        assert edit(admin_client, module, data).status_code == 302
        assert ModulePage.objects.get(pk=module.pk).quiz_draw_count == 2

    @pytest.mark.parametrize(
        ("mark", "message"),
        [("101", "Pastikan nilai ini lebih kecil dari atau sama dengan 100."), ("-1", "Pastikan nilai ini lebih besar dari atau sama dengan 0.")],
    )
    def test_pass_mark_outside_0_to_100(self, admin_client, module, mark, message):
        response = edit(admin_client, module, module_post([question("Satu?", *GOOD)], quiz_pass_mark=mark))
        assert message in refused(response, module)
        assert response.context["form"].errors["quiz_pass_mark"] == [message]
        assert ModulePage.objects.get(pk=module.pk).quiz_pass_mark == 70

    def test_final_exam_without_questions(self, admin_client, module):
        response = edit(admin_client, module, module_post([], is_final_exam="on"))
        assert "Ujian akhir harus memiliki setidaknya satu soal." in refused(response, module)


class TestSavedQuiz:
    def test_valid_quiz_is_stored_with_its_legal_basis_and_provision(self, admin_client, module):
        law = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
        pasal = LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1")
        pasal18 = LegalProvisionFactory(legal_basis=law, pasal="18")
        data = module_post(
            [
                question(
                    "Ancaman pidana Pasal 2?",
                    *GOOD,
                    provisions=[str(pasal.pk), str(pasal18.pk)],
                    points="2",
                    explanation="Pidana penjara 3–15 tahun.",
                ),
                question("Dokumen perjalanan?", ("Paspor", True), ("Visa", True), ("SIM", False), kind=QuestionKind.MULTIPLE),
                question("Korban tidak dipidana?", ("Benar", True), ("Salah", False), kind=QuestionKind.TRUE_FALSE),
            ],
            quiz_pass_mark="80",
            quiz_draw_count="3",
        )
        response = edit(admin_client, module, data)
        assert response.status_code == 302

        saved = ModulePage.objects.get(pk=module.pk)
        assert (saved.quiz_pass_mark, saved.quiz_draw_count, saved.live) == (80, 3, True)
        questions = list(Question.objects.filter(page=module).order_by("sort_order"))
        assert [(q.text, q.kind, q.points) for q in questions] == [
            ("Ancaman pidana Pasal 2?", QuestionKind.SINGLE, 2),
            ("Dokumen perjalanan?", QuestionKind.MULTIPLE, 1),
            ("Korban tidak dipidana?", QuestionKind.TRUE_FALSE, 1),
        ]
        first = questions[0]
        assert (list(first.provisions.all()), first.explanation) == ([pasal, pasal18], "Pidana penjara 3–15 tahun.")
        assert first.provision_label == "UU 21/2007 Pasal 2 ayat (1); UU 21/2007 Pasal 18"
        assert [(c.text, c.is_correct) for c in questions[1].choices.order_by("sort_order")] == [
            ("Paspor", True),
            ("Visa", True),
            ("SIM", False),
        ]

    def test_preview_of_the_module_renders(self, admin_client, module):
        data = module_post([question("Satu?", *GOOD)], publish=False, title="Modul TPPO (draf)")
        url = f"/admin/pages/{module.pk}/edit/preview/"

        check = admin_client.post(url, data)
        assert check.status_code == 200
        assert check.json() == {"is_valid": True, "is_available": True}
        preview = admin_client.get(url)
        assert preview.status_code == 200
        page = preview.content.decode()
        assert "<h1>Modul TPPO (draf)</h1>" in page
        assert "Unsur TPPO" in page
