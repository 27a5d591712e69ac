"""The impact of a change in the law, recorded through the admin as a reviewer would: the admin
pages per change and per provision, the certificate holders, and `manage.py legal_impact`."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certificates import selectors
from certificates.tests.factories import make_certificate, make_program
from courses.models import ContentReview, QuestionHold
from courses.tests.builders import make_course, make_module, quiz_questions
from courses.tests.legal_scene import make_scene, tagged
from lms.models import LegalChange
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db

CHANGES = "/admin/snippets/lms/legalchange/"
RECORDED = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)  # 10 January in Jakarta


@pytest.fixture
def scene(catalog):
    return make_scene(catalog)


@pytest.fixture
def holders(scene):
    """Certificates: affected or not, before or after the change was recorded, valid or revoked."""
    people = {name: make_officer(full_name=name) for name in ("Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar")}
    other_course = make_course(catalog=scene.catalog, agency=scene.imi_course.agency, title="Kursus tanpa pasal itu")
    make_module(course=other_course, title="Modul bersih", questions=quiz_questions(1))
    program = make_program(courses=[scene.imi_course, other_course], code="PDP", title="Program Dasar Pimpasa")
    before, after = datetime.date(2025, 6, 1), datetime.date(2026, 2, 1)
    return {
        "imi": make_certificate(holder=people["Ani"], course=scene.imi_course, issued_on=before),
        "polri": make_certificate(holder=people["Budi"], course=scene.polri_course, issued_on=datetime.date(2026, 1, 5)),
        "program": make_certificate(holder=people["Citra"], program=program, issued_on=before),
        "other": make_certificate(holder=people["Dedi"], course=other_course, issued_on=before),
        "later": make_certificate(holder=people["Eka"], course=scene.imi_course, issued_on=after),
        "revoked": make_certificate(holder=people["Fajar"], course=scene.imi_course, issued_on=before, revoked=True),
    }


def record_through_admin(client, scene, *, withhold=True) -> LegalChange:
    """The reviewer records the KUHP as putting UU 21/2007 Pasal 2 ayat (1) under review."""
    client.force_login(scene.reviewer)
    data = {
        "instrument": scene.kuhp.pk,
        "in_force_on": "2026-01-02",
        "summary": "KUHP baru mengatur penyelundupan manusia di Pasal 457.",
        "items": inline_formset(
            [{"provision": scene.pasal2.pk, "new_status": "perlu_ditinjau", "replacement": scene.pasal457.pk, "note": ""}],
            min=1,
        ),
    }
    if withhold:
        data["withhold_questions"] = "on"
    with time_machine.travel(RECORDED, tick=False):
        response = client.post(f"{CHANGES}add/", nested_form_data(data))
    assert response.status_code == 302, response.content.decode()[:2000]
    return LegalChange.objects.get()


def test_recording_a_change_in_the_admin_lists_exactly_the_tagged_content_and_its_holders(client, scene, holders):
    change = record_through_admin(client, scene)
    assert change.applied_at is not None
    assert set(ContentReview.objects.values_list("module_id", flat=True)) == {
        scene.penalties.pk, scene.reading.pk, scene.polri_module.pk
    }
    assert QuestionHold.objects.count() == 3

    report = selectors.legal_impact_of_change(change)
    assert [m.pk for m in report.content.modules] == [scene.penalties.pk, scene.reading.pk, scene.polri_module.pk]
    assert [(b.module.pk, b.provision) for b in report.content.blocks] == [(scene.reading.pk, scene.pasal2)]
    assert {q.pk for q in report.content.questions} == {
        q.pk for q in tagged(scene.penalties, scene.pasal2) + tagged(scene.polri_module, scene.pasal2)
    }
    assert report.issued_until == datetime.date(2026, 1, 10)  # recorded after it took effect
    assert set(report.holders) == {holders["imi"], holders["polri"], holders["program"]}

    page = client.get(f"/admin/dampak-hukum/perubahan/{change.pk}/").content.decode()
    assert "Sanksi pidana TPPO" in page and "Penyidikan" in page and "Bacaan dasar hukum" in page
    assert "Modul lain" not in page and "Modul bersih" not in page  # tagged with another provision / untagged
    for question in tagged(scene.penalties, scene.pasal2):
        assert question.text in page
    assert "Soal 2?" in page and "Soal 3?" not in page  # the penalties module's untagged questions are not listed
    assert "Pemegang sertifikat berlaku yang terbit sampai 10 Januari 2026 (3)" in page
    assert "Ani" in page and "Budi" in page and "Citra" in page
    assert "Dedi" not in page and "Eka" not in page and "Fajar" not in page
    listing = client.get(CHANGES).content.decode()
    assert f"/admin/dampak-hukum/perubahan/{change.pk}/" in listing


def test_a_trainer_sees_only_their_agencys_content_and_holders(client, scene, holders):
    change = record_through_admin(client, scene)
    client.force_login(scene.polri_trainer)
    page = client.get(f"/admin/dampak-hukum/perubahan/{change.pk}/").content.decode()
    assert "Penyidikan" in page and "Sanksi pidana TPPO" not in page and "Bacaan dasar hukum" not in page
    assert "Budi" in page and "Ani" not in page and "Citra" not in page


def test_an_officer_has_no_impact_page(client, scene, holders):
    change = record_through_admin(client, scene)
    client.force_login(make_officer())
    response = client.get(f"/admin/dampak-hukum/perubahan/{change.pk}/")
    assert response.status_code == 302 and "Sanksi" not in response.content.decode()


def test_the_provision_page_lists_what_cites_it_and_links_from_the_provision_listing(client, scene, holders):
    change = record_through_admin(client, scene)
    page = client.get(f"/admin/dampak-hukum/pasal/{scene.pasal48.pk}/").content.decode()
    assert "Modul lain" in page and "Bacaan dasar hukum" in page and "Sanksi pidana TPPO" not in page
    assert "Belum ada perubahan peraturan yang dicatat untuk pasal ini." in page
    page = client.get(f"/admin/dampak-hukum/pasal/{scene.pasal2.pk}/").content.decode()
    assert "Sanksi pidana TPPO" in page and str(change.instrument) in page
    listing = client.get("/admin/snippets/lms/legalprovision/").content.decode()
    assert f"/admin/dampak-hukum/pasal/{scene.pasal2.pk}/" in listing


def run(*args) -> str:
    out = io.StringIO()
    call_command("legal_impact", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_same_lists_for_an_instrument_a_change_and_a_provision(client, scene, holders):
    change = record_through_admin(client, scene)
    by_instrument = run("KUHP-2023")
    assert by_instrument == run(str(change.pk)) == run("UU-21-2007")
    assert f"Perubahan #{change.pk}: KUHP (UU 1/2023), berlaku 2026-01-02" in by_instrument
    assert "Modul (3):" in by_instrument and "Kursus Imigrasi / Sanksi pidana TPPO" in by_instrument
    assert "Blok pelajaran (1):" in by_instrument and "- Bacaan dasar hukum: blok " in by_instrument
    assert "Soal (3):" in by_instrument and "Modul lain" not in by_instrument
    assert "Pemegang sertifikat berlaku yang terbit sampai 2026-01-10 (3):" in by_instrument
    assert holders["imi"].serial in by_instrument and holders["other"].serial not in by_instrument
    by_provision = run("UU-21-2007:pasal 2  ayat (1)")
    assert "Modul (3):" in by_provision and "Soal (3):" in by_provision


@pytest.mark.parametrize(
    "arg, message",
    [
        ("UU-99-1999", "“UU-99-1999” tidak dikenal"),
        ("999", "Perubahan peraturan nomor 999 tidak ada."),
        ("UU-21-2007:Pasal 99", "UU 21/2007 tidak memiliki “Pasal 99”"),
        ("XX-1:Pasal 1", "Dasar hukum dengan kode “XX-1” tidak ada."),
    ],
)
def test_the_command_names_what_it_does_not_know(scene, arg, message):
    with pytest.raises(CommandError, match=message):
        run(arg)
