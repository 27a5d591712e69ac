"""A module published after an officer completed the course (issue 13, item 14).

The rule (courses.selectors.course_progress): a completed course stays completed and its
certificate stands; a module published later is "Baru", open and optional until the
next renewal, when every live module counts again. Every page shows it the same way:
My learning, the catalog, the course and module pages, HR's officer page, the HR
dashboard's counts and the registry export.
"""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup

from certificates.models import Certificate
from hr.tests.builders import make_hr_user
from courses.models import Enrollment
from courses.services import enrollment_create, enrollment_renew, module_complete
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
# Both are 1 November 2026 in Jakarta (UTC+7): the evening before in UTC, and the morning.
COMPLETED_AT = {
    "20utc": datetime.datetime(2026, 10, 31, 20, 0, tzinfo=UTC),
    "02utc": datetime.datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
}
LATER = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
NEW_NOTE = "Terbit setelah Anda menyelesaikan kursus ini"


@pytest.fixture(params=COMPLETED_AT.values(), ids=COMPLETED_AT.keys())
def world(request, catalog, officer, client, django_capture_on_commit_callbacks):
    """Three modules completed (the certificate issued), then a fourth published."""
    course = make_course(catalog=catalog, title="Migrasi Aman", validity_months=24)
    done = [make_module(course=course, title=title) for title in ("Modul Satu", "Modul Dua", "Modul Tiga")]
    with time_machine.travel(request.param, tick=False):
        enrollment_create(user=officer, course=course)
        with django_capture_on_commit_callbacks(execute=True):
            for module in done:
                module_complete(user=officer, module=module)
    assert Certificate.objects.filter(holder=officer, course=course).count() == 1
    new = make_module(course=course, title="Modul Susulan", questions=quiz_questions(2))
    client.force_login(officer)
    with time_machine.travel(LATER, tick=False):
        yield {"course": course, "done": done, "new": new, "client": client, "officer": officer}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(response) -> str:
    return soup(response).get_text(" ", strip=True)


def module_badges(response) -> dict[str, str]:
    return {
        item.select_one(".module-title").get_text(strip=True): item.select_one(".badge").get_text(strip=True)
        for item in soup(response).select("ol.module-list li.module")
    }


def test_my_learning_keeps_the_course_completed_at_100_percent_and_notes_the_new_module(world):
    page = soup(world["client"].get("/my/learning/"))
    card = page.select_one("ul.my-courses li")
    assert card.select_one("progress")["value"] == "100"
    words = card.get_text(" ", strip=True)
    assert "100% selesai" in words and "75%" not in words
    assert "Selesai · 1 November 2026" in words
    assert "1 modul baru" in words and NEW_NOTE in words
    assert card.select_one("a.button") is None, "nothing is required: no 'next module' call to action"


def test_course_page_says_completed_and_marks_the_new_module_new(world):
    response = world["client"].get(world["course"].url)
    assert soup(response).select_one("progress")["value"] == "100"
    assert "Anda telah menyelesaikan kursus ini." in text(response)
    assert "1 modul baru" in text(response)
    assert module_badges(response) == {
        "Modul Satu": "Selesai", "Modul Dua": "Selesai", "Modul Tiga": "Selesai", "Modul Susulan": "Baru",
    }
    link = soup(response).find("a", string="Modul Susulan")
    assert link is not None and link["href"] == world["new"].url, "a new module is open, not locked"


def test_catalog_card_counts_every_module_and_shows_the_completion(world, catalog):
    card = soup(world["client"].get(catalog.url)).select_one("article.card")
    assert "4 modul" in card.get_text(" ", strip=True)
    assert card.select_one("progress")["value"] == "100"


def test_the_new_module_is_open_and_optional_and_doing_it_changes_nothing_earned(world):
    client, course, new, officer = world["client"], world["course"], world["new"], world["officer"]
    enrollment = Enrollment.objects.get(user=officer, course=course)
    page = text(client.get(new.url))
    assert "Modul ini terbit setelah Anda menyelesaikan kursus" in page
    assert "Mulai kuis" in page

    attempt_page = client.post(new.url + "kuis/", follow=True)
    assert attempt_page.redirect_chain[-1][0].startswith(new.url + "kuis/")
    module_complete(user=officer, module=new, by_quiz=True)  # passed
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at == enrollment.completed_at
    assert Certificate.objects.filter(holder=officer, course=course).count() == 1
    assert module_badges(client.get(course.url))["Modul Susulan"] == "Selesai"
    card = soup(client.get("/my/learning/")).select_one("ul.my-courses li").get_text(" ", strip=True)
    assert "100% selesai" in card and "modul baru" not in card


def test_a_new_module_placed_first_holds_nothing_back(world):
    new = world["new"]
    new.move(world["course"], pos="first-child")
    client = world["client"]
    for module in world["done"]:
        assert client.get(module.url).status_code == 200, module.title
    assert list(module_badges(client.get(world["course"].url)).items())[0] == ("Modul Susulan", "Baru")


def test_an_officer_still_learning_must_do_the_new_module_too(world, client, catalog):
    learner = make_officer()
    course, (first, second, third), new = world["course"], world["done"], world["new"]
    enrollment_create(user=learner, course=course)
    module_complete(user=learner, module=first)
    module_complete(user=learner, module=second)
    client.force_login(learner)

    response = client.get(course.url)
    assert soup(response).select_one("progress")["value"] == "50"  # 2 of 4
    assert module_badges(response)["Modul Susulan"] == "Terkunci"
    module_complete(user=learner, module=third)
    assert Enrollment.objects.get(user=learner, course=course).completed_at is None
    assert "modul baru" not in text(client.get("/my/learning/"))


def test_after_a_renewal_every_live_module_counts(world):
    client, course, officer = world["client"], world["course"], world["officer"]
    enrollment_renew(user=officer, course=course)
    response = client.get(course.url)
    assert soup(response).select_one("progress")["value"] == "0"
    assert module_badges(response) == {  # the first one was opened in the last cycle
        "Modul Satu": "Sedang dipelajari", "Modul Dua": "Terkunci", "Modul Tiga": "Terkunci", "Modul Susulan": "Terkunci",
    }
    assert "modul baru" not in text(response)


def test_hr_officer_page_shows_the_same_completion(world, client):
    client.force_login(make_hr_user())
    row = soup(client.get(f"/hr/petugas/{world['officer'].pk}/")).select("table.data")[0].select_one("tbody tr")
    words = row.get_text(" ", strip=True)
    assert row.select_one("progress")["value"] == "100"
    assert "3 dari 3 modul (100%)" in words
    assert "Selesai" in words
    assert "1 modul baru" in words and "tidak wajib sampai perpanjangan berikutnya" in words


def test_hr_dashboard_and_export_still_count_the_officer_as_certified(world, client):
    officer, course = world["officer"], world["course"]
    certificate = Certificate.objects.get(holder=officer, course=course)
    with time_machine.travel(LATER + datetime.timedelta(days=40), tick=False):  # inactive since
        client.force_login(make_hr_user())
        dashboard = client.get("/hr/")
        stalled = soup(dashboard).find(id="dropouts").find_next("table").get_text(" ", strip=True)
        assert course.title not in stalled, "a completed course is not a stalled one"
        registry = client.get("/hr/sertifikat/?status=valid")
        assert certificate.serial in text(registry)
        exported = b"".join(client.get("/hr/sertifikat/ekspor.csv").streaming_content).decode("utf-8-sig")
    line = next(line for line in exported.splitlines() if certificate.code in line)
    assert "Berlaku" in line
