"""The PAdES signature on certificate PDFs, as a verifier meets it: pyHanko's validator, qpdf, pypdf.

The key is the self-made demo key `manage.py create_demo_signing_certificate` writes,
trusted in the validator through its own CA certificate (the file beside the P12).
"""

import asyncio
import datetime
import io
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from wagtail.models import ModelLogEntry

from certificates import checks, demo_signing, signing
from certificates.models import Certificate, CertificateBundle
from certificates.rendering import render_certificate_pdf
from certificates.selectors import certificates_with_stale_pdf, template_for_certificate
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from certificates.tests.test_pdf import decode_qr_codes, page_text, read_pdf
from courses.tests.builders import make_course
from lms import roles
from lms.tests.factories import AgencyFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BSRE_STATEMENT = (
    "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh "
    "Balai Besar Sertifikasi Elektronik (BSrE)."
)
DEMO_STATEMENT = (
    "Keaslian dokumen dapat diperiksa melalui kode QR; tanda tangan elektronik ini bukan tanda tangan "
    "tersertifikasi BSrE."
)


def make_key(directory: Path, name: str = "signing.p12", **names) -> Path:
    files = demo_signing.make_signing_files(**names)
    path = directory / name
    path.write_bytes(files.p12)
    demo_signing.ca_pem_path(path).write_bytes(files.ca_pem)
    return path


def use_key(settings, path: Path, password: str = demo_signing.DEMO_PASSWORD) -> None:
    settings.CERTIFICATE_SIGNING_P12 = str(path)
    settings.CERTIFICATE_SIGNING_P12_PASSWORD = password


@pytest.fixture
def demo_key(tmp_path) -> Path:
    path = tmp_path / "var" / "demo-signing.p12"
    call_command("create_demo_signing_certificate", "--output", str(path), stdout=StringIO())
    return path


@pytest.fixture
def signing_on(settings, demo_key) -> Path:
    use_key(settings, demo_key)
    return demo_key


@pytest.fixture
def certificate(catalog):
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")
    course = make_course(catalog=catalog, agency=agency, title="Paspor dan Pencegahan TPPM", slug="paspor")
    return make_certificate(holder=make_officer(full_name="Budi Santoso", nip="198503122010011001"), course=course)


def trust_root(p12_path: Path) -> asn1_x509.Certificate:
    _type, _headers, der = pem.unarmor(demo_signing.ca_pem_path(p12_path).read_bytes())
    return asn1_x509.Certificate.load(der)


def validate(content: bytes, root: asn1_x509.Certificate):
    reader = PdfFileReader(io.BytesIO(content))
    signatures = reader.embedded_signatures
    assert len(signatures) == 1
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    # pyHanko's synchronous validation starts an event loop: in a thread of its own, since the
    # browser tests' session (Playwright) runs one in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return signatures[0], pool.submit(validate_pdf_signature, signatures[0], context).result()


def qpdf_check(content: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "checked.pdf"
    path.write_bytes(content)
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)


# --- The signature --------------------------------------------------------------------------


def test_a_signed_pdf_validates_intact_whole_and_trusted_with_the_demo_ca_as_root(certificate, signing_on):
    certificate = certificate_render(certificate=certificate)
    content, _reader = read_pdf(certificate)
    embedded, status = validate(content, trust_root(signing_on))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == demo_signing.DEMO_SIGNER_NAME
    assert status.signing_cert.issuer.native["common_name"] == demo_signing.DEMO_CA_NAME
    # PAdES (not the legacy adbe.pkcs7.detached), added as an incremental update to WeasyPrint's document.
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.signed_revision == 1
    # PAdES baseline B-B: the ESS signing-certificate-v2 attribute names the signer's certificate;
    # no CMS signing-time attribute (PAdES forbids it; the time is the signature dictionary's /M).
    attributes = {attribute["type"].native: attribute for attribute in embedded.signer_info["signed_attrs"]}
    assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
    [cert_id] = attributes["signing_certificate_v2"]["values"][0]["certs"]
    assert cert_id["cert_hash"].native == status.signing_cert.sha256
    assert "/M" in embedded.sig_object


