"""Portable credentials: every certificate an Open Badges 3.0 credential, verified by the JavaScript
reference implementation (tools/credentials/verify.mjs, @digitalbazaar/vc under node), revocable
through a Bitstring Status List, still verifying after the key rotates."""

import copy
import datetime
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from pypdf import PdfReader

from certificates.credentials import keys, openbadges, status
from certificates.models import Certificate, RevocationReason
from certificates.services import certificate_issue, certificate_render, certificate_revoke
from certificates.subjects import Subject
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

VERIFIER = Path(django_settings.BASE_DIR) / "tools" / "credentials"
BASE = "http://127.0.0.1:8190"


@pytest.fixture
def key_file(settings, tmp_path):
    settings.PUBLIC_BASE_URL = BASE
    path = tmp_path / "secret" / "credential-keys.json"
    settings.CREDENTIAL_KEYS_FILE = str(path)
    call_command("create_credential_key", file=str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def course(catalog):
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")
    return make_course(
        catalog=catalog, agency=agency, title="Paspor dan Pencegahan TPPM", slug="paspor", validity_months=24
    )


@pytest.fixture
def holder(db):
    return make_officer(full_name="Ni Luh Putu Ayu Ṡaraswati", nip="199001012015031001")


@pytest.fixture
def certificate(course, holder, key_file):
    return certificate_issue(user=holder, subject=Subject.of(course), issued_on=datetime.date(2026, 11, 30))


def get_json(client, url, status_code=200):
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == status_code, response.content[:300]
    return json.loads(response.content) if status_code == 200 else None


def verify_with_reference(client, credential) -> dict:
    """Verify under node with the published DID document and status list fetched from our own URLs."""
    node = shutil.which("node")
    assert node, "node is needed (.ci/install-system-deps)"
    assert (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").is_dir(), "run `make npm` (npm ci in tools/credentials)"
    url = credential["credentialStatus"]["statusListCredential"]
    documents = {url: get_json(client, url)}
    payload = {"credential": credential, "did": get_json(client, "/.well-known/did.json"), "documents": documents}
    result = subprocess.run(
        [node, "verify.mjs"], cwd=VERIFIER, input=json.dumps(payload), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_issued_certificate_is_an_open_badge_the_reference_implementation_verifies(client, certificate):
    credential = get_json(client, f"/verify/{certificate.code}/credential.json")
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": "did:web:127.0.0.1%3A8190", "type": ["Profile"], "name": "Direktorat Jenderal Imigrasi", "url": BASE + "/",
    }
    assert credential["validFrom"] == "2026-11-30T00:00:00+07:00"
    assert credential["validUntil"] == f"{certificate.expires_on.isoformat()}T23:59:59+07:00"
    subject = credential["credentialSubject"]
    assert subject["name"] == "Ni Luh Putu Ayu Ṡaraswati"
    assert subject["achievement"]["name"] == "Paspor dan Pencegahan TPPM"
    assert "199001012015031001" not in json.dumps(credential)  # the NIP only as a salted hash
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"] == keys.verification_method_id(keys.active_key().kid)

    result = verify_with_reference(client, credential)
    assert result == {"verified": True, "error": "", "statusListVerified": True, "revoked": False}
    assert f'href="/verify/{certificate.code}/credential.json"'.encode() in client.get(f"/verify/{certificate.code}/").content


def test_one_changed_character_is_not_verified(client, certificate):
    credential = get_json(client, f"/verify/{certificate.code}/credential.json")
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["name"] = tampered["credentialSubject"]["name"].replace("Ayu", "Ayo")
    assert verify_with_reference(client, tampered)["verified"] is False
    tampered = copy.deepcopy(credential)
    tampered["validUntil"] = tampered["validUntil"].replace("T23", "T22")
    assert verify_with_reference(client, tampered)["verified"] is False


def test_revoking_flips_the_status_bit_that_both_verifiers_read(client, certificate, django_capture_on_commit_callbacks):
    credential = get_json(client, f"/verify/{certificate.code}/credential.json")
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    position = int(entry["statusListIndex"])
    before = verify_with_reference(client, credential)
    assert before == {"verified": True, "error": "", "statusListVerified": True, "revoked": False}
    assert not status.bit_is_set(get_json(client, entry["statusListCredential"])["credentialSubject"]["encodedList"], position)

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, by=UserFactory(), reason=RevocationReason.MISCONDUCT)

    status_list = get_json(client, entry["statusListCredential"])  # the cached list was cleared
    assert status.bit_is_set(status_list["credentialSubject"]["encodedList"], position)
    revoked = get_json(client, f"/verify/{certificate.code}/credential.json")  # still served, unchanged
    assert revoked == credential
    after = verify_with_reference(client, revoked)
    assert after["statusListVerified"] is True and after["revoked"] is True
    assert after["verified"] is False and "revoked" in after["error"]


def test_after_rotating_the_key_old_and_new_credentials_both_verify(client, certificate, course, key_file, catalog):
    old = get_json(client, f"/verify/{certificate.code}/credential.json")
    call_command("create_credential_key", file=str(key_file), rotate=True, stdout=io.StringIO())
    other = make_officer(full_name="Budi Santoso", nip="198503122010011001")
    new_certificate = certificate_issue(user=other, subject=Subject.of(course), issued_on=datetime.date(2026, 11, 30))
    new = get_json(client, f"/verify/{new_certificate.code}/credential.json")
    assert old["proof"]["verificationMethod"] != new["proof"]["verificationMethod"]
    did = get_json(client, "/.well-known/did.json")
    assert [method["id"] for method in did["verificationMethod"]] == did["assertionMethod"]
    assert {old["proof"]["verificationMethod"], new["proof"]["verificationMethod"]} == set(did["assertionMethod"])
    assert verify_with_reference(client, old)["verified"] is True
    assert verify_with_reference(client, new)["verified"] is True


def test_the_pdf_carries_the_credential_as_a_pdfa3_associated_file_under_the_signature(certificate, settings, tmp_path):
    call_command("create_demo_signing_certificate", "--output", str(tmp_path / "p12" / "demo.p12"), stdout=io.StringIO())
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "p12" / "demo.p12")
    settings.CERTIFICATE_SIGNING_P12_PASSWORD = "pimpasa-demo"
    certificate = certificate_render(certificate=certificate)
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    reader = PdfReader(io.BytesIO(content))
    assert json.loads(reader.attachments["credential.json"][0]) == certificate.credential
    root = reader.trailer["/Root"]
    associated = {spec.get_object()["/F"]: spec.get_object() for spec in root["/AF"]}
    assert associated["credential.json"]["/AFRelationship"] == "/Data"
    embedded = associated["credential.json"]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/json" and "/ModDate" in embedded["/Params"]  # PDF/A-3 wants both
    # The PAdES signature is the last revision and covers the whole file, the embedded credential included.
    signature = root["/AcroForm"]["/Fields"][0].get_object()["/V"]
    start, length, second, second_length = signature["/ByteRange"]
    assert start == 0 and second + second_length == len(content)


