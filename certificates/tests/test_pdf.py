"""The certificate PDF as a holder, a printer and a verifier meet it: read back with real tools."""

import datetime
import hashlib
import io

import pytest
import zxingcpp
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from certificates.models import CertificateTemplate, Signatory
from certificates.rendering import AssetFetcher, AssetRefused, get_renderer
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, LegalBasisFactory, make_officer

pytestmark = pytest.mark.django_db

HOLDER = "Ni Luh Putu Ayu Ṡaraswati Şahin-Đorđević"


@pytest.fixture
def imigrasi(db):
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    Signatory.objects.create(
        agency=agency,
        name="Dr. Ir. Penandatangan Uji, M.Si.",
        id_number="197001011990031001",
        position="Direktur Jenderal Imigrasi",
        place="Jakarta",
    )
    return agency


@pytest.fixture
def certificate(catalog, imigrasi):
    course = make_course(
        catalog=catalog,
        agency=imigrasi,
        title="Paspor dan Pencegahan TPPM",
        lesson_hours=6,
        legal_bases=[LegalBasisFactory(title="Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian")],
    )
    holder = make_officer(full_name=HOLDER, nip="199001012015031001")
    record = make_certificate(holder=holder, course=course)
    record.legal_basis = "Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian"
    record.save(update_fields=["legal_basis"])
    return record


def read_pdf(certificate) -> tuple[bytes, PdfReader]:
    certificate.pdf.open("rb")
    try:
        content = certificate.pdf.read()
    finally:
        certificate.pdf.close()
    return content, PdfReader(io.BytesIO(content))


MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]


def indonesian(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def page_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def decode_qr_codes(reader: PdfReader) -> list[str]:
    """Decode every image on the page with a real QR decoder (zxing-cpp), as a phone would."""
    texts = []
    for image_file in reader.pages[0].images:
        image = image_file.image.convert("L")
        # The QR is stored one pixel per module; scale it up as the printed page does.
        image = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
        texts += [result.text for result in zxingcpp.read_barcodes(image)]
    return texts


def test_pdf_shows_the_holder_with_every_character_and_the_serial(certificate):
    certificate = certificate_render(certificate=certificate)
    content, reader = read_pdf(certificate)
    text = page_text(reader)
    assert HOLDER in text
    assert certificate.serial in text
    assert "199001012015031001" in text
    assert "Paspor dan Pencegahan TPPM" in text
    assert "Direktorat Jenderal Imigrasi" in text
    assert "6 JP" in text
    assert "Undang-Undang Nomor 6 Tahun 2011" in text
    assert "Dr. Ir. Penandatangan Uji, M.Si." in text
    # Dates in Indonesian.
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
    assert f"{certificate.issued_on.day} {months[certificate.issued_on.month - 1]} {certificate.issued_on.year}" in text
    assert certificate.pdf_sha256 == hashlib.sha256(content).hexdigest()


def test_pdf_is_one_a4_landscape_page_small_with_embedded_fonts(certificate):
    certificate = certificate_render(certificate=certificate)
    content, reader = read_pdf(certificate)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape in points
    assert len(content) <= 100 * 1024
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]


def test_qr_code_decodes_to_the_absolute_verification_url(certificate, settings):
    settings.PUBLIC_BASE_URL = "https://pimpasa.imigrasi.go.id"
    certificate = certificate_render(certificate=certificate)
    _content, reader = read_pdf(certificate)
    assert decode_qr_codes(reader) == [f"https://pimpasa.imigrasi.go.id/verify/{certificate.code}/"]
    assert f"https://pimpasa.imigrasi.go.id/verify/{certificate.code}/" in page_text(reader)


def test_pdf_metadata_and_pdfa_identification(certificate):
    certificate = certificate_render(certificate=certificate)
    _content, reader = read_pdf(certificate)
    metadata = reader.metadata
    assert HOLDER in metadata.title and "Paspor dan Pencegahan TPPM" in metadata.title
    assert metadata.author == "Direktorat Jenderal Imigrasi"
    assert certificate.serial in metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "id"
    xmp = reader.xmp_metadata
    pdfaid = "http://www.aiim.org/pdfa/ns/id/"
    assert xmp.get_nodes_in_namespace("", pdfaid) is not None
    assert xmp.rdf_root.toxml().count('pdfaid:part="3"') == 1
    assert 'pdfaid:conformance="U"' in xmp.rdf_root.toxml()


def test_a_long_name_and_legal_basis_still_fit_on_one_page(catalog, imigrasi):
    course = make_course(catalog=catalog, agency=imigrasi, title="Kursus " + "Sangat Panjang " * 12)
    holder = make_officer(full_name="Raden Mas " + "Panjang Sekali " * 10 + "S.H., M.H.", nip="198501012010121001")
    record = make_certificate(holder=holder, course=course)
    record.legal_basis = "; ".join(f"Undang-Undang Nomor {n} Tahun 20{n:02d} tentang Sesuatu yang Panjang" for n in range(1, 12))
    record.save(update_fields=["legal_basis"])
    record = certificate_render(certificate=record)
    _content, reader = read_pdf(record)
    assert len(reader.pages) == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/logo.png", "https://certificate-assets.invalid/media/../../etc/passwd"])
