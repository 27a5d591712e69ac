"""The HR registry: filters that combine into shareable URLs, sorting, paging, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.tests.factories import make_certificate
from hr.models import ExportJob
from hr.tests.builders import make_hr_user, make_world
from lms.tests.factories import AgencyFactory, OfficeFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

URL = reverse("hr:registry")


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def hr_client(client):
    client.force_login(make_hr_user())
    return client


def serials(response) -> list[str]:
    return [certificate.serial for certificate in response.context["certificates"]]


def keys(world, response) -> set[str]:
    by_serial = {certificate.serial: key for key, certificate in world.certificates.items()}
    return {by_serial[serial] for serial in serials(response)}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"budi_a", "budi_b", "budi_program", "siti_a_revoked", "siti_a", "joko_b"}),
        ({"status": "valid"}, {"budi_a", "budi_program", "siti_a", "joko_b"}),
        ({"status": "expired"}, {"budi_b"}),
        ({"status": "revoked"}, {"siti_a_revoked"}),
        ({"status": "expiring30"}, {"siti_a"}),
        ({"status": "expiring60"}, {"siti_a"}),
        ({"status": "expiring90"}, {"siti_a", "joko_b"}),
        ({"q": "siti"}, {"siti_a_revoked", "siti_a"}),
        ({"q": "19881105 201212 1 003"}, {"joko_b"}),
        ({"provinsi": "Sumatera Utara"}, {"joko_b"}),
    ],
)
def test_filters(hr_client, world, params, expected):
    assert keys(world, hr_client.get(URL, params)) == expected


def test_filters_by_agency_subject_office_and_dates_combine(hr_client, world):
    assert keys(world, hr_client.get(URL, {"instansi": "POLRI"})) == {"budi_b", "joko_b"}
    assert keys(world, hr_client.get(URL, {"subjek": f"p{world.program.pk}"})) == {"budi_program"}
    assert keys(world, hr_client.get(URL, {"subjek": f"c{world.course_a.pk}", "kantor": world.bandung.pk})) == {
        "budi_a", "siti_a_revoked", "siti_a"
    }
    today = timezone.localdate()
    params = {
        "terbit_dari": (today - datetime.timedelta(days=120)).isoformat(),
        "terbit_sampai": today.isoformat(),
        "status": "valid",
    }
    assert keys(world, hr_client.get(URL, params)) == {"budi_a", "budi_program", "joko_b"}
    serial = world.certificates["budi_b"].serial
    assert keys(world, hr_client.get(URL, {"q": serial})) == {"budi_b"}


def test_nonsense_parameters_do_not_break_the_page(hr_client, world):
    response = hr_client.get(URL, {"status": "bogus", "subjek": "x9", "terbit_dari": "kemarin", "halaman": "zz"})
    assert response.status_code == 200
    assert set(response.context["filter"].errors) == {"status", "subjek", "terbit_dari"}
    assert "certificates" not in response.context


def test_agencies_are_offered_and_filtered_by_code_as_in_the_catalog(hr_client, world):
    response = hr_client.get(URL)
    assert [value for value, _label in response.context["filter"].form["instansi"].field.widget.choices] == [
        "", "IMI", "POLRI"
    ]
    page = hr_client.get(URL, {"instansi": "POLRI"}).content.decode()
    assert '<option value="POLRI" selected>Polri</option>' in page


@pytest.mark.parametrize("written", ["pk", "polri", " POLRI "])
def test_old_agency_ids_and_other_letter_cases_redirect_to_the_code(hr_client, world, written):
    """Links saved when the registry filtered by id (`instansi=2`) keep working, and say the code from then on."""
    value = str(world.polri.pk) if written == "pk" else written
    response = hr_client.get(URL, {"status": "valid", "instansi": value, "halaman": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?status=valid&instansi=POLRI&halaman=1"
    assert keys(world, hr_client.get(response["Location"])) == {"joko_b"}


def test_an_agency_code_made_of_digits_wins_over_an_id(hr_client, world):
    digits = AgencyFactory(code=str(world.polri.pk), short_name="Angka")
    response = hr_client.get(URL, {"instansi": digits.code})
    assert response.status_code == 200
    assert response.context["filter"].form.cleaned_data["instansi"] == digits


@pytest.mark.parametrize(
    "params, field, value",
    [
        ({"instansi": "XYZ"}, "Instansi", "XYZ"),
        ({"instansi": "99999999999999999999"}, "Instansi", "99999999999999999999"),
        ({"kantor": "999999", "status": "valid"}, "Kantor", "999999"),
        ({"provinsi": "Atlantis"}, "Provinsi", "Atlantis"),
        ({"urutan": "gaji"}, "Urutkan", "gaji"),
    ],
)
def test_an_unknown_filter_value_is_named_and_nothing_pretends_to_be_filtered(hr_client, world, params, field, value):
    response = hr_client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{field}: “{value}” tidak dikenal." in page  # the error summary, role=alert, above the form
    assert f"“{value}” tidak dikenal." in page.split('id="form-errors"', 1)[1].split("</form>", 1)[0]
    assert "Daftar tidak ditampilkan karena saringannya tidak valid" in page
    # No rows, no count, no export of an unfiltered list under a filtered-looking URL.
    assert "certificates" not in response.context and "<table" not in page
    assert "ekspor.csv" not in page and " sertifikat</p>" not in page


@pytest.mark.parametrize("export", ["hr:export_csv", "hr:export_xlsx"])
def test_an_export_with_an_unknown_filter_value_goes_to_the_page_that_names_it(hr_client, world, export):
    response = hr_client.get(reverse(export), {"instansi": "XYZ", "status": "valid"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?instansi=XYZ&status=valid"
    assert not ExportJob.objects.exists()


def test_sort_options_say_what_they_do(hr_client, world):
    assert options(hr_client.get(URL), "urutan") == [
        "Bawaan (terbaru dulu)",
        "Tanggal terbit (terbaru dulu)",
        "Tanggal terbit (terlama dulu)",
        "Nama (A–Z)",
        "Nama (Z–A)",
        "Berlaku sampai (paling cepat berakhir dulu)",
        "Berlaku sampai (paling lama berlaku dulu)",
    ]


def test_sort_options_and_an_unknown_value_in_english(hr_client, world):
    page = hr_client.get(URL, {"instansi": "XYZ"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    select = page.split('name="urutan"', 1)[1].split("</select>", 1)[0]
    for label in ("Default (newest first)", "Issue date (newest first)", "Issue date (oldest first)", "Name (A–Z)",
                  "Name (Z–A)", "Valid until (soonest first)", "Valid until (latest first)"):
        assert f">{label}</option>" in select
    assert "descending" not in select and "---------" not in select
    assert "Agency: “XYZ” is not known." in page
    assert "The list is not shown because its filter is not valid" in page


def test_sorting_by_name_and_expiry(hr_client, world):
    names = [c.holder_name for c in hr_client.get(URL, {"urutan": "nama"}).context["certificates"]]
    assert names == sorted(names)
    descending = [c.holder_name for c in hr_client.get(URL, {"urutan": "-nama"}).context["certificates"]]
    assert descending == sorted(names, reverse=True)
    expiries = [c.expires_on for c in hr_client.get(URL, {"urutan": "kedaluwarsa", "status": "valid"}).context["certificates"]]
    assert expiries == sorted(expiries)


def test_rows_show_holder_subject_office_dates_and_status(hr_client, world):
    no_office = make_certificate(holder=UserFactory(), course=world.course_a, expires_on=None)
    page = hr_client.get(URL, {"urutan": "nama"}).content.decode()
    budi = world.certificates["budi_program"]
    assert (
        f'<td><a href="/hr/petugas/{world.budi.pk}/">{budi.holder_name}</a></td>\n      <td>{budi.holder_nip}</td>\n'
        f'      <td>{budi.title} <span class="badge">Program</span><br><span class="meta">Imigrasi</span></td>\n'
        '      <td>Kantor Imigrasi Bandung<br><span class="meta">Jawa Barat</span></td>\n'
        f"      <td>{budi.serial}</td>\n"
    ) in page
    revoked = world.certificates["siti_a_revoked"]
    assert f'<td>{revoked.serial}</td>' in page and '<span class="status status-revoked">Dicabut</span>' in page
    # A holder without an officer profile: no office, no stray "None"; no expiry date.
    row = page[page.index(no_office.serial):].split("</tr>", 1)[0]
    assert "None" not in page
    assert '<td>—<br><span class="meta"></span></td>' in page
    assert '<td class="date">tanpa batas</td>' in row and '<span class="status status-valid">Berlaku</span>' in row


def test_ties_are_broken_by_the_record_in_the_direction_of_the_sort(hr_client, world):
    """Same issue date: newest first lists the later record first, oldest first the earlier one."""
    same_day = world.certificates["budi_a"].issued_on
    later = make_certificate(holder=world.joko, course=world.course_a, issued_on=same_day)
    newest_first = serials(hr_client.get(URL, {"urutan": "-terbit"}))
    assert newest_first.index(later.serial) < newest_first.index(world.certificates["budi_a"].serial)
    oldest_first = serials(hr_client.get(URL, {"urutan": "terbit"}))
    assert oldest_first.index(later.serial) > oldest_first.index(world.certificates["budi_a"].serial)


@pytest.mark.parametrize(
    "params, order_by",
    [
        ({}, ("-issued_on", "holder_name", "-pk")),
        ({"urutan": "-terbit"}, ("-issued_on", "-pk")),
        ({"urutan": "nama"}, ("holder_name", "pk")),
        ({"urutan": "-kedaluwarsa"}, ("-expires_on", "-pk")),
    ],
)
def test_order_and_status_are_ones_an_index_can_serve(params, order_by):
    """No CASE in WHERE (an estimate PostgreSQL cannot make) and one direction per index walk."""
    from hr.filters import RegistryFilter
    from hr.selectors import registry_queryset

    queryset = RegistryFilter({"status": "valid", **params}, queryset=registry_queryset()).qs
    assert queryset.query.order_by == order_by
    assert "CASE" not in str(queryset.query).split(" WHERE ", 1)[1]


def test_filtered_page_links_keep_the_filters(hr_client, world):
    page = hr_client.get(URL, {"status": "valid", "urutan": "nama"}).content.decode()
    assert 'href="/hr/sertifikat/ekspor.csv?status=valid&amp;urutan=nama"' in page
    assert "?status=valid&amp;urutan=-nama" in page  # the name header toggles direction and keeps the filter


def test_pagination(hr_client, world):
    officer = make_officer(full_name="Zaenal", office=world.medan)
    for _ in range(60):
        make_certificate(holder=officer, course=world.course_b, cycle=_ + 1)
    first = hr_client.get(URL, {"urutan": "nama"})
    second = hr_client.get(URL, {"urutan": "nama", "halaman": 2})
    assert len(serials(first)) == 50 and len(serials(second)) == 16
    assert not set(serials(first)) & set(serials(second))
    assert "halaman=2" in first.content.decode()


def test_query_count_does_not_grow_with_rows(hr_client, world, django_assert_num_queries):
    hr_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        hr_client.get(URL, {"status": "valid"})
    for index in range(30):
        holder = make_officer(full_name=f"Petugas {index}", office=world.bandung)
        make_certificate(holder=holder, course=world.course_a)
    with django_assert_num_queries(len(few)):
        response = hr_client.get(URL, {"status": "valid"})
    assert len(serials(response)) == 34


def options(response, name) -> list[str]:
    """The labels a filter's <select> offers."""
    field = response.context["filter"].form[name]
    return [str(label) for _value, label in field.field.widget.choices]