def test_officers_download_their_credential_and_nobody_else_does(client, certificate, holder):
    client.force_login(holder)
    page = client.get("/my/certificates/")
    assert f"/certificates/{certificate.pk}/credential.json".encode() in page.content
    response = client.get(f"/certificates/{certificate.pk}/credential.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == Certificate.objects.get(pk=certificate.pk).credential
    client.force_login(make_officer(full_name="Orang Lain", nip="198001012005011001"))
    assert client.get(f"/certificates/{certificate.pk}/credential.json").status_code == 404


def test_a_certificate_from_before_credentials_gets_one_when_asked(client, course, holder, key_file):
    old = make_certificate(holder=holder, course=course, issued_on=datetime.date(2025, 3, 1))
    assert old.credential is None
    credential = get_json(client, f"/verify/{old.code}/credential.json")
    assert credential["credentialStatus"]["statusListIndex"] == str(old.pk % status.LIST_SIZE)
    assert get_json(client, f"/verify/{old.code}/credential.json") == credential  # stored once, served as stored
    assert verify_with_reference(client, credential)["verified"] is True


def test_without_a_key_no_credential_is_served(client, course, holder, settings):
    settings.CREDENTIAL_KEYS_FILE = ""
    certificate = certificate_issue(user=holder, subject=Subject.of(course), issued_on=datetime.date(2026, 11, 30))
    assert certificate.credential is None
    get_json(client, f"/verify/{certificate.code}/credential.json", status_code=404)
    get_json(client, "/.well-known/did.json", status_code=404)
    assert b"credential.json" not in client.get(f"/verify/{certificate.code}/").content


def test_production_refuses_to_issue_without_a_key_with_a_clear_message(course, holder, settings):
    settings.CREDENTIAL_KEYS_FILE = ""
    settings.CREDENTIALS_REQUIRED = True
    with pytest.raises(keys.CredentialKeyError, match="create_credential_key"):
        certificate_issue(user=holder, subject=Subject.of(course), issued_on=datetime.date(2026, 11, 30))
    assert not Certificate.objects.exists()


def test_rerender_stale_embeds_a_credential_in_pdfs_rendered_before_the_key(course, holder, settings, tmp_path):
    settings.CREDENTIAL_KEYS_FILE = ""
    certificate = certificate_render(certificate=make_certificate(holder=holder, course=course))
    with certificate.pdf.open("rb") as handle:
        assert "credential.json" not in PdfReader(handle).attachments
    settings.PUBLIC_BASE_URL = BASE
    path = tmp_path / "credential-keys.json"
    call_command("create_credential_key", file=str(path), stdout=io.StringIO())
    settings.CREDENTIAL_KEYS_FILE = str(path)
    settings.PUBLIC_BASE_URL = django_settings.PUBLIC_BASE_URL  # only the key changed
    call_command("rerender_certificates", "--stale", stdout=io.StringIO())
    certificate.refresh_from_db()
    assert certificate.credential is not None
    with certificate.pdf.open("rb") as handle:
        assert json.loads(PdfReader(handle).attachments["credential.json"][0]) == certificate.credential


def test_our_own_verifier_agrees_and_the_did_document_publishes_the_signing_key(client, certificate):
    credential = get_json(client, f"/verify/{certificate.code}/credential.json")
    assert openbadges.verify_credential(credential)
    did = get_json(client, "/.well-known/did.json")
    [method] = did["verificationMethod"]
    assert method["id"] == credential["proof"]["verificationMethod"] and method["controller"] == did["id"]
    public = keys.public_key_from_multibase(method["publicKeyMultibase"])
    assert public.public_bytes_raw() == keys.active_key().public_key.public_bytes_raw()
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] += 1
    assert not openbadges.verify_credential(tampered)
    get_json(client, "/credentials/status/7.json", status_code=404)  # no certificate in that list
