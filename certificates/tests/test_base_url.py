"""Certificates print the address this deployment is served at (PUBLIC_BASE_URL), never a stale one.

Paper lives for years: a QR code or link for another port or host is a dead link.
`make run PORT=N` passes PUBLIC_BASE_URL for port N to the server, the task
worker and the demo seed; a PDF rendered for another address is rendered again
before it is handed out.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from certificates.models import Certificate, RevocationReason
from certificates.services import certificate_render, certificate_revoke
from certificates.tests.factories import make_certificate
from certificates.tests.test_pdf import decode_qr_codes, page_text, read_pdf
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OLD = "http://127.0.0.1:8000"
NEW = "http://127.0.0.1:8031"


@pytest.fixture
def certificate(catalog):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")
    return make_certificate(holder=make_officer(full_name="Budi Santoso", nip="198503122010011001"), course=course)


def test_the_qr_code_text_and_share_link_carry_the_configured_base_url(client, certificate, settings):
    settings.PUBLIC_BASE_URL = NEW
    certificate = certificate_render(certificate=certificate)
    url = f"{NEW}/verify/{certificate.code}/"
    _content, reader = read_pdf(certificate)
    assert decode_qr_codes(reader) == [url]
    assert url in page_text(reader)

    client.force_login(certificate.holder)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert re.search(rf'<input type="text" id="share-\d+" readonly value="{re.escape(url)}">', page)
    assert OLD not in page


def test_a_pdf_rendered_for_another_address_is_rendered_again_before_download(client, certificate, settings):
    settings.PUBLIC_BASE_URL = OLD
    certificate = certificate_render(certificate=certificate)
    assert certificate.pdf_base_url == OLD and certificate.pdf_ready

    settings.PUBLIC_BASE_URL = NEW  # e.g. `make run PORT=8031` after a run on port 8000
    certificate.refresh_from_db()
    assert not certificate.pdf_ready
    client.force_login(certificate.holder)
    first = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert first.status_code == 202  # asked the worker (immediate in the tests) for a new PDF
    second = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert second.status_code == 200
    certificate.refresh_from_db()
    assert certificate.pdf_base_url == NEW
    _content, reader = read_pdf(certificate)
    assert decode_qr_codes(reader) == [f"{NEW}/verify/{certificate.code}/"]


def test_make_run_passes_the_address_of_its_port_to_server_worker_and_seed():
    """`make -n` prints the commands `make run PORT=8031` would run, without running them."""
    result = subprocess.run(
        ["make", "-n", "-B", "run", "PORT=8031"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for command in ("seed_demo", "db_worker", "runserver"):
        line = next(line for line in lines if f"manage.py {command}" in line)
        assert f"PUBLIC_BASE_URL={NEW}" in line and f"SITE_URL={NEW}" in line, line
    assert "runserver 127.0.0.1:8031" in result.stdout


def test_rerender_stale_renders_the_pdfs_of_another_address_again(catalog, settings):
    """`make run` runs it after the seed: officers' PDFs from an earlier port are rendered for the new one."""
    from io import StringIO

    from django.core.management import call_command

    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")
    holders = [make_officer(full_name=f"Petugas {n}", nip=f"19850312201001100{n}") for n in range(1, 4)]
    settings.PUBLIC_BASE_URL = OLD
    stale, revoked = (certificate_render(certificate=make_certificate(holder=h, course=course)) for h in holders[:2])
    certificate_revoke(certificate=revoked, by=UserFactory(), reason=RevocationReason.OTHER, note="Uji")
    settings.PUBLIC_BASE_URL = NEW
    current = certificate_render(certificate=make_certificate(holder=holders[2], course=course))
    out = StringIO()
    call_command("rerender_certificates", "--stale", stdout=out)
    assert "Enqueued 1 " in out.getvalue()
    bases = dict(Certificate.objects.values_list("pk", "pdf_base_url"))
    assert bases == {stale.pk: NEW, revoked.pk: OLD, current.pk: NEW}
