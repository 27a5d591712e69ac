import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.services import enrollment_create
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, LegalBasisFactory

pytestmark = pytest.mark.django_db

PASPOR = "Paspor dan Pencegahan TPPM"
CPMI = "Migrasi Aman bagi CPMI"
TPPO = "Penanganan Perdagangan Orang"
PENGAWASAN = "Pengawasan Orang Asing"
DRAFT = "Kursus Draf Belum Terbit"
ALL_LIVE = {PASPOR, CPMI, TPPO, PENGAWASAN}


@pytest.fixture
def courses(catalog):
    imi = AgencyFactory(code="IMI", short_name="Imigrasi")
    bp2mi = AgencyFactory(code="BP2MI", short_name="BP2MI")
    polri = AgencyFactory(code="POLRI", short_name="Polri")
    uu6 = LegalBasisFactory(code="UU-6-2011", short_name="UU 6/2011")
    uu18 = LegalBasisFactory(code="UU-18-2017", short_name="UU 18/2017")
    uu21 = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    perpres = LegalBasisFactory(code="PERPRES-49-2023", short_name="Perpres 49/2023")
    make_course(
        catalog=catalog,
        title=PASPOR,
        agency=imi,
        level="dasar",
        legal_bases=[uu6, uu21],
        summary="Pemeriksaan dokumen perjalanan warga desa.",
    )
    make_course(
        catalog=catalog,
        title=CPMI,
        agency=bp2mi,
        level="dasar",
        legal_bases=[uu18],
        summary="Prosedur penempatan pekerja migran yang resmi.",
    )
    make_course(
        catalog=catalog,
        title=TPPO,
        agency=polri,
        level="menengah",
        legal_bases=[uu21, perpres],
        summary="Gugus tugas dan penyidikan kasus eksploitasi.",
    )
    make_course(
        catalog=catalog,
        title=PENGAWASAN,
        agency=imi,
        level="lanjutan",
        legal_bases=[uu6],
        summary="Tim pora dan pengawasan keimigrasian.",
    )
    make_course(catalog=catalog, title=DRAFT, agency=imi, level="dasar", live=False, summary="Paspor rahasia.")
    return catalog


