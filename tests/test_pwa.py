"""The officer app on a phone (lms/pwa.py, README "Offline"): the worker at /sw.js, the web
app manifest and its icons, registration from officer pages only, the CSP, logout clearing."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image as PILImage

from hr.tests.builders import make_hr_user
from lms import pwa
from lms.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = '<script src="/static/pwa/register.js"'


def test_worker_is_served_at_the_root_with_the_whole_site_as_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    with open(finders.find("pwa/sw.js"), "rb") as handle:
        assert response.content == handle.read()


def test_manifest_names_the_app_in_indonesian_and_starts_at_my_learning(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "Pimpasa"
    assert "Pelatihan daring Petugas Imigrasi Pembina Desa" in manifest["name"]
    assert manifest["lang"] == "id"
    assert manifest["start_url"] == "/my/learning/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d4f91"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        image = PILImage.open(io.BytesIO(b"".join(served.streaming_content)))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]
        if icon["purpose"] == "maskable":  # full bleed: no transparent corner for a launcher to show
            assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_officer_pages_register_the_worker_and_carry_the_officers_key(client, officer):
    client.force_login(officer)
    html = client.get("/my/learning/").content.decode()
    assert REGISTER in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'data-offline-key="{pwa.offline_key(officer)}"' in html
    assert 'data-service-worker="/sw.js"' in html
    assert 'id="offline-banner"' in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline script"


def test_officers_have_different_keys_that_name_nobody(officer, other_officer):
    key = pwa.offline_key(officer)
    assert key == pwa.offline_key(officer)
    assert key != pwa.offline_key(other_officer)
    assert officer.username not in key
    assert re.fullmatch(r"[0-9a-f]{20}", key)


def test_anonymous_pages_carry_no_key(client, catalog):
    html = client.get("/accounts/login/").content.decode()
    assert "data-offline-key" not in html


def test_hr_pages_never_register_the_worker(client):
    client.force_login(make_hr_user())
    response = client.get("/hr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "pwa/register.js" not in html
    assert "manifest" not in html
    assert "data-service-worker" not in html and "data-offline-key" not in html


def test_admin_pages_never_register_the_worker(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "pwa/register.js" not in html
    assert "/sw.js" not in html and "webmanifest" not in html


def test_csp_allows_our_own_worker_and_manifest_and_still_no_inline_script(client, officer):
    client.force_login(officer)
    policy = client.get("/my/learning/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'"


def test_logout_tells_the_browser_to_clear_caches_and_storage(client, officer):
    client.force_login(officer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_offline_page_says_a_quiz_needs_a_connection(client, officer):
    client.force_login(officer)
    html = client.get("/offline/").content.decode()
    assert "Kuis perlu koneksi internet." in html
