"""Bad input gets a clear answer, never a 500: fuzzed login and catalog filters,
uploads refused by type and size before they are stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.tests.builders import make_course
from lms import roles
from lms.tests.factories import AgencyFactory, LegalBasisFactory, UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
# Text as browsers and scripts send it: any unicode, control characters, very long values.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(["", " ", "\x00", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "a" * 10_000]),
)


@pytest.fixture
def open_limits(settings):
    """Fuzzing sends hundreds of logins: lift the lockout and budget, which have their own tests."""
    settings.AXES_ENABLED = False
    settings.RATELIMIT_ENABLE = False


class TestLoginFuzz:
    @FUZZ
    @given(username=nasty_text, password=nasty_text, extra=st.dictionaries(st.text(max_size=20), nasty_text, max_size=3))
    def test_login_never_fails_with_a_server_error(self, open_limits, username, password, extra):
        data = {**extra, "username": username, "password": password}
        response = Client().post("/accounts/login/", data)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode() or "error" in response.content.decode()

    def test_a_nul_byte_in_the_username_is_a_form_error(self, open_limits):
        response = Client().post("/accounts/login/", {"username": "petugas\x00", "password": "x"})
        assert response.status_code == 200


class TestCatalogFilterFuzz:
    @pytest.fixture
    def catalog_with_course(self, catalog):
        make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), legal_bases=[LegalBasisFactory(code="UU-21-2007")])
        return catalog

    @FUZZ
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "q": nasty_text,
                "instansi": st.one_of(nasty_text, st.just("IMI")),
                "dasar_hukum": st.one_of(nasty_text, st.just("UU-21-2007")),
                "tingkat": st.one_of(nasty_text, st.sampled_from(["dasar", "menengah", "lanjutan"])),
                "halaman": st.one_of(nasty_text, st.integers().map(str)),
            },
        )
    )
    def test_filters_never_fail_with_a_server_error(self, catalog_with_course, params):
        response = Client().get("/kursus/", params)
        assert response.status_code == 200


@pytest.fixture
def trainer_client(client, catalog):
    roles.sync_catalog(catalog=catalog)
    client.force_login(UserFactory(groups=[roles.TRAINER_IMIGRASI]))
    return client


def png(size=(4, 4)) -> bytes:
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


class TestUploads:
    def upload_image(self, client, name, content, content_type="image/png"):
        return client.post(
            "/admin/images/add/", {"title": "Uji", "file": SimpleUploadedFile(name, content, content_type=content_type)}
        )

    def test_a_good_image_is_stored(self, trainer_client):
        assert self.upload_image(trainer_client, "foto.png", png()).status_code == 302
        assert Image.objects.count() == 1

    def test_an_oversized_image_is_refused_with_a_message(self, trainer_client, settings):
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
        response = self.upload_image(trainer_client, "foto.png", png((64, 64)) + b"\0" * 200)
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not Image.objects.exists()

    @pytest.mark.parametrize(
        "name, content, content_type",
        [
            ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
            ("skrip.png", b"#!/bin/sh\necho bukan gambar\n", "image/png"),
            ("rusak.png", png()[:40], "image/png"),  # a truncated PNG: Wagtail alone answers 500
        ],
        ids=["svg", "not-an-image", "truncated"],
    )
    def test_files_that_are_not_usable_images_are_refused(self, trainer_client, name, content, content_type):
        response = self.upload_image(trainer_client, name, content, content_type)
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not Image.objects.exists()

    def test_documents_of_other_types_are_refused(self, trainer_client):
        response = trainer_client.post(
            "/admin/documents/add/",
            {"title": "Halaman", "file": SimpleUploadedFile("halaman.html", b"<script>alert(1)</script>", "text/html")},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not Document.objects.exists()

    def test_oversized_documents_are_refused(self, trainer_client, settings):
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
        response = trainer_client.post(
            "/admin/documents/add/",
            {"title": "Besar", "file": SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 500, "application/pdf")},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not Document.objects.exists()
