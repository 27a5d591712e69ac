"""The QR code that proves itself: read back from the rendered PDF with a real decoder (zxing-cpp),
its token checked with the public key the site publishes, and still small enough to scan from paper."""

import base64
import datetime
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import base58
import pytest
import zxingcpp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from certificates.credentials import keys, qr
from certificates.models import Signatory
from certificates.rendering import QR_BORDER
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer

pytestmark = pytest.mark.django_db

HOLDER = "Ni Luh Putu Ayu Ṡaraswati Şahin-Đorđević"
# As long as a real installation's address (the test only ever talks to localhost).
BASE_URL = "https://localhost:8443/pimpasa-lms-sertifikat"
CURRICULUM = Path(__file__).resolve().parents[2] / "demo" / "curriculum.json"


def longest_seeded_title() -> str:
    data = json.loads(CURRICULUM.read_text(encoding="utf-8"))
    titles = [course["title"] for course in data["courses"]] + [data["program"]["title"]]
    return max(titles, key=len)


@pytest.fixture
def signing_key(settings):
    key = keys.new_key()
    settings.CREDENTIAL_KEYS = keys.serialize_keys([key])
    settings.PUBLIC_BASE_URL = BASE_URL
    return key


@pytest.fixture
def imigrasi(db):
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    Signatory.objects.create(agency=agency, name="Dr. Penandatangan Uji", position="Direktur Jenderal Imigrasi", place="Jakarta")
    return agency


def certificate_for(catalog, agency, *, title="Paspor dan Pencegahan TPPM", holder=HOLDER, expires_on="auto"):
    course = make_course(catalog=catalog, agency=agency, title=title[:255], lesson_hours=6)
    officer = make_officer(full_name=holder, nip="199001012015031001")
    record = make_certificate(holder=officer, course=course, issued_on=datetime.date(2026, 11, 30), expires_on=expires_on)
    record.title = title  # a program's title may be longer than a page's (500 characters)
    record.save(update_fields=["title"])
    return record


def qr_texts_of_pdf(certificate) -> list[str]:
    """Every QR code on the rendered page, decoded as a phone would (scaled up as the printed page is)."""
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    texts = []
    for image_file in reader.pages[0].images:
        image = image_file.image.convert("L")
        image = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
        texts += [result.text for result in zxingcpp.read_barcodes(image)]
    return texts


