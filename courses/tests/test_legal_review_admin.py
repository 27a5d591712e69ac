"""The "Perlu ditinjau" list as trainers and reviewers use it in the Wagtail admin, and the notice officers see."""

import datetime

import pytest
import time_machine
from wagtail.models import PageLogEntry

from courses import services
from courses.models import ContentReview, QuestionHold
from courses.tests.builders import make_module, quiz_questions
from courses.tests.legal_scene import make_scene, record_change, tagged
from courses.tests.test_admin_authoring import module_form
from lms import audit
from lms.tests.factories import make_officer
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db

LIST = "/admin/perlu-ditinjau/"


@pytest.fixture
def scene(catalog):
    return make_scene(catalog)


@pytest.fixture
def change(scene):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        return record_change(scene)


def denied(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == "/admin/"


def review_of(module):
    return ContentReview.objects.get(module=module)


def test_each_trainer_sees_only_their_agencys_open_reviews_and_reviewers_see_all(client, scene, change):
    client.force_login(scene.imi_trainer)
    page = client.get(LIST).content.decode()
    assert "Sanksi pidana TPPO" in page and "Bacaan dasar hukum" in page and "Penyidikan" not in page
    assert "KUHP (UU 1/2023)" in page and "UU 21/2007 Pasal 2 ayat (1)" in page
    assert "0 blok pelajaran,\n            2 soal (2 ditahan)" in page
    assert "1 blok pelajaran,\n            0 soal" in page
    client.force_login(scene.polri_trainer)
    page = client.get(LIST).content.decode()
    assert "Penyidikan" in page and "Sanksi pidana TPPO" not in page
    assert denied(client.get(f"{LIST}{review_of(scene.penalties).pk}/"))
    detail = client.get(f"{LIST}{review_of(scene.polri_module).pk}/").content.decode()
    assert f"/admin/dampak-hukum/perubahan/{change.pk}/" in detail and "Konfirmasi soal" in detail
    client.force_login(scene.reviewer)
    page = client.get(LIST).content.decode()
    assert "Penyidikan" in page and "Sanksi pidana TPPO" in page


def test_the_count_is_in_the_menu_and_on_the_dashboard(client, scene, change):
    client.force_login(scene.imi_trainer)
    dashboard = client.get("/admin/").content.decode()
    assert "Perlu ditinjau (2)" in dashboard
    assert "2 modul perlu ditinjau karena perubahan peraturan." in dashboard
    client.force_login(scene.reviewer)
    assert "Perlu ditinjau (3)" in client.get("/admin/").content.decode()


def test_an_officer_sees_no_review_list(client, scene, change):
    client.force_login(make_officer())
    assert client.get(LIST).status_code == 302


def test_a_trainer_confirms_a_question_with_a_comment_and_it_is_drawn_again(client, scene, change):
    client.force_login(scene.imi_trainer)
    question = tagged(scene.penalties, scene.pasal2)[0]
    hold = QuestionHold.objects.get(question=question)
    url = f"{LIST}soal/{hold.pk}/konfirmasi/"
    refused = client.post(url, {"comment": " "}, follow=True)
    assert "Tulis komentar" in refused.content.decode()
    hold.refresh_from_db()
    assert hold.is_active
    client.force_login(scene.polri_trainer)
    assert denied(client.post(url, {"comment": "Bukan instansi saya."}))
    client.force_login(scene.imi_trainer)
    done = client.post(url, {"comment": "Soal tentang unsur, tetap benar."}, follow=True)
    assert "Soal dikonfirmasi" in done.content.decode()
    hold.refresh_from_db()
    assert not hold.is_active and hold.released_by == scene.imi_trainer
    assert PageLogEntry.objects.filter(page=scene.penalties, action=audit.QUESTION_CONFIRMED, user=scene.imi_trainer).exists()


def test_a_trainer_clears_a_review_as_updated_only_after_saving_a_new_revision(client, scene, change):
    client.force_login(scene.imi_trainer)
    review = review_of(scene.penalties)
    url = f"{LIST}{review.pk}/"
    for hold in QuestionHold.objects.filter(question__page=scene.penalties):
        client.post(f"{LIST}soal/{hold.pk}/konfirmasi/", {"comment": "Tetap benar."})
    missing = client.post(url, {"resolution": "diperbarui", "comment": ""})
    assert missing.status_code == 400
    refused = client.post(url, {"resolution": "diperbarui", "comment": "Sudah diperbarui."})
    assert refused.status_code == 400 and "Belum ada revisi modul ini" in refused.content.decode()
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC), tick=False):
        form = module_form(
            {"law": scene.pasal2.legal_basis, "pasal2": scene.pasal2, "pasal2_1": scene.pasal2},
            title=scene.penalties.title, slug=scene.penalties.slug, summary="Diperbarui: KUHP Pasal 457.",
        )
        saved = client.post(f"/admin/pages/{scene.penalties.pk}/edit/", form)
    assert saved.status_code == 302
    cleared = client.post(url, {"resolution": "diperbarui", "comment": "Ancaman pidana kini menurut KUHP Pasal 457."})
    assert cleared.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.resolution, review.cleared_by) == ("cleared", "diperbarui", scene.imi_trainer)
    page = client.get(LIST).content.decode()
    still_open, recently_cleared = page.split("Baru selesai ditinjau")
    assert f"{LIST}{review.pk}/" in recently_cleared and f"{LIST}{review.pk}/" not in still_open
    assert "Ancaman pidana kini menurut KUHP Pasal 457." in page
    entry = PageLogEntry.objects.get(page=scene.penalties, action=audit.LEGAL_REVIEW_CLEARED)
    assert entry.user == scene.imi_trainer


