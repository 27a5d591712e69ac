"""Anyone holding a certificate checks it: /verify/ page and the JSON API, in every state."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from certificates.codes import code_display
from certificates.models import RevocationReason
from certificates.services import certificate_render, certificate_revoke
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, OfficeFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NIP = "199001012015031001"
# The site header's catalog link, once per content version (catalog page, site root paths);
# each test starts on an empty cache.
HEADER_QUERIES = 2


@pytest.fixture
def course(catalog):
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")
    return make_course(catalog=catalog, agency=agency, title="Paspor dan Pencegahan TPPM")


@pytest.fixture
def holder(db):
    return make_officer(
        full_name="Ni Luh Putu Ayu Ṡaraswati",
        nip=NIP,
        office=OfficeFactory(code="kanim-denpasar", name="Kantor Imigrasi Kelas I TPI Denpasar"),
    )


@pytest.fixture
def valid(course, holder):
    return make_certificate(holder=holder, course=course, issued_on=TODAY - datetime.timedelta(days=10))


@pytest.fixture
def expired(course, holder):
    return make_certificate(
        holder=holder, course=course, issued_on=datetime.date(2023, 1, 5), expires_on=datetime.date(2025, 1, 5), cycle=9
    )


MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


def indonesian(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def revoke(certificate, reason=RevocationReason.MISCONDUCT):
    return certificate_revoke(certificate=certificate, by=UserFactory(), reason=reason, note="catatan internal SDM")


def test_valid_certificate_page_shows_the_facts_and_a_masked_nip(client, valid):
    response = client.get(f"/verify/{valid.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "BERLAKU" in html and "verdict-valid" in html
    assert "Ni Luh Putu Ayu Ṡaraswati" in html
    assert "••••••••••••••1001" in html and NIP not in html
    assert "Paspor dan Pencegahan TPPM" in html
    assert "Direktorat Jenderal Imigrasi" in html
    assert valid.serial in html
    assert indonesian(valid.issued_on) in html and indonesian(valid.expires_on) in html
    assert code_display(valid.code) in html
    assert "Penata Muda (III/a)" in html and "Kantor Imigrasi Kelas I TPI Denpasar" in html
    period = indonesian(valid.period_start) + " s.d. " + indonesian(valid.period_end)
    assert period in " ".join(html.split())


def test_expired_certificate_page_says_expired_with_the_date(client, expired):
    html = client.get(f"/verify/{expired.code}/").content.decode()
    assert "KEDALUWARSA" in html and "verdict-expired" in html
    assert "5 Januari 2025" in html


def test_revoked_certificate_page_says_revoked_with_date_and_reason(client, valid):
    revoke(valid)
    html = client.get(f"/verify/{valid.code}/").content.decode()
    assert "DICABUT" in html and "verdict-revoked" in html
    assert indonesian(TODAY) in html
    assert str(RevocationReason.MISCONDUCT.label) in html
    assert "catatan internal SDM" not in html  # the note is internal; only the category is public


def test_unknown_code_is_a_clear_404_page(client):
    response = client.get("/verify/ZZZZZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "TIDAK DITEMUKAN" in response.content.decode()


def test_malformed_code_is_a_404_page_too(client):
    assert client.get("/verify/abc/").status_code == 404


def test_typed_code_in_lower_case_with_dashes_redirects_to_the_canonical_page(client, valid):
    typed = code_display(valid.code).lower()
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 301
    assert response["Location"] == f"/verify/{valid.code}/"


def test_verify_form_accepts_a_code_with_typos_and_redirects(client, valid):
    typed = code_display(valid.code).lower().replace("0", "o").replace("1", "l")
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{valid.code}/"


def test_verify_form_explains_a_code_of_the_wrong_length(client):
    response = client.get("/verify/", {"code": "12345"})
    assert response.status_code == 200
    assert "16 huruf dan angka" in response.content.decode()


def test_verify_form_page_without_a_code(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert "Kode verifikasi" in response.content.decode()


@pytest.mark.parametrize(
    "pasted",
    [
        "https://localhost/verify/{code}/",
        "http://127.0.0.1:8031/verify/{display}/",
        "  HTTP://127.0.0.1:8031/VERIFY/{lower}  ",
        "https://localhost/verify/{display}/?utm_source=wa#hasil",
        "localhost:8000/verify/{code}/",
        "/verify/{display}/",
        "https://localhost/api/v1/verify/{code}/",
        "https://localhost/verify/{spaced}/",
    ],
)
def test_verify_form_takes_the_code_from_a_pasted_verification_link(client, valid, pasted):
    display = code_display(valid.code)
    typed = pasted.format(
        code=valid.code, display=display, lower=display.lower(), spaced=display.replace("-", "%20")
    )
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/verify/{valid.code}/"


@pytest.mark.parametrize(
    "pasted",
    [
        "https://localhost/certificates/12/pdf/",
        "https://localhost/verify/",
        "ftp://localhost/verify/{code}/",
        "javascript:alert(1)//verify/{code}/",
    ],
)
def test_verify_form_explains_a_link_that_is_not_a_verification_link(client, valid, pasted):
    response = client.get("/verify/", {"code": pasted.format(code=valid.code)})
    assert response.status_code == 200
    assert "Tautan ini bukan tautan verifikasi sertifikat." in response.content.decode()


def test_verify_form_explains_a_verification_link_with_a_mistyped_code(client):
    response = client.get("/verify/", {"code": "https://localhost/verify/7K3M-Q9XD/"})
    assert response.status_code == 200
    assert "Kode verifikasi terdiri dari 16 huruf dan angka" in response.content.decode()


def test_verify_help_says_where_the_pdf_prints_the_code(client, valid):
    """The PDF prints the code to the right of the QR code (read back from the rendered PDF),
    and the form's help says so."""
    import io

    from pypdf import PdfReader

    certificate = certificate_render(certificate=valid)
    with certificate.pdf.open("rb") as stored:
        page = PdfReader(io.BytesIO(stored.read())).pages[0]
    images, texts = [], {}

    def operator(op, args, cm, tm):
        if op == b"Do":  # an image fills the unit square of the current matrix
            images.append((cm[4], cm[4] + cm[0], cm[5], cm[5] + cm[3]))

    def text(value, cm, tm, font, size):
        # The text's origin in page space: the text matrix times the current matrix.
        texts[value.strip()] = (tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    assert len(images) == 1, "the QR code is the page's only image here"
    left, right, bottom, top = images[0]
    x, y = texts[code_display(valid.code)]
    assert x > right and bottom <= y <= top, "the code is printed beside the QR code, to its right"

    help_text = client.get("/verify/").content.decode()
    assert "di sebelah kanan kode QR" in help_text
    assert "di bawah kode QR" not in help_text


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self._inside = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.h1[-1] += data


def h1_texts(response) -> list[str]:
    parser = _Headings()
    parser.feed(response.content.decode())
    return [" ".join(text.split()) for text in parser.h1]


@pytest.mark.parametrize(
    "state, expected_status, verdict",
    [
        ("form", 200, None),
        ("form_error", 200, None),
        ("valid", 200, "BERLAKU"),
        ("expired", 200, "KEDALUWARSA"),
        ("revoked", 200, "DICABUT"),
        ("not_found", 404, "TIDAK DITEMUKAN"),
        ("malformed", 404, "TIDAK DITEMUKAN"),
    ],
)
def test_every_verification_page_has_exactly_one_h1(client, request, state, expected_status, verdict):
    """One page heading for screen readers (axe: page-has-heading-one); the verdict stays its own status box."""
    if state in ("valid", "expired", "revoked"):
        certificate = request.getfixturevalue("expired" if state == "expired" else "valid")
        if state == "revoked":
            revoke(certificate)
        response = client.get(f"/verify/{certificate.code}/")
    else:
        path = {"form": "/verify/", "form_error": "/verify/?code=12345",
                "not_found": "/verify/ZZZZZZZZZZZZZZZZ/", "malformed": "/verify/abc/"}[state]
        response = client.get(path)
    assert response.status_code == expected_status
    assert h1_texts(response) == ["Verifikasi sertifikat"]
    if verdict:
        assert verdict in response.content.decode()


def test_the_verification_heading_is_translated(client, valid):
    client.cookies["django_language"] = "en"
    assert h1_texts(client.get(f"/verify/{valid.code}/")) == ["Verify a certificate"]


def test_json_for_a_valid_certificate_has_exactly_the_public_fields(client, valid):
    response = client.get(f"/api/v1/verify/{valid.code}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "valid",
        "serial": valid.serial,
        "holder_name": "Ni Luh Putu Ayu Ṡaraswati",
        "nip_masked": "••••••••••••••1001",
        "holder_rank": "Penata Muda (III/a)",
        "holder_unit": "Kantor Imigrasi Kelas I TPI Denpasar",
        "title": "Paspor dan Pencegahan TPPM",
        "period_start": valid.issued_on.isoformat(),
        "period_end": valid.issued_on.isoformat(),
        "agency": "Direktorat Jenderal Imigrasi",
        "issued_on": valid.issued_on.isoformat(),
        "expires_on": valid.expires_on.isoformat(),
        "revoked_on": None,
        "revocation_reason": None,
    }


def test_json_for_expired_and_revoked(client, valid, expired):
    data = client.get(f"/api/v1/verify/{expired.code}/").json()
    assert (data["status"], data["expires_on"], data["revoked_on"]) == ("expired", "2025-01-05", None)
    revoke(valid, reason=RevocationReason.DATA_CORRECTION)
    data = client.get(f"/api/v1/verify/{valid.code}/").json()
    assert (data["status"], data["revoked_on"], data["revocation_reason"]) == ("revoked", TODAY.isoformat(), "data_correction")


def test_json_for_a_certificate_without_expiry(client, course, holder):
    forever = make_certificate(holder=holder, course=course, expires_on=None)
    data = client.get(f"/api/v1/verify/{forever.code}/").json()
    assert (data["status"], data["expires_on"]) == ("valid", None)


def test_json_unknown_code_is_404_not_found(client):
    response = client.get("/api/v1/verify/ZZZZZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert response.json() == {"status": "not_found"}
    assert client.get("/api/v1/verify/not-a-code/").json() == {"status": "not_found"}


def test_revocation_shows_at_once_although_answers_are_cached(client, valid, django_assert_num_queries, django_capture_on_commit_callbacks):
    assert client.get(f"/api/v1/verify/{valid.code}/").json()["status"] == "valid"
    with django_assert_num_queries(0):  # served from the cache, the same for everyone
        assert client.get(f"/api/v1/verify/{valid.code}/").json()["status"] == "valid"
    with django_assert_num_queries(HEADER_QUERIES):
        client.get(f"/verify/{valid.code}/")
    with django_capture_on_commit_callbacks(execute=True):
        revoke(valid)
    assert client.get(f"/api/v1/verify/{valid.code}/").json()["status"] == "revoked"
    assert "DICABUT" in client.get(f"/verify/{valid.code}/").content.decode()


def test_re_rendering_refreshes_the_cached_answer(client, valid):
    client.get(f"/api/v1/verify/{valid.code}/")
    # A data correction in the record shows once the certificate is re-rendered.
    type(valid).objects.filter(pk=valid.pk).update(holder_name="Nama Terkoreksi")
    certificate_render(certificate=valid)
    assert client.get(f"/api/v1/verify/{valid.code}/").json()["holder_name"] == "Nama Terkoreksi"


@pytest.mark.parametrize("count", [1, 20])
def test_verification_query_count_does_not_depend_on_how_many_certificates_exist(client, course, holder, count, django_assert_num_queries):
    certificates = [make_certificate(holder=holder, course=course, cycle=cycle) for cycle in range(1, count + 1)]
    with django_assert_num_queries(1 + HEADER_QUERIES):
        client.get(f"/verify/{certificates[-1].code}/")
    with django_assert_num_queries(0):
        client.get(f"/api/v1/verify/{certificates[-1].code}/")
