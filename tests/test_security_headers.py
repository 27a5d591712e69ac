"""Production settings pass Django's deploy check; every response carries the security
headers; the site's own pages run no inline script while the Wagtail admin still works."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from courses.models import ModulePage
from courses.tests.builders import make_course
from courses.tests.test_admin_authoring import module_form
from lms import roles
from lms.tests.factories import AgencyFactory, LegalBasisFactory, LegalProvisionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "pimpasa.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://pimpasa.example.go.id",
    "SITE_URL": "https://pimpasa.example.go.id",
    "PUBLIC_BASE_URL": "https://pimpasa.example.go.id",
}
# An executable inline script: <script> without src=, other than JSON data blocks.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def run_manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this test process (tests/e2e/conftest.py);
    # it belongs to the test harness, not to the production environment under check.
    harness_only = {"SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in harness_only}
    clean.update(DJANGO_SETTINGS_MODULE="lms.settings.production", **PRODUCTION_ENV, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=180
    )


@pytest.mark.parametrize("redis", [False, True], ids=["one-machine", "with-redis"])
def test_production_passes_the_deploy_check_with_zero_warnings(redis):
    env = {"DJANGO_DEBUG": "0", **({"REDIS_URL": "redis://127.0.0.1:6379/0"} if redis else {})}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_and_transport_settings():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = run_manage("shell", "-c", code, DJANGO_DEBUG="0")
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "True", "True", "False"], result.stderr


@pytest.fixture
def site(catalog):
    roles.sync_catalog(catalog=catalog)
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), modules=1)
    return {"course": course, "module": ModulePage.objects.child_of(course).get()}


def test_public_pages_carry_the_security_headers(client, site):
    response = client.get(site["course"].url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_site_pages_contain_no_inline_script(client, site, officer):
    from courses import services

    services.enrollment_create(user=officer, course=site["course"])
    urls = ["/", "/kursus/", site["course"].url, "/accounts/login/", "/accounts/sandi/lupa/", "/accounts/sandi/lupa/terkirim/"]
    pages = {url: client.get(url) for url in urls}
    client.force_login(officer)
    for url in [site["module"].url, "/my/learning/", "/accounts/kata-sandi/"]:
        pages[url] = client.get(url)
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert " style=" not in html, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


def test_the_admin_edit_page_still_renders_under_its_policy(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/pages/{site['module'].pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "new InlinePanel(" in html  # Wagtail's inline initialisers, allowed on /admin/ only
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp


def directives(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_previews_alone_may_be_framed_and_by_the_admin_alone(client, site):
    """The editor's preview panel is an iframe of the same origin: the preview views and
    the page they render say `frame-ancestors 'self'`; every other admin page says 'none'."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    module, course = site["module"], site["course"]
    for url in (f"/admin/pages/{module.pk}/edit/", "/admin/", f"/admin/pages/{course.pk}/"):
        response = client.get(url)
        assert directives(response)["frame-ancestors"] == "'none'", url
        assert response["X-Frame-Options"] == "DENY", url

    law = LegalBasisFactory(code="UU-21-2007")
    authoring = {  # what module_form cites and tags: provisions of the law, not the law alone
        "law": law,
        "pasal2_1": LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1"),
        "pasal2": LegalProvisionFactory(legal_basis=law, pasal="2"),
    }
    previews = {
        f"/admin/pages/{module.pk}/edit/preview/": module_form(authoring, title=module.title, slug=module.slug),
        f"/admin/pages/add/courses/modulepage/{course.pk}/preview/": module_form(authoring, slug="modul-baru"),
    }
    for url, data in previews.items():
        data["summary"] = "Ringkasan yang sedang disunting."
        assert client.post(url, data).json() == {"is_valid": True, "is_available": True}, url
        preview = client.get(url, {"in_preview_panel": "true"})
        assert preview.status_code == 200, url
        assert "Ringkasan yang sedang disunting." in preview.content.decode(), url
        assert directives(preview)["frame-ancestors"] == "'self'", url
        assert preview["X-Frame-Options"] == "SAMEORIGIN", url
        # The previewed page is the site's page: the site's strict script policy stays.
        assert directives(preview)["script-src"] == "'self'", url

    block_id = ModulePage._meta.get_field("body").stream_block.child_blocks["paragraph"].definition_prefix
    block = client.get("/admin/block-preview/", {"id": block_id})
    assert block.status_code == 200
    assert directives(block)["frame-ancestors"] == "'self'"
    assert block["X-Frame-Options"] == "SAMEORIGIN"

    # The site's own page stays unframeable.
    public = client.get(module.url)
    assert directives(public)["frame-ancestors"] == "'none'"
    assert public["X-Frame-Options"] == "DENY"


# --- The client address under production settings -------------------------------------------

ROTATED = [f"127.9.0.{n}" for n in range(12)]


@pytest.fixture(scope="module")
def production_proxy_count():
    """TRUSTED_PROXY_COUNT as lms.settings.production sets it when the environment is silent."""
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)", DJANGO_DEBUG="0")
    return int(result.stdout.strip().splitlines()[-1])


def test_production_ignores_x_forwarded_for_unless_told_how_many_proxies_append_to_it():
    code = (
        "from django.test import RequestFactory; from lms.ratelimits import client_ip; "
        "requests = [RequestFactory().get('/', REMOTE_ADDR='127.0.0.1', HTTP_X_FORWARDED_FOR=f'127.9.0.{n}, 127.8.0.{n}') "
        "for n in range(3)]; "
        "print(sorted({client_ip(request) for request in requests}))"
    )
    by_default = run_manage("shell", "-c", code, DJANGO_DEBUG="0")
    assert by_default.stdout.strip().splitlines()[-1] == "['127.0.0.1']", by_default.stderr
    # behind two proxies of ours the second entry from the right is the client; what the client wrote is never used
    behind_two = run_manage("shell", "-c", code, DJANGO_DEBUG="0", TRUSTED_PROXY_COUNT="2")
    assert behind_two.stdout.strip().splitlines()[-1] == "['127.9.0.0', '127.9.0.1', '127.9.0.2']", behind_two.stderr


def test_a_rotated_x_forwarded_for_does_not_reset_the_verification_budget(client, settings, production_proxy_count):
    settings.TRUSTED_PROXY_COUNT = production_proxy_count
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "5/m"}
    statuses = [
        client.get("/api/v1/verify/ABCDEFGHJKMNPQRS/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address).status_code
        for address in ROTATED
    ]
    assert statuses.count(429) == len(ROTATED) - 5
    assert 429 not in statuses[:5]


def test_a_rotated_x_forwarded_for_does_not_escape_a_login_lockout(client, settings, production_proxy_count):
    settings.TRUSTED_PROXY_COUNT = production_proxy_count
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "100/m"}
    UserFactory(username="petugas-xff")
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": "petugas-xff" if n < 3 else f"lain-{n}", "password": "salah-sekali"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        ).status_code
        for n, address in enumerate(ROTATED[:6])
    ]
    # the account locks on its third failure, the address on its sixth failure on any account
    assert statuses == [200, 200, 429, 200, 200, 429]