def test_an_rsa_4096_key_signs_too(certificate, settings, tmp_path):
    """Government keys are often RSA: a larger certificate and signature still fit the reserved space."""
    path = make_key(tmp_path, "rsa.p12", rsa_bits=4096, signer_name="Penanda Tangan RSA " + "Panjang " * 5)
    use_key(settings, path)
    content, _reader = read_pdf(certificate_render(certificate=certificate))
    _embedded, status = validate(content, trust_root(path))
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.public_key.bit_size == 4096


def test_the_same_pdf_is_not_trusted_without_its_ca(certificate, signing_on, tmp_path):
    """The trust check can fail: another CA as the only root does not vouch for the demo signer."""
    other = make_key(tmp_path, "other.p12", ca_name="Another Test CA")
    content, _reader = read_pdf(certificate_render(certificate=certificate))
    _embedded, status = validate(content, trust_root(other))
    assert status.intact and status.valid
    assert not status.trusted


def test_a_changed_byte_breaks_the_signature(certificate, signing_on):
    content, _reader = read_pdf(certificate_render(certificate=certificate))
    tampered = content.replace(b"Budi Santoso", b"Budi Santosa", 1)
    if tampered == content:  # the name sits in a compressed stream: change the document info instead
        tampered = content.replace(b"/Author", b"/Authos", 1)
    assert tampered != content
    _embedded, status = validate(tampered, trust_root(signing_on))
    assert not status.intact


def test_a_pdf_is_signed_from_a_thread_that_runs_an_event_loop(certificate, signing_on):
    """pyHanko's synchronous API starts its own event loop; called where one already runs (an ASGI
    thread, a browser test session) the signature is still made, and validates."""
    rendered = render_certificate_pdf(certificate, template_for_certificate(certificate)).content  # unsigned

    async def inside_a_running_loop():
        return signing.sign_pdf(rendered)

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of its own runs the loop, whatever this one does
        signed = pool.submit(asyncio.run, inside_a_running_loop()).result()
    assert signed.identity is not None
    _embedded, status = validate(signed.content, trust_root(signing_on))
    assert status.intact and status.valid


