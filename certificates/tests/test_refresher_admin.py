"""The admin's list of refreshers (/admin/penyegaran/), as trainers, reviewers and admins use it:
who sees it, which agency's refreshers, what a row says, the filters, the search and the counts."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.utils import timezone

from certificates.models import Certificate
from certificates.refreshers import refreshers_require
from certificates.services import certificate_issue
from certificates.subjects import Subject
from courses import services as courses_services
from courses.models import Enrollment, ModuleProgress, Refresher
from courses.tests.legal_scene import make_scene, record_change
from lms import roles
from lms.tests.factories import UserFactory, make_officer

pytestmark = pytest.mark.django_db

LIST = "/admin/penyegaran/"
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def complete_course(user, course):
    """The officer did every module of `course` and holds its certificate, issued today."""
    Enrollment.objects.create(user=user, course=course)
    ModuleProgress.objects.bulk_create(
        ModuleProgress(user=user, module=module, course=course, completed_at=timezone.now())
        for module in course.get_modules()
    )
    Enrollment.objects.filter(user=user, course=course).update(completed_at=timezone.now())
    return certificate_issue(
        user=user, subject=Subject.of(course), issued_on=timezone.localdate())


@pytest.fixture
def world(catalog):
    """The legal scene (an Imigrasi and a Polri course, the KUHP changing UU 21/2007 Pasal 2 ayat (1)),
    three certificate holders, and HR ("sdm") requiring a refresher of each."""
    scene = make_scene(catalog)
    budi = make_officer(full_name="Budi Santoso", nip="198503122010011001")
    sari = make_officer(full_name="Sari Wulandari", nip="199002202015032002")
    tono = make_officer(full_name="Tono Prasetyo", nip="198807072012121003")
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False):  # certified a month ago
        certificates = [complete_course(user, scene.imi_course) for user in (budi, sari)]
        certificates.append(complete_course(tono, scene.polri_course))
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):  # the KUHP recorded since
        change = record_change(scene)
    hr = UserFactory(username="sdm", first_name="Siti", last_name="Rahma", groups=[roles.HR])
    report = refreshers_require(certificates=certificates, change=change, by=hr)
    assert len(report.created) == 3
    admin = UserFactory(username="admin-uji", is_superuser=True, is_staff=True)
    return {"scene": scene, "change": change, "budi": budi, "sari": sari, "tono": tono, "hr": hr, "admin": admin,
            "certificates": certificates}


def refresher_of(user) -> Refresher:
    return Refresher.objects.get(user=user)


def rows(response) -> dict[str, list[str]]:
    """Officer name → the text of each cell of their row."""
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    result = {}
    for tr in soup.select("tr.refresher-row"):
        cells = [" ".join(td.get_text(" ", strip=True).split()) for td in tr.select("td")]
        result[cells[0].split(" NIP ")[0]] = cells
    return result


def counts(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.select_one(".refresher-counts").get_text(" ", strip=True).split())


def links(response) -> set[str]:
    return {a["href"] for a in BeautifulSoup(response.content, "html.parser").select("tr.refresher-row a")}


def denied(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == "/admin/"


def test_who_may_see_the_list(client, world):
    scene = world["scene"]
    assert client.get(LIST).url.startswith("/admin/login/")
    for user in (world["budi"], world["hr"]):  # officers and HR have no admin access; HR's list is /hr/
        client.force_login(user)
        assert client.get(LIST).url.startswith("/admin/login/")
    no_role = UserFactory(username="staf-lain")
    no_role.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(no_role)  # in the admin, but neither trainer, reviewer nor HR
    assert denied(client.get(LIST))
    for user in (scene.imi_trainer, scene.polri_trainer, scene.reviewer, world["admin"]):
        client.force_login(user)
        assert client.get(LIST).status_code == 200


def test_a_user_in_hr_who_enters_the_admin_sees_every_agency(client, world):
    both = UserFactory(username="sdm-pelatih", groups=[roles.HR, roles.TRAINER_POLRI])
    client.force_login(both)
    assert set(rows(client.get(LIST))) == {"Budi Santoso", "Sari Wulandari", "Tono Prasetyo"}


def test_each_trainer_sees_their_agencys_refreshers_reviewers_and_admins_all(client, world):
    scene = world["scene"]
    client.force_login(scene.imi_trainer)
    response = client.get(LIST)
    assert set(rows(response)) == {"Budi Santoso", "Sari Wulandari"}
    assert counts(response) == "2 penyegaran: 2 belum selesai, 0 selesai."
    client.force_login(scene.polri_trainer)
    assert set(rows(client.get(LIST))) == {"Tono Prasetyo"}
    for user in (scene.reviewer, world["admin"]):
        client.force_login(user)
        response = client.get(LIST)
        assert set(rows(response)) == {"Budi Santoso", "Sari Wulandari", "Tono Prasetyo"}
        assert counts(response) == "3 penyegaran: 3 belum selesai, 0 selesai."


def test_a_trainer_cannot_filter_their_way_into_another_agency(client, world):
    scene = world["scene"]
    client.force_login(scene.imi_trainer)
    for query in ("instansi=POLRI", f"kursus={scene.polri_course.pk}"):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert rows(response) == {}
        assert "Saringan tidak dapat dipakai" in response.content.decode()
    options = BeautifulSoup(client.get(LIST).content, "html.parser")
    assert [o.get_text() for o in options.select("select[name=instansi] option")] == ["Semua instansi", "Imigrasi"]
    assert "Kursus Polri" not in [o.get_text() for o in options.select("select[name=kursus] option")]


def test_a_row_says_who_what_why_when_and_links_to_the_impact_and_the_certificate(client, world):
    scene, change, budi = world["scene"], world["change"], world["budi"]
    courses_services.refresher_mark_reminded(refresher=refresher_of(budi))
    client.force_login(scene.imi_trainer)
    response = client.get(LIST)
    cells = rows(response)["Budi Santoso"]
    certificate = Certificate.objects.get(holder=budi, course=scene.imi_course)
    assert cells[0] == "Budi Santoso NIP 198503122010011001"
    assert cells[1] == f"Kursus Imigrasi Imigrasi Sertifikat {certificate.serial}"
    assert cells[2] == "KUHP (UU 1/2023) berlaku 2 Januari 2026"
    assert cells[3] == "Sanksi pidana TPPO; Bacaan dasar hukum"
    assert cells[4] == "30 November 2026 oleh Siti Rahma"
    assert cells[5] == "dikirim 30 November 2026"
    assert cells[6] == "Belum selesai"
    assert rows(response)["Sari Wulandari"][5] == "belum dikirim"
    assert {
        f"/admin/dampak-hukum/perubahan/{change.pk}/",
        f"/admin/pages/{scene.imi_course.pk}/edit/",
        f"/verify/{certificate.code}/",
    } <= links(response)
    # HR's pages are linked only for those who may open them.
    assert not any(link.startswith("/hr/") for link in links(response))
    client.force_login(world["admin"])
    assert {f"/hr/petugas/{budi.pk}/", f"/hr/perubahan-peraturan/{change.pk}/"} <= links(client.get(LIST))


def test_a_completed_refresher_shows_its_day_and_the_renewed_certificate(
    client, world, django_capture_on_commit_callbacks
):
    scene, budi = world["scene"], world["budi"]
    old = Certificate.objects.get(holder=budi, course=scene.imi_course)
    with django_capture_on_commit_callbacks(execute=True):
        courses_services.module_complete(user=budi, module=scene.reading)
        courses_services.module_complete(user=budi, module=scene.penalties, by_quiz=True)  # as a passed quiz does
    renewed = Certificate.objects.get(holder=budi, course=scene.imi_course, cycle=2)
    client.force_login(scene.reviewer)
    response = client.get(LIST)
    cells = rows(response)["Budi Santoso"]
    assert cells[6] == "30 November 2026"
    assert cells[1].endswith(f"Sertifikat {renewed.serial}") and renewed.serial != old.serial
    assert f"/verify/{renewed.code}/" in links(response)
    assert counts(response) == "3 penyegaran: 2 belum selesai, 1 selesai."


def test_filters_by_status_agency_change_and_course(client, world):
    scene, change = world["scene"], world["change"]
    Refresher.objects.filter(user=world["sari"]).update(completed_at=timezone.now())
    client.force_login(scene.reviewer)
    expected = {
        "status=terbuka": ({"Budi Santoso", "Tono Prasetyo"}, "2 penyegaran: 2 belum selesai, 0 selesai."),
        "status=selesai": ({"Sari Wulandari"}, "1 penyegaran: 0 belum selesai, 1 selesai."),
        "instansi=POLRI": ({"Tono Prasetyo"}, "1 penyegaran: 1 belum selesai, 0 selesai."),
        f"kursus={scene.imi_course.pk}": ({"Budi Santoso", "Sari Wulandari"}, "2 penyegaran: 1 belum selesai, 1 selesai."),
        f"perubahan={change.pk}&status=terbuka&instansi=IMI": ({"Budi Santoso"}, "1 penyegaran: 1 belum selesai, 0 selesai."),
    }
    for query, (names, summary) in expected.items():
        response = client.get(f"{LIST}?{query}")
        assert (set(rows(response)), counts(response)) == (names, summary), query
    other = record_change(scene, provisions=[scene.pasal48])  # a second change: nobody required yet
    response = client.get(f"{LIST}?perubahan={other.pk}")
    assert rows(response) == {} and counts(response) == "0 penyegaran: 0 belum selesai, 0 selesai."
    assert "Tidak ada penyegaran yang cocok." in response.content.decode()


def test_search_by_name_or_nip(client, world):
    client.force_login(world["scene"].reviewer)
    assert set(rows(client.get(f"{LIST}?q=wulan"))) == {"Sari Wulandari"}
    assert set(rows(client.get(f"{LIST}?q=budi+santoso"))) == {"Budi Santoso"}
    assert set(rows(client.get(f"{LIST}?q=19880707 201212 1 003"))) == {"Tono Prasetyo"}
    assert set(rows(client.get(f"{LIST}?q=2015032"))) == {"Sari Wulandari"}
    assert rows(client.get(f"{LIST}?q=tidak+ada")) == {}


def test_the_list_is_in_the_peraturan_menu(client, world):
    client.force_login(world["scene"].imi_trainer)
    dashboard = client.get("/admin/").content.decode()
    assert '"label": "Penyegaran"' in dashboard and f'"url": "{LIST}"' in dashboard
