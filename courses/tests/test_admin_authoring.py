import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CoursePage, ModulePage, Question
from lms import roles
from lms.tests.factories import AgencyFactory, LegalBasisFactory, LegalProvisionFactory, UserFactory

pytestmark = pytest.mark.django_db

LESSON_TEXT = "Calon pekerja migran wajib berangkat melalui jalur resmi."
CASE_TEXT = "Seorang warga ditawari kerja ke luar negeri tanpa kontrak."


@pytest.fixture
def authoring(catalog):
    roles.sync_role_permissions()
    roles.sync_catalog(catalog=catalog)
    law = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    return {
        "catalog": catalog,
        "agency": AgencyFactory(code="IMI", short_name="Imigrasi"),
        "law": law,
        "pasal2_1": LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1"),
        "pasal2": LegalProvisionFactory(legal_basis=law, pasal="2"),
    }


@pytest.fixture
def trainer(authoring):
    return UserFactory(groups=[roles.TRAINER_IMIGRASI])


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def add_url(model: str, parent) -> str:
    return f"/admin/pages/add/courses/{model}/{parent.pk}/"


def course_form(authoring, *, title="Pencegahan TPPO di Desa", slug="pencegahan-tppo", **extra) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "agency": authoring["agency"].pk,
            "summary": "Mengenali dan mencegah perdagangan orang sejak dari desa.",
            "description": rich_text("<p>Kursus dasar bagi Pimpasa.</p>"),
            "level": "dasar",
            "duration_minutes": "90",
            "lesson_hours": "2",
            "validity_months": "",
            **extra,
        }
    )
    data["legal_bases"] = [str(authoring["law"].pk)]  # a multiple-value field, not a formset
    return data


def module_form(authoring, citation=None, **extra) -> dict:
    data = _module_form(authoring, citation, **extra)
    data["questions-0-provisions"] = [authoring["pasal2"].pk]  # a multiple choice: one key, several values
    return data


def _module_form(authoring, citation=None, **extra) -> dict:
    return nested_form_data(
        {
            "title": "Jalur Migrasi Resmi",
            "slug": "jalur-migrasi-resmi",
            "summary": "Apa yang membedakan migrasi resmi dari yang berisiko.",
            "duration_minutes": "25",
            "body": streamfield(
                [
                    ("paragraph", rich_text(f"<p>{LESSON_TEXT}</p>")),
                    ("heading", {"text": "Dasar hukum", "level": "h2"}),
                    (
                        "legal_citation",
                        citation
                        or {"provision": authoring["pasal2_1"].pk, "mode": "summary", "text": "Setiap orang yang merekrut ..."},
                    ),
                    (
                        "case_study",
                        {"kind": "case_study", "title": "Tawaran kerja", "text": rich_text(f"<p>{CASE_TEXT}</p>")},
                    ),
                ]
            ),
            "quiz_pass_mark": "70",
            "quiz_max_attempts": "3",
            "quiz_time_limit_minutes": "",
            "quiz_question_order": "fixed",
            "quiz_draw_count": "0",
            "quiz_review_policy": "after_pass_or_last",
            "questions": inline_formset(
                [
                    {
                        "text": "Berapa ancaman pidana minimum Pasal 2 UU 21/2007?",
                        "kind": "single",
                        "points": "1",
                        "legal_basis": "",
                        "provision_note": "",
                        "explanation": "Pidana penjara paling singkat 3 tahun.",
                        "choices": inline_formset(
                            [{"text": "3 tahun", "is_correct": "on"}, {"text": "1 tahun"}], min=2
                        ),
                    }
                ]
            ),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            **extra,
        }
    )


def create_course(client, authoring, **extra) -> CoursePage:
    response = client.post(add_url("coursepage", authoring["catalog"]), course_form(authoring, **extra))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return CoursePage.objects.get(slug=extra.get("slug", "pencegahan-tppo"))