def test_signed_pdf_is_qpdf_clean_and_keeps_its_pdfa_3u_identification(certificate, signing_on, tmp_path):
    content, reader = read_pdf(certificate_render(certificate=certificate))
    result = qpdf_check(content, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert xmp.count('pdfaid:part="3"') == 1 and 'pdfaid:conformance="U"' in xmp
    # PDF/A: the document information dictionary agrees with the XMP metadata.
    info = reader.metadata
    assert f'pdf:Producer="{info.producer}"' in xmp
    assert f'pdf:Keywords="{info["/Keywords"]}"' in xmp and f'xmp:CreatorTool="{info.creator}"' in xmp
    for value in (info.title, info.author, info.subject):
        assert value and f">{value}</rdf:li>" in xmp
    # The page is still what WeasyPrint drew: text and a readable QR code.
    assert "Budi Santoso" in page_text(reader)
    assert decode_qr_codes(reader) == [certificate.verification_url]


def test_an_unsigned_pdf_is_qpdf_clean_too(certificate, tmp_path):
    content, _reader = read_pdf(certificate_render(certificate=certificate))
    assert qpdf_check(content, tmp_path).returncode == 0


# --- What the page says ---------------------------------------------------------------------


def test_the_demo_key_makes_the_page_say_it_is_not_a_bsre_signature(certificate, signing_on):
    text = page_text(read_pdf(certificate_render(certificate=certificate))[1])
    assert DEMO_STATEMENT in text
    assert "diterbitkan oleh Balai Besar Sertifikasi Elektronik" not in text


def test_a_key_issued_by_bsre_makes_the_page_say_so(certificate, settings, tmp_path):
    path = make_key(
        tmp_path, ca_name="Balai Besar Sertifikasi Elektronik", ca_organization="Badan Siber dan Sandi Negara",
        signer_name="Kepala Pusat Pengembangan SDM", signer_organization="Direktorat Jenderal Imigrasi",
    )
    use_key(settings, path)
    certificate = certificate_render(certificate=certificate)
    text = page_text(read_pdf(certificate)[1])
    assert BSRE_STATEMENT in text
    assert "bukan tanda tangan tersertifikasi BSrE" not in text
    assert certificate.pdf_signer_bsre
    assert certificate.pdf_signer_issuer == "Balai Besar Sertifikasi Elektronik, Badan Siber dan Sandi Negara"


def test_an_unsigned_installation_prints_no_signature_claim(certificate, settings):
    assert settings.CERTIFICATE_SIGNING_P12 == ""
    certificate = certificate_render(certificate=certificate)
    content, reader = read_pdf(certificate)
    text = page_text(reader)
    for claim in ("BSrE", "ditandatangani", "tanda tangan elektronik", "Keaslian dokumen"):
        assert claim not in text
    assert "Periksa keaslian dan status sertifikat ini dengan memindai kode QR" in text  # the QR verification only
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []
    assert certificate.pdf_signed_at is None and certificate.pdf_signer_fingerprint == ""
    assert not certificate.pdf_signed


def _name(**attributes) -> x509.Name:
    oids = {"cn": NameOID.COMMON_NAME, "o": NameOID.ORGANIZATION_NAME, "ou": NameOID.ORGANIZATIONAL_UNIT_NAME}
    return x509.Name([x509.NameAttribute(oids[key], value) for key, value in attributes.items()])


@pytest.mark.parametrize(
    "name, bsre",
    [
        (_name(cn="Pimpasa DEMO — bukan BSrE", o="Pimpasa LMS (DEMO)"), False),
        (_name(cn="Balai Besar Sertifikasi Elektronik"), True),
        (_name(cn="OSD", o="Balai  sertifikasi ELEKTRONIK"), True),
        (_name(cn="Subordinate", o="BSSN", ou="Balai Besar Sertifikasi Elektronik"), True),
        (_name(cn="BSrE CA G2", o="Badan Siber dan Sandi Negara"), True),
        (_name(cn="BSrE-2023"), True),
        (_name(cn="BSrEx CA"), False),
        (_name(cn="Not BSrE"), False),
        (_name(cn="Badan Siber dan Sandi Negara", o="Badan Siber dan Sandi Negara"), False),
    ],
)
def test_the_bsre_rule_reads_the_issuer_name(name, bsre):
    assert signing.names_bsre(name) is bsre


def test_a_bsre_named_ca_that_did_not_issue_the_signer_does_not_count(tmp_path):
    """The chain decides, not the name alone: the CA in the file must have signed the signer's certificate."""
    names = {"ca_name": "Balai Besar Sertifikasi Elektronik", "ca_organization": "Badan Siber dan Sandi Negara"}
    genuine = pkcs12.load_key_and_certificates(demo_signing.make_signing_files(**names).p12, b"pimpasa-demo")
    impostor = pkcs12.load_key_and_certificates(demo_signing.make_signing_files(**names).p12, b"pimpasa-demo")
    key, certificate, _chain = genuine
    mixed = pkcs12.serialize_key_and_certificates(
        b"x", key, certificate, impostor[2], serialization.BestAvailableEncryption(b"pimpasa-demo")
    )
    (tmp_path / "mixed.p12").write_bytes(mixed)
    (tmp_path / "genuine.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", key, certificate, genuine[2], serialization.BestAvailableEncryption(b"pimpasa-demo")
        )
    )
    load = signing.load_pkcs12
    assert signing.identity_of(load(tmp_path / "genuine.p12", "pimpasa-demo")).is_bsre
    assert not signing.identity_of(load(tmp_path / "mixed.p12", "pimpasa-demo")).is_bsre


# --- The record and the verification page ----------------------------------------------------


