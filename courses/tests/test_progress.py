import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages

from courses.models import Enrollment, ModuleProgress
from courses.signals import course_completed
from courses.tests.builders import make_course, make_module, quiz_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalog):
    course = make_course(catalog=catalog, title="Migrasi Aman dan Prosedural")
    for title in ("Mengenal Migrasi Aman", "Dokumen Resmi CPMI", "Melapor Kasus"):
        make_module(course=course, title=title)
    return course


@pytest.fixture
def completions():
    """Every course_completed event sent during the test, as its kwargs."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(receiver, weak=False)
    yield received
    course_completed.disconnect(receiver)


def modules_of(course):
    return list(course.get_modules())


def enrol(client, course):
    return client.post(course.url + course.reverse_subpage("enrol"), follow=True)


def complete(client, module):
    """Press "Tandai selesai" on the module page."""
    return client.post(module.url + module.reverse_subpage("complete"), follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def module_badges(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        item.select_one(".module-title").get_text(strip=True): item.select_one(".badge").get_text(strip=True)
        for item in soup.select("ol.module-list li.module")
    }


def progress_value(response) -> str | None:
    bar = BeautifulSoup(response.content, "html.parser").select_one("progress")
    return bar["value"] if bar else None


def my_learning(client) -> dict[str, dict]:
    response = client.get("/my/learning/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    result = {}
    for item in soup.select("ul.my-courses li"):
        button = item.select_one("a.button")
        result[item.select_one(".card-title").get_text(strip=True)] = {
            "percent": item.select_one("progress")["value"],
            "next": button["href"] if button else None,
            "text": item.get_text(" ", strip=True),
        }
    return result


class TestAnonymous:
    def test_enrolling_sends_to_login(self, client, course):
        response = client.post(course.url + "daftar/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
        assert not Enrollment.objects.exists()

    def test_opening_a_module_sends_to_login(self, client, course):
        first = modules_of(course)[0]
        response = client.get(first.url)
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={first.url}"

    def test_course_page_offers_login_to_enrol(self, client, course):
        response = client.get(course.url)
        assert "Masuk untuk mendaftar" in response.content.decode()
        assert set(module_badges(response).values()) == {"Terkunci"}


class TestEnrolment:
    def test_officer_enrols(self, client, officer, course):
        client.force_login(officer)
        response = enrol(client, course)
        assert response.redirect_chain[-1][0] == course.url
        assert "Anda terdaftar di kursus ini. Selamat belajar!" in messages_of(response)
        assert Enrollment.objects.filter(user=officer, course=course).count() == 1
        assert progress_value(response) == "0"

    def test_enrolling_twice_keeps_one_enrolment(self, client, officer, course):
        client.force_login(officer)
        enrol(client, course)
        enrol(client, course)
        assert Enrollment.objects.filter(user=officer, course=course).count() == 1

    def test_get_on_enrol_url_does_not_enrol(self, client, officer, course):
        client.force_login(officer)
        response = client.get(course.url + "daftar/")
        assert response.status_code == 302
        assert not Enrollment.objects.exists()

    def test_officer_not_enrolled_cannot_open_a_module(self, client, officer, course):
        client.force_login(officer)
        response = client.get(modules_of(course)[0].url, follow=True)
        assert response.redirect_chain[-1][0] == course.url
        assert "Daftar ke kursus ini terlebih dahulu untuk membuka modulnya." in messages_of(response)

    def test_prerequisite_must_be_completed_first(self, client, officer, catalog):
        basic = make_course(catalog=catalog, title="Dasar-Dasar Pimpasa")
        basic_module = make_module(course=basic, title="Pengantar")
        advanced = make_course(catalog=catalog, title="Pimpasa Lanjutan", modules=1)
        advanced.prerequisites.set([basic])
        advanced.save_revision().publish()
        client.force_login(officer)

        response = enrol(client, advanced)
        assert "Selesaikan dulu kursus prasyarat: Dasar-Dasar Pimpasa." in messages_of(response)
        assert not Enrollment.objects.filter(course=advanced).exists()
        assert "Daftar kursus ini" in response.content.decode()

        enrol(client, basic)
        complete(client, basic_module)
        response = enrol(client, advanced)
        assert "Anda terdaftar di kursus ini. Selamat belajar!" in messages_of(response)
        assert Enrollment.objects.filter(user=officer, course=advanced).exists()


class TestModuleOrder:
    def test_later_module_is_locked_until_the_earlier_one_is_complete(self, client, officer, course):
        first, second, _third = modules_of(course)
        client.force_login(officer)
        enrol(client, course)

        response = client.get(second.url, follow=True)
        assert response.redirect_chain == [(course.url, 302)]
        assert "Selesaikan modul sebelumnya terlebih dahulu; modul dibuka secara berurutan." in messages_of(response)

        complete(client, first)
        response = client.get(second.url)
        assert response.status_code == 200
        assert "Dokumen Resmi CPMI" in response.content.decode()

    def test_skipping_ahead_by_posting_complete_is_refused(self, client, officer, course):
        _first, _second, third = modules_of(course)
        client.force_login(officer)
        enrol(client, course)
        complete(client, third)
        assert not ModuleProgress.objects.filter(module=third, completed_at__isnull=False).exists()


class TestCompletingModules:
    def test_module_without_quiz_completes_and_leads_to_the_next(self, client, officer, course):
        first, second, _third = modules_of(course)
        client.force_login(officer)
        enrol(client, course)
        assert "Tandai selesai" in client.get(first.url).content.decode()

        response = complete(client, first)
        assert response.redirect_chain[-1][0] == second.url
        assert "Modul ditandai selesai." in messages_of(response)
        assert ModuleProgress.objects.get(user=officer, module=first).completed_at is not None
        assert "Modul ini sudah selesai." in client.get(first.url).content.decode()

    def test_module_with_quiz_cannot_be_marked_complete(self, client, officer, catalog):
        course = make_course(catalog=catalog, title="Kursus Berkuis")
        module = make_module(course=course, title="Modul Berkuis", questions=quiz_questions(2))
        client.force_login(officer)
        enrol(client, course)

        page = client.get(module.url).content.decode()
        assert "Mulai kuis" in page
        assert "Tandai selesai" not in page

        response = complete(client, module)
        assert "Modul ini selesai setelah Anda lulus kuisnya." in messages_of(response)
        assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()
        assert Enrollment.objects.get(user=officer, course=course).completed_at is None

    def test_completing_every_module_completes_the_course_once(
        self, client, officer, course, completions, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        enrol(client, course)
        first, second, third = modules_of(course)
        for module in (first, second):
            with django_capture_on_commit_callbacks(execute=True):
                complete(client, module)
        assert Enrollment.objects.get(user=officer, course=course).completed_at is None
        assert completions == []

        with django_capture_on_commit_callbacks(execute=True):
            response = complete(client, third)
        with django_capture_on_commit_callbacks(execute=True):
            complete(client, third)  # a second press changes nothing

        enrollment = Enrollment.objects.get(user=officer, course=course)
        assert enrollment.completed_at is not None
        assert len(completions) == 1
        assert completions[0]["user"] == officer
        assert completions[0]["course"].pk == course.pk
        assert completions[0]["enrollment"].pk == enrollment.pk
        assert response.redirect_chain[-1][0] == course.url
        page = client.get(course.url).content.decode()
        assert "Anda telah menyelesaikan kursus ini." in page


class TestProgressDisplay:
    def test_course_page_shows_each_module_state_and_the_percentage(self, client, officer, course):
        first, second, _third = modules_of(course)
        client.force_login(officer)
        before = client.get(course.url)
        assert progress_value(before) is None
        assert "Daftar kursus ini" in before.content.decode()

        enrol(client, course)
        complete(client, first)
        client.get(second.url)  # opened, not finished

        response = client.get(course.url)
        assert module_badges(response) == {
            "Mengenal Migrasi Aman": "Selesai",
            "Dokumen Resmi CPMI": "Sedang dipelajari",
            "Melapor Kasus": "Terkunci",
        }
        assert progress_value(response) == "33"
        html = response.content.decode()
        assert "33% selesai" in html
        assert "Lanjutkan: Dokumen Resmi CPMI" in html

    def test_my_learning_lists_courses_with_percentage_and_next_module(self, client, officer, catalog, course):
        short = make_course(catalog=catalog, title="Kursus Singkat TPPO")
        short_first = make_module(course=short, title="Apa itu TPPO")
        make_module(course=short, title="Gugus Tugas")
        client.force_login(officer)
        assert "Anda belum mendaftar kursus apa pun." in client.get("/my/learning/").content.decode()

        enrol(client, course)
        enrol(client, short)
        complete(client, short_first)

        courses = my_learning(client)
        assert set(courses) == {"Migrasi Aman dan Prosedural", "Kursus Singkat TPPO"}
        assert courses["Kursus Singkat TPPO"]["percent"] == "50"
        assert courses["Kursus Singkat TPPO"]["next"] == short.get_modules()[1].url
        assert "Buka modul berikutnya: Gugus Tugas" in courses["Kursus Singkat TPPO"]["text"]
        assert courses["Migrasi Aman dan Prosedural"]["percent"] == "0"
        assert courses["Migrasi Aman dan Prosedural"]["next"] == modules_of(course)[0].url

    def test_my_learning_marks_a_finished_course(self, client, officer, course):
        client.force_login(officer)
        enrol(client, course)
        for module in modules_of(course):
            complete(client, module)
        entry = my_learning(client)["Migrasi Aman dan Prosedural"]
        assert entry["percent"] == "100"
        assert entry["next"] is None
        assert "Selesai" in entry["text"]


class TestProgressIsPersonal:
    def test_officers_do_not_see_each_others_progress(self, client, officer, other_officer, course):
        first, second, _third = modules_of(course)
        client.force_login(officer)
        enrol(client, course)
        complete(client, first)
        complete(client, second)
        assert progress_value(client.get(course.url)) == "67"

        client.force_login(other_officer)
        response = client.get(course.url)
        assert progress_value(response) is None
        assert "Daftar kursus ini" in response.content.decode()
        assert set(module_badges(response).values()) == {"Terkunci"}
        assert my_learning(client) == {}
        assert "Anda belum mendaftar kursus apa pun." in client.get("/my/learning/").content.decode()

        enrol(client, course)
        response = client.get(course.url)
        assert progress_value(response) == "0"
        assert list(module_badges(response).values()) == ["Terbuka", "Terkunci", "Terkunci"]
        assert my_learning(client)["Migrasi Aman dan Prosedural"]["percent"] == "0"
        assert client.get(second.url).status_code == 302


class TestOpeningAModule:
    def test_first_visit_marks_the_module_as_being_studied(self, client, officer, course):
        first, _second, _third = modules_of(course)
        client.force_login(officer)
        enrol(client, course)
        assert not ModuleProgress.objects.filter(user=officer, module=first).exists()
        assert client.get(first.url).status_code == 200
        assert ModuleProgress.objects.filter(user=officer, module=first, completed_at__isnull=True).count() == 1
        client.get(first.url)
        assert ModuleProgress.objects.filter(user=officer, module=first).count() == 1
        assert list(module_badges(client.get(course.url)).values()) == ["Sedang dipelajari", "Terkunci", "Terkunci"]

    def test_last_activity_is_recorded_at_most_every_few_minutes(self, client, officer, course):
        import datetime

        from django.utils import timezone

        from courses.services import ACTIVITY_RESOLUTION

        first = modules_of(course)[0]
        client.force_login(officer)
        enrol(client, course)
        enrollment = Enrollment.objects.get(user=officer, course=course)

        recent = timezone.now() - ACTIVITY_RESOLUTION / 2
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=recent)
        client.get(first.url)
        enrollment.refresh_from_db()
        assert enrollment.last_activity_at == recent  # a page view a moment ago is recent enough

        stale = timezone.now() - ACTIVITY_RESOLUTION - datetime.timedelta(seconds=1)
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=stale)
        before = timezone.now()
        client.get(first.url)
        enrollment.refresh_from_db()
        assert enrollment.last_activity_at >= before


class TestUserBar:
    """Wagtail's user bar (edit this page) is for those who may edit; officers never pay for its checks."""

    def test_officer_sees_no_user_bar(self, client, officer, course, django_assert_max_num_queries):
        client.force_login(officer)
        enrol(client, course)
        response = client.get(modules_of(course)[0].url)
        assert "wagtail-userbar" not in response.content.decode()

    def test_a_trainer_of_the_course_sees_it(self, client, course):
        from lms import roles
        from lms.tests.factories import UserFactory

        roles.sync_catalog(catalog=course.get_parent())
        roles.sync_course_permissions(course=course)
        trainer = UserFactory(groups=[roles.TRAINER_IMIGRASI])
        client.force_login(trainer)
        response = client.get(course.url)
        assert response.status_code == 200
        assert "wagtail-userbar" in response.content.decode()