def _times(m, n):
    """The product of two PDF transformation matrices (a, b, c, d, e, f): `m` applied, then `n`."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def drawn_images(reader: PdfReader) -> list[tuple[int, int, float]]:
    """(pixel width, pixel height, printed width in mm) of every image the first page draws, from its
    drawing operations (the transformation in force at each `Do`, through nested form XObjects)."""
    found = []

    def walk(content, resources, ctm):
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        stack = []
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _times([float(value) for value in operands], ctm)
            elif operator == b"Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject["/Subtype"] == "/Image":
                    found.append((int(xobject["/Width"]), int(xobject["/Height"]), ctm[0] * 25.4 / 72))
                else:
                    matrix = [float(value) for value in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources"), _times(matrix, ctm))

    page = reader.pages[0]
    walk(page.get_contents(), page["/Resources"], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return found


def printed_qr(certificate) -> tuple[str, int, float]:
    """The one QR code on the rendered page as it is printed: its text, its width in modules (the
    image has one pixel per module, quiet zone included) and its width on paper in millimetres."""
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    [(text, size)] = [
        (result.text, image_file.image.size)
        for image_file in reader.pages[0].images
        for result in zxingcpp.read_barcodes(
            image_file.image.convert("L").resize((image_file.image.width * 8, image_file.image.height * 8), Image.NEAREST)
        )
    ]
    [width_mm] = [mm for width, height, mm in drawn_images(reader) if (width, height) == size]
    return text, size[0], width_mm


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def published_key(client, kid: str) -> Ed25519PublicKey:
    """The public key the site publishes for `kid` in its DID document, read as another verifier would."""
    document = client.get("/.well-known/did.json").json()
    method = next(method for method in document["verificationMethod"] if method["id"].endswith("#" + kid))
    raw = base58.b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"  # multicodec ed25519-pub
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verified_claims(client, token: str) -> dict:
    """Check a compact JWS with nothing of ours but the published key: raises InvalidSignature."""
    header, payload, signature = token.split(".")
    protected = json.loads(b64url(header))
    assert protected["alg"] == "EdDSA"
    published_key(client, protected["kid"]).verify(b64url(signature), f"{header}.{payload}".encode("ascii"))
    return json.loads(b64url(payload))


def test_the_printed_qr_holds_the_verification_url_and_a_token_the_published_key_verifies(
    catalog, imigrasi, signing_key, client
):
    certificate = certificate_render(certificate=certificate_for(catalog, imigrasi))
    [text] = qr_texts_of_pdf(certificate)
    url, _, token = text.partition("#t=")
    assert url == f"{BASE_URL}/verify/{certificate.code}/"
    assert urlsplit(text).fragment.startswith("t=")  # never sent to the server
    assert json.loads(b64url(token.split(".")[0])) == {"alg": "EdDSA", "kid": signing_key.kid}
    assert verified_claims(client, token) == {
        "s": certificate.serial,
        "n": HOLDER,
        "p": "1001",
        "c": "Paspor dan Pencegahan TPPM",
        "a": "Imigrasi",
        "jp": 6,
        "i": 20261130,
        "x": 20281130,
    }


def test_one_changed_character_breaks_the_signature(catalog, imigrasi, signing_key, client):
    token = qr.qr_token(certificate_for(catalog, imigrasi))
    header, payload, signature = token.split(".")
    claims = json.loads(b64url(payload))
    claims["jp"] = 60
    forged = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        verified_claims(client, f"{header}.{forged}.{signature}")
    with pytest.raises(ValueError, match="bad signature"):
        qr.verify_token(f"{header}.{forged}.{signature}")
    assert qr.verify_token(token)["jp"] == 6


def test_a_certificate_that_never_expires_has_no_expiry_claim(catalog, imigrasi, signing_key, client):
    token = qr.qr_token(certificate_for(catalog, imigrasi, expires_on=None))
    assert "x" not in verified_claims(client, token)


@pytest.mark.parametrize(
    "title, holder",
    [
        (longest_seeded_title(), HOLDER),
        ("Penanganan Tindak Pidana Perdagangan Orang " * 7 + "dan Penyelundupan Manusia", HOLDER),
        ("Penanganan Tindak Pidana Perdagangan Orang " * 7, "Ni Luh Putu Ayu Ṡaraswati " * 7),
    ],
    ids=["longest-seeded-title", "300-char-title", "300-char-title-200-char-name"],
)
def test_long_titles_are_cut_to_keep_the_qr_at_version_16_and_the_signature_whole(
    catalog, imigrasi, signing_key, client, title, holder
):
    title, holder = title[:300], holder[:200]
    certificate = certificate_render(certificate=certificate_for(catalog, imigrasi, title=title, holder=holder))
    text, modules, width_mm = printed_qr(certificate)
    assert text == qr.qr_content(certificate)
    version = (modules - 2 * QR_BORDER - 17) // 4
    assert version <= 16
    # Printed at least half a millimetre a module (a phone's camera reads that from A4 paper),
    # measured on the page the PDF draws.
    assert round(width_mm / modules, 3) >= 0.5, (width_mm, modules)  # the PDF keeps points to 2 decimals
    claims = verified_claims(client, text.partition("#t=")[2])
    assert claims["c"] == title or (claims["c"].endswith("…") and title.startswith(claims["c"][:-1]))
    assert claims["n"] == holder or (claims["n"].endswith("…") and holder.startswith(claims["n"][:-1]))
    assert len(claims["c"]) >= qr.MIN_TITLE_CHARS
    if len(title) == 300:
        assert claims["c"] != title  # it had to be cut ...
    if len(holder) < 100:
        assert claims["n"] == holder  # ... but a name of ordinary length never is


def test_without_a_key_the_qr_holds_the_url_alone(catalog, imigrasi, settings):
    settings.PUBLIC_BASE_URL = BASE_URL
    certificate = certificate_render(certificate=certificate_for(catalog, imigrasi))
    assert qr_texts_of_pdf(certificate) == [f"{BASE_URL}/verify/{certificate.code}/"]


def test_a_token_signed_before_a_rotation_still_verifies(catalog, imigrasi, settings, client):
    old = keys.new_key(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    settings.CREDENTIAL_KEYS = keys.serialize_keys([old])
    certificate = certificate_for(catalog, imigrasi)
    token = qr.qr_token(certificate)
    settings.CREDENTIAL_KEYS = keys.serialize_keys([old, keys.new_key()])
    assert qr.qr_token(certificate).split(".")[0] != token.split(".")[0]  # the new key signs now
    assert verified_claims(client, token)["s"] == certificate.serial
    assert qr.verify_token(token)["s"] == certificate.serial
