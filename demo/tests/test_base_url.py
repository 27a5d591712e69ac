"""The demo seed renders its certificates' PDFs again when the site is served at another address."""

import pytest

from certificates.models import Certificate
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from certificates.tests.test_pdf import decode_qr_codes, read_pdf
from courses.tests.builders import make_course
from demo.certificates import DEMO_HOLDERS, _render_missing
from lms.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD = "http://127.0.0.1:8000"
NEW = "http://127.0.0.1:8031"


def test_the_demo_seed_renders_its_pdfs_again_for_a_new_address(catalog, settings):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")
    holder = UserFactory(username=next(iter(DEMO_HOLDERS)))
    settings.PUBLIC_BASE_URL = OLD
    certificate = certificate_render(certificate=make_certificate(holder=holder, course=course))
    settings.PUBLIC_BASE_URL = NEW
    _render_missing()
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.pdf_base_url == NEW
    _content, reader = read_pdf(certificate)
    assert decode_qr_codes(reader) == [f"{NEW}/verify/{certificate.code}/"]
