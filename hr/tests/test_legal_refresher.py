"""HR and a change in the law: who holds a certificate whose content changed, and the refresher
that asks only for the changed modules, end to end through the client (HR, then the officer)."""

import csv
import datetime
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus, RevocationReason
from certificates.refreshers import refreshers_require
from certificates.services import certificate_issue
from certificates.subjects import Subject
from certificates.tests.factories import make_program
from courses import services as courses_services
from courses.models import ContentReview, Enrollment, ModuleProgress, QuestionHold, Refresher
from courses.tests.builders import make_course, make_module, quiz_questions
from courses.tests.test_quiz import take_quiz
from lms import roles
from lms.legal import legal_change_apply
from lms.models import LegalChange, LegalChangeItem, LegalProvision
from lms.tests.factories import (
    AgencyFactory,
    LegalBasisFactory,
    LegalProvisionFactory,
    OfficeFactory,
    UserFactory,
    make_officer,
)
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def law(db):
    uu = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    kuhp = LegalBasisFactory(code="UU-1-2023", short_name="KUHP (UU 1/2023)", year=2023)
    return {
        "penalty": LegalProvisionFactory(legal_basis=uu, pasal="2", ayat="1"),
        "definition": LegalProvisionFactory(legal_basis=uu, pasal="1", butir="angka 1"),
        "instrument": kuhp,
    }


@pytest.fixture
def world(catalog, law):
    """A Polri course of three modules; only the second teaches the penalty that changes."""
    polri, imigrasi = AgencyFactory(code="POLRI"), AgencyFactory(code="IMIGRASI")
    course = make_course(catalog=catalog, agency=polri, title="TPPO dan Gugus Tugas", validity_months=24)
    definitions = make_module(course=course, title="Definisi", questions=quiz_questions(2))
    penalties = make_module(course=course, title="Ancaman pidana", questions=quiz_questions(3))
    rights = make_module(course=course, title="Hak korban")
    for module, provision in ((penalties, law["penalty"]), (definitions, law["definition"])):
        question = module.questions.first()
        question.provisions.set([provision])
        question.save()  # a ParentalManyToManyField is written when its instance is saved
    other = make_course(catalog=catalog, agency=imigrasi, title="Paspor", modules=1)
    jakarta, bandung = OfficeFactory(name="Kantor Imigrasi Jakarta"), OfficeFactory(name="Kantor Imigrasi Bandung")
    holders = {
        "budi": make_officer(full_name="Budi Santoso", office=jakarta),
        "sari": make_officer(full_name="Sari Wulandari", office=bandung),
        "tono": make_officer(full_name="Tono Unrelated", office=jakarta),
    }
    for name in ("budi", "sari"):
        complete_course(holders[name], course)
    complete_course(holders["tono"], other)
    program = make_program(courses=[course, other], code="PDP")
    return {
        "course": course, "other": other, "program": program, "modules": [definitions, penalties, rights],
        "holders": holders, "offices": {"jakarta": jakarta, "bandung": bandung}, "polri": polri,
    }


def complete_course(user, course, on=None):
    """The officer did every module (the quiz ones by passing) a month ago, and holds the certificate."""
    Enrollment.objects.create(user=user, course=course)
    for module in course.get_modules():
        ModuleProgress.objects.create(user=user, module=module, course=course)
    ModuleProgress.objects.filter(user=user, course=course).update(completed_at=timezone.now())
    Enrollment.objects.filter(user=user, course=course).update(completed_at=timezone.now())
    return certificate_issue(user=user, subject=Subject.of(course), issued_on=on or timezone.localdate() - datetime.timedelta(days=30))


def record_change(law, *, reviewer=None) -> LegalChange:
    change = LegalChange.objects.create(
        instrument=law["instrument"], in_force_on=datetime.date(2026, 1, 2), summary="KUHP baru berlaku.",
        withhold_questions=True,
    )
    LegalChangeItem.objects.create(change=change, provision=law["penalty"], new_status=LegalProvision.Status.DITINJAU)
    legal_change_apply(change, user=reviewer)
    change.refresh_from_db()
    return change


@pytest.fixture
def hr_client(client):
    client.force_login(UserFactory(username="sdm", groups=[roles.HR]))
    return client


def page_url(change):
    return f"/hr/perubahan-peraturan/{change.pk}/"