def test_option_lists_are_cached_but_every_change_shows_at_once(
    hr_client, world, django_capture_on_commit_callbacks
):
    first = hr_client.get(URL)
    assert "Kantor Imigrasi Medan" in options(first, "kantor") and "Polri" in options(first, "instansi")
    with CaptureQueriesContext(connection) as cached:
        hr_client.get(URL)
    option_tables = ('FROM "lms_agency"', 'FROM "lms_office"', 'FROM "certificates_program"', 'FROM "courses_coursepage"')
    assert not [q["sql"] for q in cached.captured_queries if any(table in q["sql"] for table in option_tables)]

    with django_capture_on_commit_callbacks(execute=True):
        papua = OfficeFactory(code="KANIM-JPR", name="Kantor Imigrasi Jayapura", province="Papua")
    page = hr_client.get(URL)
    assert "Kantor Imigrasi Jayapura" in options(page, "kantor") and "Papua" in options(page, "provinsi")
    assert keys(world, hr_client.get(URL, {"kantor": papua.pk})) == set()  # offered and accepted

    with django_capture_on_commit_callbacks(execute=True):
        papua.delete()
        world.program.title = "Program Lanjutan"
        world.program.save()
        world.polri.short_name = "Kepolisian"
        world.polri.save()
        AgencyFactory(code="BP2MI", short_name="BP2MI")
    page = hr_client.get(URL)
    assert "Kantor Imigrasi Jayapura" not in options(page, "kantor") and "Papua" not in options(page, "provinsi")
    assert options(page, "instansi") == ["Semua instansi", "Imigrasi", "BP2MI", "Kepolisian"]  # by full name
    subjects = dict(page.context["filter"].form["subjek"].field.choices)
    assert [title for _value, title in subjects["Program"]] == ["Program Lanjutan"]

    with django_capture_on_commit_callbacks(execute=True):
        world.course_b.title = "Penyelundupan Manusia (Edisi 2)"
        world.course_b.save_revision().publish()
        world.course_a.unpublish()
    subjects = dict(hr_client.get(URL).context["filter"].form["subjek"].field.choices)
    assert [title for _value, title in subjects["Kursus"]] == ["Penyelundupan Manusia (Edisi 2)"]