def test_the_record_says_who_signed_and_the_verify_page_and_json_show_it(client, certificate, signing_on):
    certificate = certificate_render(certificate=certificate)
    keys = signing.load_pkcs12(signing_on, demo_signing.DEMO_PASSWORD)
    fingerprint = keys.certificate.fingerprint(hashes.SHA256()).hex()
    assert certificate.pdf_signed
    assert certificate.pdf_signer_name == demo_signing.DEMO_SIGNER_NAME
    assert certificate.pdf_signer_organization == demo_signing.DEMO_ORGANIZATION
    assert certificate.pdf_signer_serial == format(keys.certificate.serial_number, "X")
    assert certificate.pdf_signer_fingerprint == fingerprint
    assert not certificate.pdf_signer_bsre
    assert abs(certificate.pdf_signed_at - certificate.rendered_at) < datetime.timedelta(seconds=5)
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certificates.render")
    assert entry.data == {"sha256": certificate.pdf_sha256, "signer_sha256": fingerprint}  # the audit trail names the key

    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert f"Ditandatangani secara elektronik oleh {demo_signing.DEMO_SIGNER_NAME} ({demo_signing.DEMO_ORGANIZATION})" in page
    assert f"diterbitkan oleh {demo_signing.DEMO_CA_NAME}, {demo_signing.DEMO_ORGANIZATION}, bukan oleh BSrE" in page
    assert fingerprint in page

    data = client.get(f"/api/v1/verify/{certificate.code}/").json()
    assert data["status"] == "valid" and data["serial"] == certificate.serial  # the existing keys stay
    assert data["pdf_signed"] is True
    assert data["pdf_signature"] == {
        "signer": demo_signing.DEMO_SIGNER_NAME,
        "organization": demo_signing.DEMO_ORGANIZATION,
        "issuer": f"{demo_signing.DEMO_CA_NAME}, {demo_signing.DEMO_ORGANIZATION}",
        "certificate_serial": certificate.pdf_signer_serial,
        "certificate_sha256": fingerprint,
        "bsre": False,
        "signed_at": timezone.localtime(certificate.pdf_signed_at).isoformat(),
    }
    assert data["pdf_signature"]["signed_at"].endswith("+07:00")  # Jakarta time, as the site shows


def test_the_verify_page_of_an_unsigned_pdf_says_it_is_not_signed(client, certificate):
    certificate = certificate_render(certificate=certificate)
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "PDF sertifikat ini tidak ditandatangani secara elektronik" in page
    assert "Ditandatangani secara elektronik oleh" not in page
    assert client.get(f"/api/v1/verify/{certificate.code}/").json()["pdf_signed"] is False


@pytest.mark.parametrize("fmt", ["zip", "pdf"])
def test_print_bundles_keep_each_signed_file_whole_and_merge_without_broken_signatures(
    client, certificate, signing_on, fmt
):
    """A ZIP holds the signed files as they are; a merged PDF (pages of many files) carries no
    signature, which could only show as broken there."""
    second = make_certificate(holder=make_officer(full_name="Citra Dewi"), course=certificate.course)
    for record in (certificate, second):
        certificate_render(certificate=record)
    client.force_login(UserFactory(groups=[roles.HR]))
    client.post(f"/certificates/bundles/course/{certificate.course.pk}/", {"format": fmt})
    bundle = CertificateBundle.objects.get()
    content = b"".join(client.get(f"/certificates/bundles/{bundle.pk}/download/").streaming_content)
    if fmt == "zip":
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert len(archive.namelist()) == 2
        for name in archive.namelist():
            assert validate(archive.read(name), trust_root(signing_on))[1].bottom_line
    else:
        reader = PdfFileReader(io.BytesIO(content))
        assert reader.embedded_signatures == []
        assert "/AcroForm" not in reader.root
        assert len(PdfReader(io.BytesIO(content)).pages) == 2


# --- Another signing configuration makes a PDF outdated ---------------------------------------


def test_turning_signing_on_makes_unsigned_pdfs_outdated_and_rerender_stale_signs_them(
    client, certificate, settings, demo_key
):
    certificate = certificate_render(certificate=certificate)
    assert certificate.pdf_ready and not certificate.pdf_signed

    use_key(settings, demo_key)
    certificate.refresh_from_db()
    assert not certificate.pdf_ready
    assert list(certificates_with_stale_pdf()) == [certificate]
    call_command("rerender_certificates", "--stale", stdout=StringIO())
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.pdf_signed
    assert list(certificates_with_stale_pdf()) == []

    # The holder downloads the signed PDF.
    client.force_login(certificate.holder)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert validate(content, trust_root(demo_key))[1].bottom_line


def test_another_key_or_signing_turned_off_makes_signed_pdfs_outdated(certificate, settings, signing_on, tmp_path):
    certificate = certificate_render(certificate=certificate)
    assert certificate.pdf_ready
    use_key(settings, make_key(tmp_path, "renewed.p12"))
    assert not Certificate.objects.get(pk=certificate.pk).pdf_ready
    settings.CERTIFICATE_SIGNING_P12 = ""
    assert not Certificate.objects.get(pk=certificate.pk).pdf_ready
    use_key(settings, signing_on)
    assert Certificate.objects.get(pk=certificate.pk).pdf_ready