def test_url_fetcher_refuses_anything_but_project_files(url):
    with pytest.raises(AssetRefused):
        AssetFetcher().fetch(url)


def test_rendering_a_document_that_references_outside_files_embeds_nothing(caplog):
    html = (
        '<html><body><p>Uji</p><img src="file:///etc/passwd"><img src="http://example.com/x.png">'
        '<img src="https://certificate-assets.invalid/static/../../../etc/passwd"></body></html>'
    )
    with caplog.at_level("WARNING"):
        pdf = get_renderer().render_html(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert list(reader.pages[0].images) == []
    assert b"root:" not in pdf
    refused = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert any("etc/passwd" in message for message in refused)
    assert any("example.com" in message for message in refused)


def test_the_fetcher_serves_the_projects_own_fonts():
    response = AssetFetcher().fetch("https://certificate-assets.invalid/static/fonts/SourceSansPro-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


def test_a_template_edit_shows_in_newly_rendered_pdfs(certificate, imigrasi):
    template = CertificateTemplate.objects.create(
        agency=imigrasi, title_text="Piagam Kelulusan", body_text="lulus {jenis} dengan {jp} JP:", closing_text=""
    )
    first = certificate_render(certificate=certificate)
    assert "PIAGAM KELULUSAN" in page_text(read_pdf(first)[1]).upper()
    assert "lulus kursus dengan 6 JP: Paspor dan Pencegahan TPPM" in page_text(read_pdf(first)[1])

    template.title_text = "Sertifikat Kompetensi Pimpasa"
    template.body_text = "dinyatakan kompeten dalam"
    template.closing_text = "({jp} JP) pada {tanggal}, secara {moda}."
    template.save()
    second = certificate_render(certificate=first)
    text = page_text(read_pdf(second)[1])
    assert "SERTIFIKAT KOMPETENSI PIMPASA" in text.upper()
    assert f"dinyatakan kompeten dalam Paspor dan Pencegahan TPPM (6 JP) pada {indonesian(first.issued_on)}, secara daring." in text
    assert second.pdf_sha256 != first.pdf_sha256


def test_a_course_template_overrides_the_agency_template_and_english_is_available(certificate, imigrasi):
    CertificateTemplate.objects.create(agency=imigrasi, title_text="Templat Instansi")
    CertificateTemplate.objects.create(
        agency=imigrasi, course=certificate.course, title_text="Certificate of Completion", language="en",
        body_text="has completed the {jenis}", closing_text="({jp} lesson hours).",
    )
    text = page_text(read_pdf(certificate_render(certificate=certificate))[1])
    assert "CERTIFICATE OF COMPLETION" in text.upper()
    assert "has completed the course Paspor dan Pencegahan TPPM (6 lesson hours)." in text
    assert "TEMPLAT INSTANSI" not in text.upper()


def test_an_english_template_gives_english_labels_and_dates_whatever_the_request_language(certificate, imigrasi):
    CertificateTemplate.objects.create(
        agency=imigrasi, title_text="Certificate of Completion", language="en",
        body_text="has completed the {jenis}", closing_text="({jp} lesson hours).",
    )
    certificate.issued_on = certificate.period_start = certificate.period_end = datetime.date(2026, 3, 2)
    certificate.save(update_fields=["issued_on", "period_start", "period_end"])
    with translation.override("id"):
        certificate = certificate_render(certificate=certificate)
    _content, reader = read_pdf(certificate)
    text = page_text(reader)
    for label in ("awarded to", "Rank/grade", "Position", "Work unit", "Period", "2 March 2026 to 2 March 2026",
                  "Mode Online", "Lesson hours", "Valid until", "Material based on:",
                  "Verification code:", "Check the authenticity and status of this certificate"):
        assert label in text
    for label in ("diberikan kepada", "Pangkat", "Jabatan", "Unit kerja", "Periode", "s.d.", "Daring",
                  "Jam pelajaran", "Berlaku sampai", "Materi berdasarkan", "Kode verifikasi", "Periksa keaslian"):
        assert label not in text
    assert f"Number: {certificate.serial}" in text
    assert "2 March 2026" in text and "Maret" not in text
    assert "Certificate Paspor dan Pencegahan TPPM for" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "https://pimpasa.imigrasi.go.id", "https://sertifikat.kemenimipas.go.id/lms"])
def test_qr_images_decode_for_many_codes_and_origins(base):
    import base64

    from certificates.codes import code_generate
    from certificates.rendering import qr_data_url

    for _ in range(20):
        url = f"{base}/verify/{code_generate()}/"
        image = Image.open(io.BytesIO(base64.b64decode(qr_data_url(url).partition(",")[2]))).convert("L")
        image = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
        assert [result.text for result in zxingcpp.read_barcodes(image)] == [url]
