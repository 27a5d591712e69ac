"""The QR code that proves itself, in a real browser: opened once online, the verification pages'
service worker keeps the offline verifier; without a connection, the QR link shows the signed
claims ("sah … offline"), and a tampered token shows "tidak sah"."""

import base64
import datetime
import json

import pytest
from playwright.sync_api import expect

from certificates.credentials import keys, qr
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_catalog, make_course
from lms.tests.factories import AgencyFactory, make_officer
from tests.e2e import harness

HOLDER = "Ni Luh Putu Ayu Saraswati"


@pytest.fixture
def qr_link(live_server, settings):
    settings.CREDENTIAL_KEYS = keys.serialize_keys([keys.new_key()])
    settings.PUBLIC_BASE_URL = live_server.url
    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    course = make_course(catalog=make_catalog(), agency=agency, title="Paspor dan Pencegahan TPPM", lesson_hours=6)
    officer = make_officer(full_name=HOLDER, nip="199001012015031001")
    certificate = make_certificate(holder=officer, course=course, issued_on=datetime.date(2026, 11, 30))
    return certificate, qr.qr_content(certificate)


def tampered(link: str) -> str:
    """The same link with one claim changed (JP 6 -> 60) and the original signature kept."""
    url, _, token = link.partition("#t=")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["jp"] = 60
    forged = base64.urlsafe_b64encode(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{url}#t={header}.{forged.rstrip(b'=').decode()}.{signature}"


def test_the_qr_link_verifies_without_a_connection_and_a_tampered_one_does_not(live_server, new_page, shots, qr_link):
    certificate, link = qr_link
    assert link.startswith(f"{live_server.url}/verify/{certificate.code}/#t=")
    page = new_page()
    # Online once: the verification page installs the worker, which keeps the offline verifier.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi sertifikat")
    assert page.evaluate("navigator.serviceWorker.ready.then(registration => registration.scope)") == (
        live_server.url + "/verify/"
    )

    page.context.set_offline(True)
    page.goto("about:blank")
    page.goto(link)
    status = page.locator("#offline-result")
    expect(status).to_contain_text("Tanda tangan sah; status pencabutan belum diperiksa (offline).")
    claims = page.locator("#offline-claims")
    expect(claims).to_be_visible()
    for text in (HOLDER, "••••••••••••••1001", "Paspor dan Pencegahan TPPM", "Imigrasi", "6 JP", "30 November 2026",
                 "30 November 2028", certificate.serial):
        expect(claims).to_contain_text(text)
    expect(page.get_by_text("tidak sah")).to_be_hidden()
    shots.take(page, "offline-valid")
    violations = harness.axe_violations(page)
    assert violations == [], harness.describe(violations)

    page.goto("about:blank")
    page.goto(tampered(link))
    expect(status).to_contain_text("Tanda tangan tidak sah")
    expect(page.locator("#offline-claims")).to_be_hidden()
    expect(page.get_by_text("Tanda tangan sah;")).to_be_hidden()
    shots.take(page, "offline-tampered")
    violations = harness.axe_violations(page)
    assert violations == [], harness.describe(violations)

    # Back online, the same link shows the server's answer: the status as today.
    page.context.set_offline(False)
    page.goto("about:blank")
    page.goto(link)
    expect(page.locator(".verdict-label")).to_contain_text("BERLAKU")