# --- Configuration --------------------------------------------------------------------------


def test_a_configured_key_that_cannot_be_loaded_fails_the_system_check(settings, demo_key, tmp_path):
    use_key(settings, demo_key, password="not-the-password")
    [error] = checks.signing_key_loads()
    assert error.id == "certificates.E001"
    assert "CERTIFICATE_SIGNING_P12 is set, but the signing key cannot be loaded" in error.msg
    use_key(settings, tmp_path / "missing.p12")
    [error] = checks.signing_key_loads()
    assert "cannot read" in error.msg
    use_key(settings, demo_key)
    assert checks.signing_key_loads() == []
    settings.CERTIFICATE_SIGNING_P12 = ""
    assert checks.signing_key_loads() == []


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "localhost",
    "PUBLIC_BASE_URL": "https://localhost",
}


def production_settings(**env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("CERTIFICATE_", "DJANGO_"))}
    clean.update(PRODUCTION_ENV, **env)
    code = "import django; django.setup(); from certificates import signing; print(signing.configured_identity())"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_with_a_key_it_cannot_load_and_starts_with_a_good_one(demo_key):
    result = production_settings(CERTIFICATE_SIGNING_P12=str(demo_key), CERTIFICATE_SIGNING_P12_PASSWORD="wrong")
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_P12 is set, but the signing key cannot be loaded" in result.stderr
    assert "CERTIFICATE_SIGNING_P12_PASSWORD" in result.stderr

    result = production_settings(CERTIFICATE_SIGNING_P12=str(demo_key), CERTIFICATE_SIGNING_P12_PASSWORD="pimpasa-demo")
    assert result.returncode == 0, result.stderr
    assert demo_signing.DEMO_SIGNER_NAME in result.stdout


# --- The demo key ---------------------------------------------------------------------------


def test_the_demo_key_is_made_once_and_named_as_a_demo(demo_key):
    first = demo_key.read_bytes()
    out = StringIO()
    call_command("create_demo_signing_certificate", "--output", str(demo_key), stdout=out)
    assert "kept" in out.getvalue()
    assert demo_key.read_bytes() == first
    keys = signing.load_pkcs12(demo_key, demo_signing.DEMO_PASSWORD)
    identity = signing.identity_of(keys)
    assert "DEMO" in identity.common_name and "DEMO" in identity.issuer_common_name
    assert identity.issuer_common_name == "Pimpasa DEMO — bukan BSrE"
    assert not identity.is_bsre
    assert oct(demo_key.stat().st_mode & 0o777) == "0o600"


def test_the_demo_command_never_overwrites_another_key(tmp_path):
    path = make_key(tmp_path, "real.p12", ca_name="Balai Besar Sertifikasi Elektronik")
    before = path.read_bytes()
    with pytest.raises(CommandError, match="not the demo CA"):
        call_command("create_demo_signing_certificate", "--output", str(path), stdout=StringIO())
    assert path.read_bytes() == before


def test_make_run_makes_the_demo_key_and_gives_it_to_server_worker_and_seed():
    """`make -n` prints the commands `make run` would run, without running them."""
    result = subprocess.run(
        ["make", "-n", "-B", "run", "PORT=8031"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    demo_path = str(ROOT / "var" / "demo-signing.p12")
    create = next(index for index, line in enumerate(lines) if "manage.py create_demo_signing_certificate" in line)
    assert f"--output '{demo_path}'" in lines[create]
    for command in ("seed_demo", "rerender_certificates", "db_worker", "runserver"):
        index, line = next((i, line) for i, line in enumerate(lines) if f"manage.py {command}" in line)
        assert index > create
        assert f"CERTIFICATE_SIGNING_P12='{demo_path}'" in line, line
        assert "CERTIFICATE_SIGNING_P12_PASSWORD='pimpasa-demo'" in line, line


def test_var_is_ignored_by_git():
    result = subprocess.run(
        ["git", "check-ignore", "var/demo-signing.p12"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