def test_the_module_edit_page_names_the_review_and_warns_of_a_short_quiz(client, scene, change):
    client.force_login(scene.imi_trainer)
    edit = client.get(f"/admin/pages/{scene.penalties.pk}/edit/").content.decode()
    assert "Modul ini perlu ditinjau karena perubahan peraturan: KUHP (UU 1/2023)" in edit
    # The quiz draws every question: with 2 of its 4 held, a new attempt is half as long.
    assert "percobaan baru hanya menarik 2 dari 4 soal" in edit
    scene.penalties.quiz_draw_count = 3
    scene.penalties.save_revision().publish()
    edit = client.get(f"/admin/pages/{scene.penalties.pk}/edit/").content.decode()
    assert "percobaan baru hanya menarik 2 dari 3 soal" in edit
    assert "percobaan baru hanya menarik 2 dari 3 soal" in client.get(LIST).content.decode()
    untouched = client.get(f"/admin/pages/{scene.untouched.pk}/edit/").content.decode()
    assert "perlu ditinjau karena perubahan peraturan" not in untouched


def test_officers_see_the_notice_on_the_module_and_course_until_the_review_is_cleared(client, scene, change):
    officer = make_officer()
    client.force_login(officer)
    client.post(scene.imi_course.url + "daftar/")
    notice = "Materi ini sedang ditinjau karena perubahan peraturan: KUHP (UU 1/2023) (berlaku 2 Januari 2026)"
    course_page = client.get(scene.imi_course.url).content.decode()
    assert notice in course_page and "Modul yang sedang ditinjau: Sanksi pidana TPPO, Bacaan dasar hukum." in course_page
    assert notice in client.get(scene.penalties.url).content.decode()
    client.logout()
    assert notice in client.get(scene.imi_course.url).content.decode()  # anonymous visitors too (a shared page)
    for hold in QuestionHold.objects.filter(question__page=scene.penalties):
        hold.__class__.objects.filter(pk=hold.pk).update(released_at=hold.created_at, comment="ok")
    client.force_login(scene.imi_trainer)
    client.post(f"{LIST}{review_of(scene.penalties).pk}/", {"resolution": "dikonfirmasi", "comment": "Tetap sesuai."})
    client.logout()
    course_page = client.get(scene.imi_course.url).content.decode()
    assert "Modul yang sedang ditinjau: Bacaan dasar hukum." in course_page  # still under review
    client.force_login(scene.imi_trainer)
    client.post(f"{LIST}{review_of(scene.reading).pk}/", {"resolution": "dikonfirmasi", "comment": "Ringkasan tetap benar."})
    client.logout()
    assert notice not in client.get(scene.imi_course.url).content.decode()
    client.force_login(officer)
    assert notice not in client.get(scene.penalties.url).content.decode()


def test_an_officer_is_told_when_a_quiz_is_shorter_or_cannot_be_taken(client, scene, change):
    officer = make_officer()
    client.force_login(officer)
    client.post(scene.polri_course.url + "daftar/")
    page = client.get(scene.polri_module.url).content.decode()
    assert "Mulai kuis" in page  # 1 of its 2 questions is held: the quiz is shorter, and says so
    assert "Untuk sementara kuis ini berisi 1 soal, bukan 2" in page
    scene.tag(scene.polri_module, 2, scene.pasal2)
    QuestionHold.objects.create(question=tagged(scene.polri_module, scene.pasal2)[1], change=change)
    page = client.get(scene.polri_module.url).content.decode()
    assert "kuis belum dapat dikerjakan" in page and "Mulai kuis" not in page
    refused = client.post(scene.polri_module.url + "kuis/", follow=True).content.decode()
    assert "kuis belum dapat dikerjakan" in refused


def test_the_review_list_costs_the_same_with_many_reviews(client, scene, change, django_assert_num_queries):
    client.force_login(scene.reviewer)

    def grow():
        for n in range(15):
            module = make_module(course=scene.imi_course, title=f"Modul tambahan {n}", questions=quiz_questions(2))
            scene.tag(module, 1, scene.pasal2)
        services.legal_review_open(change, user=scene.reviewer)

    _small, large = assert_flat_query_count(django_assert_num_queries, small=lambda: client.get(LIST), grow=grow)
    assert large.content.decode().count("Modul tambahan") == 15