def holder_rows(response) -> list[dict]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = []
    for tr in soup.select("table.data tbody tr"):
        cells = tr.select("td")
        if len(cells) < 8:
            continue
        rows.append({
            "name": cells[1].get_text(strip=True), "subject": cells[4].get_text(" ", strip=True),
            "refresher": cells[7].get_text(" ", strip=True),
            "id": (cells[0].select_one("input") or {}).get("value"),
        })
    return rows


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestImpactPage:
    def test_lists_the_holders_of_changed_content_per_change(self, hr_client, world, law):
        change = record_change(law)
        response = hr_client.get("/hr/")
        assert 'href="/hr/perubahan-peraturan/"' in response.content.decode()
        listing = hr_client.get("/hr/perubahan-peraturan/")
        assert f'href="{page_url(change)}"' in listing.content.decode()

        response = hr_client.get(page_url(change))
        rows = holder_rows(response)
        assert sorted(row["name"] for row in rows) == ["Budi Santoso", "Sari Wulandari"]
        assert all(row["refresher"] == "Belum diminta" for row in rows)
        changed = BeautifulSoup(response.content, "html.parser").select("ul.changed-modules li")
        # Only the module whose question is tagged with the changed provision.
        assert [item.get_text(" ", strip=True) for item in changed] == [
            "TPPO dan Gugus Tugas : Ancaman pidana (masih ditinjau pelatih)"
        ]
        # Once the trainer has confirmed it, HR reads that the module was reviewed.
        for hold in QuestionHold.objects.filter(change=change):
            courses_services.question_hold_release(hold=hold, comment="Ancaman pidana dicek.", user=None)
        review = ContentReview.objects.get(change=change)
        courses_services.content_review_clear(review=review, resolution="dikonfirmasi", comment="Sesuai.", user=None)
        changed = BeautifulSoup(hr_client.get(page_url(change)).content, "html.parser").select("ul.changed-modules li")
        assert changed[0].get_text(" ", strip=True).endswith("Ancaman pidana (selesai ditinjau)")

    def test_program_certificates_are_listed_too(self, hr_client, world, law):
        complete_course(world["holders"]["budi"], world["other"])
        program_certificate = certificate_issue(user=world["holders"]["budi"], subject=Subject.of(world["program"]))
        change = record_change(law)
        rows = holder_rows(hr_client.get(page_url(change)))
        assert str(program_certificate.pk) in {row["id"] for row in rows}

    def test_filter_by_agency_and_office(self, hr_client, world, law):
        change = record_change(law)
        bandung = world["offices"]["bandung"]
        rows = holder_rows(hr_client.get(page_url(change), {"kantor": bandung.pk}))
        assert [row["name"] for row in rows] == ["Sari Wulandari"]
        assert len(holder_rows(hr_client.get(page_url(change), {"instansi": "POLRI"}))) == 2
        assert holder_rows(hr_client.get(page_url(change), {"instansi": "IMIGRASI"})) == []
        response = hr_client.get(page_url(change), {"instansi": "TIDAKADA"})
        assert "tidak dikenal" in response.content.decode()

    def test_csv_export_lists_the_same_holders(self, hr_client, world, law):
        change = record_change(law)
        response = hr_client.get(f"{page_url(change)}pemegang.csv", {"kantor": world["offices"]["jakarta"].pk})
        assert response["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert lines[0][:2] == ["Nama", "NIP"]
        assert [line[0] for line in lines[1:]] == ["Budi Santoso"]
        assert lines[1][-1] == "Belum diminta"

    def test_only_hr(self, client, world, law):
        change = record_change(law)
        client.force_login(world["holders"]["budi"])
        assert client.get(page_url(change)).status_code == 403
        assert client.post(f"{page_url(change)}penyegaran/", {"cakupan": "semua"}).status_code == 403
        assert not Refresher.objects.exists()

    def test_query_count_does_not_grow_with_holders(self, hr_client, world, law, django_assert_num_queries):
        change = record_change(law)

        def more_holders():
            for number in range(6):
                complete_course(make_officer(full_name=f"Petugas {number}"), world["course"])

        assert_flat_query_count(
            django_assert_num_queries, small=lambda: hr_client.get(page_url(change)), grow=more_holders
        )


class TestRefresher:
    def test_hr_requires_a_refresher_the_officer_redoes_only_the_changed_module(
        self, hr_client, world, law, django_capture_on_commit_callbacks
    ):
        change = record_change(law)
        budi = world["holders"]["budi"]
        old = Certificate.objects.get(holder=budi, course=world["course"])
        rows = holder_rows(hr_client.get(page_url(change)))
        budi_id = next(row["id"] for row in rows if row["name"] == "Budi Santoso")

        with django_capture_on_commit_callbacks(execute=True):
            response = hr_client.post(
                f"{page_url(change)}penyegaran/", {"cakupan": "dipilih", "sertifikat": [budi_id]}, follow=True
            )
        assert any("Penyegaran diminta dari 1 petugas" in message for message in messages_of(response))
        rows = {row["name"]: row for row in holder_rows(response)}
        assert rows["Budi Santoso"]["refresher"].startswith("Diminta")
        assert rows["Sari Wulandari"]["refresher"] == "Belum diminta"

        # One reminder, naming only the changed module.
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [budi.email]
        assert "Ancaman pidana" in mail.outbox[0].body
        assert "Definisi" not in mail.outbox[0].body and "Hak korban" not in mail.outbox[0].body
        # Audited, with who asked.
        refresher = Refresher.objects.get(user=budi)
        entry = ModelLogEntry.objects.get(action="certificates.refresher_require")
        assert entry.object_id == str(refresher.pk) and entry.user.username == "sdm"

        # Asking again changes nothing and says so.
        with django_capture_on_commit_callbacks(execute=True):
            response = hr_client.post(f"{page_url(change)}penyegaran/", {"cakupan": "semua"}, follow=True)
        assert Refresher.objects.filter(user=budi).count() == 1
        assert Refresher.objects.filter(user=world["holders"]["sari"]).count() == 1
        assert any("sudah diminta sebelumnya" in message for message in messages_of(response))
        assert len(mail.outbox) == 2  # Sari's, not a second one for Budi

        # The officer sees the refresher and which module, on My learning and on the course page.
        client = Client()
        client.force_login(budi)
        page = BeautifulSoup(client.get("/my/learning/").content, "html.parser")
        note = page.select_one(".refresher-note")
        assert note is not None and "Penyegaran diperlukan" in note.get_text()
        assert [a.get_text(strip=True) for a in note.select("a")] == ["Ancaman pidana"]
        course_page = BeautifulSoup(client.get(world["course"].url).content, "html.parser")
        assert [a.get_text(strip=True) for a in course_page.select(".refresher-note a")] == ["Ancaman pidana"]
        badges = {
            li.select_one(".module-title").get_text(strip=True): li.select_one(".badge").get_text(strip=True)
            for li in course_page.select("ol.module-list li.module")
        }
        assert badges == {"Definisi": "Selesai", "Ancaman pidana": "Perlu diulang", "Hak korban": "Selesai"}

        module_page = client.get(world["modules"][1].url).content.decode()
        assert "Penyegaran: materi modul ini berubah" in module_page
        assert "Penyegaran: materi modul ini berubah" not in client.get(world["modules"][0].url).content.decode()

        # Passing only the changed module's quiz completes the refresher and renews the certificate.
        with django_capture_on_commit_callbacks(execute=True):
            attempt = take_quiz(client, world["modules"][1])
        assert attempt.passed
        refresher.refresh_from_db()
        assert refresher.completed_at is not None
        old.refresh_from_db()
        assert old.revoked_at is not None and old.revocation_reason == RevocationReason.SUPERSEDED
        renewed = Certificate.objects.get(holder=budi, course=world["course"], cycle=2)
        assert renewed.status_on(timezone.localdate()) == CertificateStatus.VALID
        assert renewed.issued_on == timezone.localdate()
        assert ModelLogEntry.objects.filter(action="certificates.refresher_complete").count() == 1
        assert client.get("/my/learning/").content.decode().count("refresher-note") == 0
        # HR sees it done; the renewed certificate certifies the new content, so it is not listed again.
        rows = {row["name"]: row for row in holder_rows(hr_client.get(page_url(change)))}
        assert "Budi Santoso" not in rows

    def test_a_holder_not_enrolled_is_skipped_with_a_reason(self, hr_client, world, law):
        outsider = make_officer(full_name="Dedi Diterbitkan Massal")
        certificate_issue(user=outsider, subject=Subject.of(world["course"]))
        change = record_change(law)
        response = hr_client.post(f"{page_url(change)}penyegaran/", {"cakupan": "semua"}, follow=True)
        assert any("Dedi Diterbitkan Massal" in message and "tidak terdaftar" in message for message in messages_of(response))
        assert not Refresher.objects.filter(user=outsider).exists()
        assert Refresher.objects.count() == 2

    def test_selected_scope_needs_a_choice(self, hr_client, world, law):
        change = record_change(law)
        response = hr_client.post(f"{page_url(change)}penyegaran/", {"cakupan": "dipilih"}, follow=True)
        assert any("Pilih sedikitnya satu sertifikat" in message for message in messages_of(response))
        assert not Refresher.objects.exists()

    def test_an_id_outside_the_change_is_ignored(self, hr_client, world, law):
        change = record_change(law)
        unrelated = Certificate.objects.get(holder=world["holders"]["tono"])
        hr_client.post(f"{page_url(change)}penyegaran/", {"cakupan": "dipilih", "sertifikat": [unrelated.pk]})
        assert not Refresher.objects.exists()

    def test_requiring_twice_in_the_service_is_one_refresher(self, world, law):
        change = record_change(law)
        budi = world["holders"]["budi"]
        first = courses_services.refresher_require(
            user=budi, course=world["course"], change=change, modules=[world["modules"][1]], by=None
        )
        again = courses_services.refresher_require(
            user=budi, course=world["course"], change=change, modules=[world["modules"][1]], by=None
        )
        assert first.created and not again.created and first.refresher.pk == again.refresher.pk
        done = set(ModuleProgress.objects.filter(user=budi, completed_at__isnull=False).values_list("module_id", flat=True))
        assert done == {world["modules"][0].pk, world["modules"][2].pk}


def test_a_reminder_that_could_not_be_queued_goes_out_with_the_daily_run(world, law):
    change = record_change(law)
    certificate = Certificate.objects.get(holder=world["holders"]["sari"], course=world["course"])
    refreshers_require(certificates=[certificate], change=change, by=None)  # no commit: the task was never queued
    assert mail.outbox == []
    out = io.StringIO()
    call_command("send_expiry_reminders", stdout=out)
    assert "Sent 1 refresher reminder(s)." in out.getvalue()
    assert mail.outbox[0].to == [world["holders"]["sari"].email]
    call_command("send_expiry_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # once
