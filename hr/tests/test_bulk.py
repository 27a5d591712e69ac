"""Bulk verification: every state, pasted or uploaded lists, downloads, and a constant number of queries."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from certificates.subjects import Subject
from certificates.tests.factories import make_certificate
from hr.bulk import NipInput, verify_nips
from hr.models import BulkVerification
from hr.tests.builders import make_hr_user, make_world
from hr.tests.spreadsheets import csv_as_shown
from lms.tests.factories import OfficerProfileFactory, make_officer

pytestmark = pytest.mark.django_db

UNKNOWN = "197001011995031999"


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def hr(client):
    user = make_hr_user()
    client.force_login(user)
    return user


def post(client, world, subject, **data):
    return client.post(reverse("hr:bulk_verify"), {"subjek": subject, **data}, follow=True)


def test_every_state_for_a_course(client, hr, world):
    nobody = make_officer(full_name="Belum Ikut", nip="199203042016011004")
    pasted = "\n".join([
        "19850312 201001 1 001",  # Budi: valid A
        world.siti.officer_profile.nip,  # Siti: revoked cycle 1, valid cycle 2 → valid
        nobody.officer_profile.nip,
        UNKNOWN,
        "12345",
    ])
    response = post(client, world, f"c{world.course_a.pk}", nips=pasted)
    record = BulkVerification.objects.get()
    assert response.redirect_chain[-1][0] == reverse("hr:bulk_verify_result", args=[record.pk])
    states = [(row["nip"], row["state"], row["name"]) for row in record.results]
    assert states == [
        ("198503122010011001", "valid", "Budi Santoso"),
        ("199001012015032002", "valid", "Siti Aminah"),
        ("199203042016011004", "none", "Belum Ikut"),
        (UNKNOWN, "unknown", ""),
        ("12345", "malformed", ""),
    ]
    assert record.results[0]["serial"] == world.certificates["budi_a"].serial
    assert record.results[1]["expires_on"] == world.certificates["siti_a"].expires_on.isoformat()
    assert record.counts == {"valid": 2, "expired": 0, "revoked": 0, "none": 1, "unknown": 1, "malformed": 1,
                             "duplicates": 0}
    page = response.content.decode()
    assert "Budi Santoso" in page and "NIP tidak terdaftar" in page and "NIP tidak sah" in page
    entry = ModelLogEntry.objects.get(action="hr.bulk_verify")
    assert entry.user == hr and entry.data["nips"] == 5


def test_expired_and_revoked(client, hr, world):
    make_certificate(holder=world.joko, course=world.course_a, revoked=True)
    pasted = f"{world.budi.officer_profile.nip}, {world.joko.officer_profile.nip}"
    post(client, world, f"c{world.course_b.pk}", nips=pasted)
    post(client, world, f"c{world.course_a.pk}", nips=world.joko.officer_profile.nip)
    first, second = BulkVerification.objects.order_by("pk")
    assert [row["state"] for row in first.results] == ["expired", "valid"]
    assert [row["state"] for row in second.results] == ["revoked"]


def test_uploaded_xlsx_with_a_nip_column_and_program(client, hr, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["No", "Nama", "NIP"])
    sheet.append([1, "Budi", world.budi.officer_profile.nip])
    sheet.append([2, "Siti", world.siti.officer_profile.nip])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("daftar.xlsx", buffer.getvalue())
    post(client, world, f"p{world.program.pk}", file=upload)
    record = BulkVerification.objects.get()
    assert [(row["line"], row["state"]) for row in record.results] == [(2, "valid"), (3, "none")]
    assert record.program == world.program


def test_uploaded_csv_without_header(client, hr, world):
    upload = SimpleUploadedFile("daftar.csv", f"{world.budi.officer_profile.nip}\n{UNKNOWN}\n".encode())
    post(client, world, f"c{world.course_a.pk}", file=upload)
    assert [row["state"] for row in BulkVerification.objects.get().results] == ["valid", "unknown"]


@pytest.mark.parametrize(
    "data",
    [
        {"nips": ""},
        {"nips": "198503122010011001", "subjek": ""},
        {"file": SimpleUploadedFile("x.csv", b"\x00\x01binary")},
        {"file": SimpleUploadedFile("x.pdf", b"%PDF")},
    ],
)
def test_bad_input_gets_a_message(client, hr, world, data):
    data = {"subjek": f"c{world.course_a.pk}", **data}
    response = client.post(reverse("hr:bulk_verify"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not BulkVerification.objects.exists()


def test_result_downloads_as_csv_and_xlsx(client, hr, world):
    post(client, world, f"c{world.course_a.pk}", nips=f"{world.budi.officer_profile.nip}\n{UNKNOWN}\nabc")
    record = BulkVerification.objects.get()
    response = client.get(reverse("hr:bulk_verify_download", args=[record.pk, "csv"]))
    raw = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert raw[1][1] == '="198503122010011001"'  # so a spreadsheet keeps every digit (test_spreadsheets.py)
    rows = csv_as_shown(response.content.decode("utf-8-sig"))
    assert rows[0][:5] == ["Baris", "NIP", "Nama", "Kantor", "Status"]
    assert rows[1][1:5] == ["198503122010011001", "Budi Santoso", "Kantor Imigrasi Bandung", "Berlaku"]
    assert rows[1][5] == world.certificates["budi_a"].serial
    assert rows[1][6:8] == [world.certificates["budi_a"].issued_on.isoformat(),
                            world.certificates["budi_a"].expires_on.isoformat()]
    assert [row[4] for row in rows[1:]] == ["Berlaku", "NIP tidak terdaftar", "NIP tidak sah"]
    response = client.get(reverse("hr:bulk_verify_download", args=[record.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    xlsx = [["" if v is None else v.date().isoformat() if isinstance(v, datetime.datetime) else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    assert xlsx == rows
    assert client.get(reverse("hr:bulk_verify_download", args=[record.pk, "pdf"])).status_code == 404


def test_thousand_nips_in_a_constant_number_of_queries(world, django_assert_num_queries):
    profiles = OfficerProfileFactory.create_batch(40, office=world.bandung)
    for profile in profiles[:20]:
        make_certificate(holder=profile.user, course=world.course_a)
    nips = [profile.nip for profile in profiles]
    few = [NipInput(line=i, raw=nip) for i, nip in enumerate(nips[:10], start=1)]
    many = [NipInput(line=i, raw=nips[i % 40] if i % 3 else f"197001011995031{i % 1000:03d}") for i in range(1, 1001)]
    with django_assert_num_queries(2):
        verify_nips(items=few, subject=Subject.of(world.course_a))
    with django_assert_num_queries(2):
        results = verify_nips(items=many, subject=Subject.of(world.course_a))
    assert len(results) == 1000
    assert {result.state for result in results} >= {"valid", "none", "unknown"}


def test_the_page_answers_ten_or_four_hundred_nips_in_the_same_number_of_queries(
    client, hr, world, django_assert_num_queries
):
    profiles = OfficerProfileFactory.create_batch(400, office=world.bandung)
    for profile in profiles[::2]:
        make_certificate(holder=profile.user, course=world.course_a)
    subject = f"c{world.course_a.pk}"
    post(client, world, subject, nips="\n".join(p.nip for p in profiles[:10]))  # warm caches
    with CaptureQueriesContext(connection) as ten:
        client.post(reverse("hr:bulk_verify"), {"subjek": subject, "nips": "\n".join(p.nip for p in profiles[:10])})
    count = len(ten)
    with django_assert_num_queries(count):
        response = client.post(reverse("hr:bulk_verify"), {"subjek": subject, "nips": "\n".join(p.nip for p in profiles)})
    assert response.status_code == 302
    assert BulkVerification.objects.latest("pk").counts["valid"] == 200


def test_oversized_upload_gets_the_size_message(client, hr, world):
    big = SimpleUploadedFile("daftar.csv", b"1" * (6 * 1024 * 1024))
    response = client.post(reverse("hr:bulk_verify"), {"subjek": f"c{world.course_a.pk}", "file": big})
    assert response.status_code == 200
    assert "terlalu besar" in str(response.context["form"].errors["file"])
    assert not BulkVerification.objects.exists()


def test_a_repeated_nip_is_counted_once_and_the_page_says_which_lines_repeated_it(client, hr, world):
    budi, siti = world.budi.officer_profile.nip, world.siti.officer_profile.nip
    pasted = "\n".join([budi, siti, "19850312 201001 1 001", UNKNOWN, f"{budi}, abc", UNKNOWN, "abc"])

    response = post(client, world, f"c{world.course_a.pk}", nips=pasted)

    record = BulkVerification.objects.get()
    assert [(row["nip"], row["duplicate_lines"]) for row in record.results] == [
        (budi, [3, 5]), (siti, []), (UNKNOWN, [6]), ("abc", [7])
    ]
    assert record.counts == {"valid": 2, "expired": 0, "revoked": 0, "none": 0, "unknown": 1, "malformed": 1,
                             "duplicates": 4}
    page = response.content.decode()
    assert "4 baris berisi NIP yang sudah ada di daftar dan tidak dihitung lagi" in page
    assert "juga baris 3, 5" in page and "juga baris 6" in page
    assert ModelLogEntry.objects.get(action="hr.bulk_verify").data["nips"] == 4
    rows = csv_as_shown(client.get(reverse("hr:bulk_verify_download", args=[record.pk, "csv"])).content.decode("utf-8-sig"))
    assert [row[1] for row in rows[1:]] == [budi, siti, UNKNOWN, "abc"]


def test_an_uploaded_list_with_repeats_is_counted_once(client, hr, world):
    nip = world.budi.officer_profile.nip
    upload = SimpleUploadedFile("daftar.csv", f"NIP\n{nip}\n{nip}\n{UNKNOWN}\n".encode())
    post(client, world, f"c{world.course_a.pk}", file=upload)
    record = BulkVerification.objects.get()
    assert [(row["line"], row["duplicate_lines"]) for row in record.results] == [(2, [3]), (4, [])]
    assert (record.counts["valid"], record.counts["duplicates"]) == (1, 1)


@pytest.mark.parametrize("utc_hour", [20, 2])
def test_the_result_page_writes_every_date_the_indonesian_way(client, hr, utc_hour):
    """At 20:00 UTC it is already the next day in Jakarta: the dates of the world are Jakarta's."""
    with time_machine.travel(datetime.datetime(2026, 11, 30, utc_hour, 0, tzinfo=datetime.UTC), tick=False):
        world = make_world()
        post(client, world, f"c{world.course_a.pk}", nips=world.budi.officer_profile.nip)
        record = BulkVerification.objects.get()
        page = client.get(reverse("hr:bulk_verify_result", args=[record.pk])).content.decode()
    expires = world.certificates["budi_a"].expires_on
    with translation.override("id"):
        assert date_format(expires, "j F Y") in page
        assert date_format(timezone.localtime(record.created_at), "j F Y H:i") in page
    assert expires.isoformat() not in page
    assert timezone.localdate(record.created_at).isoformat() not in page