def titles(response) -> set[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return {heading.get_text(strip=True) for heading in soup.select(".cards .card-title")}


class TestCatalogFilters:
    def test_unfiltered_catalog_lists_every_live_course(self, client, courses):
        response = client.get("/kursus/")
        assert titles(response) == ALL_LIVE
        assert "4 kursus ditemukan" in response.content.decode()

    def test_agency_filter(self, client, courses):
        assert titles(client.get("/kursus/", {"instansi": "IMI"})) == {PASPOR, PENGAWASAN}
        assert titles(client.get("/kursus/", {"instansi": "POLRI"})) == {TPPO}

    def test_legal_basis_filter(self, client, courses):
        assert titles(client.get("/kursus/", {"dasar_hukum": "UU-21-2007"})) == {PASPOR, TPPO}
        assert titles(client.get("/kursus/", {"dasar_hukum": "UU-18-2017"})) == {CPMI}

    def test_legal_basis_filter_lists_a_course_with_two_matching_bases_once(self, client, courses):
        response = client.get("/kursus/", {"dasar_hukum": "UU-21-2007"})
        assert response.content.decode().count(f">{TPPO}</a>") == 1

    def test_level_filter(self, client, courses):
        assert titles(client.get("/kursus/", {"tingkat": "dasar"})) == {PASPOR, CPMI}
        assert titles(client.get("/kursus/", {"tingkat": "lanjutan"})) == {PENGAWASAN}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("paspor", {PASPOR}),  # title, lower case
            ("PENYIDIKAN", {TPPO}),  # summary, upper case
            ("Migran", {CPMI}),  # summary, mixed case
            ("orang", {TPPO, PENGAWASAN}),  # title of two courses
        ],
    )
    def test_text_search_matches_title_or_summary_case_insensitively(self, client, courses, query, expected):
        assert titles(client.get("/kursus/", {"q": query})) == expected

    def test_combined_filters_intersect(self, client, courses):
        assert titles(client.get("/kursus/", {"instansi": "IMI", "tingkat": "lanjutan"})) == {PENGAWASAN}
        assert titles(client.get("/kursus/", {"instansi": "IMI", "dasar_hukum": "UU-21-2007"})) == {PASPOR}
        assert titles(client.get("/kursus/", {"dasar_hukum": "UU-21-2007", "q": "gugus"})) == {TPPO}

    def test_filtered_url_is_shareable(self, client, courses, officer):
        client.force_login(officer)
        url = "/kursus/?instansi=IMI&tingkat=dasar"
        mine = titles(client.get(url))
        assert mine == {PASPOR}
        assert titles(Client().get(url)) == mine

    def test_filter_form_keeps_the_chosen_values(self, client, courses):
        soup = BeautifulSoup(client.get("/kursus/?instansi=BP2MI&q=migran").content, "html.parser")
        assert soup.select_one("select[name=instansi] option[selected]")["value"] == "BP2MI"
        assert soup.select_one("input[name=q]")["value"] == "migran"

    def test_no_match_shows_a_helpful_message(self, client, courses):
        response = client.get("/kursus/", {"instansi": "BP2MI", "tingkat": "lanjutan"})
        assert titles(response) == set()
        html = response.content.decode()
        assert "Tidak ada kursus yang cocok" in html
        assert "0 kursus ditemukan" in html
        assert "Hapus saringan" in html

    def test_invalid_value_shows_an_error_not_a_server_error(self, client, courses):
        response = client.get("/kursus/", {"instansi": "NOPE"})
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        [field] = soup.select(".field-error")
        assert field.select_one("select[name=instansi]") is not None
        assert "pilihan" in field.select_one(".error").get_text().lower()

    def test_invalid_value_error_is_announced_with_its_field(self, client, courses):
        """Screen readers read the error through the field's aria-describedby, which must name it."""
        soup = BeautifulSoup(client.get("/kursus/", {"instansi": "NOPE"}).content, "html.parser")
        select = soup.select_one("select[name=instansi]")
        assert select["aria-invalid"] == "true"
        described = soup.find(id=select["aria-describedby"])
        assert described is not None
        assert "pilihan" in described.get_text().lower()

    def test_unpublished_courses_never_appear(self, client, courses, officer):
        client.force_login(officer)
        for params in ({}, {"instansi": "IMI"}, {"tingkat": "dasar"}, {"q": "rahasia"}, {"q": "Draf"}):
            response = client.get("/kursus/", params)
            assert DRAFT not in response.content.decode(), params


class TestCatalogQueryCount:
    def test_query_count_does_not_grow_with_the_number_of_courses(
        self, client, catalog, officer, django_assert_num_queries
    ):
        agency = AgencyFactory(code="IMI")
        laws = [LegalBasisFactory(), LegalBasisFactory()]

        def add_courses(count, start):
            for number in range(start, start + count):
                course = make_course(
                    catalog=catalog, title=f"Kursus {number:02d}", agency=agency, legal_bases=laws, modules=2
                )
                enrollment_create(user=officer, course=course)

        client.force_login(officer)
        add_courses(3, start=1)
        with CaptureQueriesContext(connection) as three_cold:  # the shared cache is empty
            assert len(titles(client.get("/kursus/"))) == 3
        with CaptureQueriesContext(connection) as three:  # outlines, cards and the filter form are cached
            assert len(titles(client.get("/kursus/"))) == 3
        assert len(three) < len(three_cold)
        add_courses(9, start=4)
        cache.clear()  # cold again, Wagtail's own site cache included
        with django_assert_num_queries(len(three_cold)):
            assert len(titles(client.get("/kursus/"))) == 12
        with django_assert_num_queries(len(three)):
            assert len(titles(client.get("/kursus/"))) == 12