def create_module(client, authoring, course, **extra) -> ModulePage:
    response = client.post(add_url("modulepage", course), module_form(authoring, **extra))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ModulePage.objects.child_of(course).get(slug="jalur-migrasi-resmi")


class TestTrainerAuthoring:
    def test_trainer_creates_a_course_as_a_draft(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        assert not course.live
        assert course.get_parent().pk == authoring["catalog"].pk
        draft = course.get_latest_revision().as_object()
        assert draft.title == "Pencegahan TPPO di Desa"
        assert draft.agency.code == "IMI"
        assert [basis.code for basis in draft.legal_bases.all()] == ["UU-21-2007"]

    def test_trainer_creates_a_module_with_lesson_blocks_and_a_quiz(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        module = create_module(trainer_client, authoring, course)
        assert not module.live

        draft = module.get_latest_revision().as_object()
        assert [block.block_type for block in draft.body] == ["paragraph", "heading", "legal_citation", "case_study"]
        paragraph, heading, citation, case_study = draft.body
        assert LESSON_TEXT in paragraph.value.source
        assert heading.value["text"] == "Dasar hukum"
        assert citation.value["provision"] == authoring["pasal2_1"]
        assert citation.value["mode"] == "summary"
        assert CASE_TEXT in case_study.value["text"].source

        [question] = draft.questions.all()
        assert question.provision_label == "UU 21/2007 Pasal 2"
        assert [(choice.text, choice.is_correct) for choice in question.choices.all()] == [
            ("3 tahun", True),
            ("1 tahun", False),
        ]
        assert Question.objects.filter(page=module).count() == 1

    def test_module_with_a_question_without_a_correct_choice_is_refused(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        data = module_form(authoring)
        del data["questions-0-choices-0-is_correct"]
        response = trainer_client.post(add_url("modulepage", course), data)
        assert response.status_code == 200
        assert "Soal ini belum memiliki jawaban benar." in response.content.decode()
        assert not ModulePage.objects.exists()

    def test_final_exam_with_a_question_can_be_saved(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        module = create_module(trainer_client, authoring, course, is_final_exam="on")
        assert module.is_final_exam
        assert module.questions.count() == 1

    def test_trainer_previews_the_draft_module(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        module = create_module(trainer_client, authoring, course)
        preview_url = f"/admin/pages/{module.pk}/edit/preview/"

        response = trainer_client.post(preview_url, module_form(authoring))
        assert response.status_code == 200
        assert response.json() == {"is_valid": True, "is_available": True}

        response = trainer_client.get(preview_url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Jalur Migrasi Resmi" in html
        assert LESSON_TEXT in html
        assert CASE_TEXT in html
        assert "Pasal 2 ayat (1)" in html

    def test_trainer_cannot_publish(self, trainer_client, trainer, authoring):
        course = create_course(trainer_client, authoring)
        module = create_module(trainer_client, authoring, course)
        assert not course.permissions_for_user(trainer).can_publish()
        assert not module.permissions_for_user(trainer).can_publish()
        assert course.permissions_for_user(trainer).can_edit()

        trainer_client.post(
            f"/admin/pages/{course.pk}/edit/", course_form(authoring, **{"action-publish": "action-publish"})
        )
        course.refresh_from_db()
        assert not course.live

    def test_drafts_stay_out_of_the_catalog(self, trainer_client, authoring):
        create_course(trainer_client, authoring)
        assert "Pencegahan TPPO di Desa" not in Client().get("/kursus/").content.decode()


class TestSuperuserPublishing:
    def test_superuser_creates_and_publishes_a_course_that_appears_in_the_catalog(self, client, authoring):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        course = create_course(client, authoring, **{"action-publish": "action-publish"})
        assert course.live
        module = create_module(client, authoring, course, **{"action-publish": "action-publish"})
        assert module.live

        catalog = Client().get("/kursus/").content.decode()
        assert "Pencegahan TPPO di Desa" in catalog
        assert "1 modul" in catalog
        assert "UU 21/2007" in catalog
