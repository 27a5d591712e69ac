"""The authorization matrix: every URL pattern and every page type, requested as every role.

The demo data (seed_demo) is loaded once for this module. Roles:

    anonymous      not logged in
    officer_a      petugas1: enrolled in the Imigrasi course, one finished and one open quiz attempt
    officer_b      petugas2: enrolled in the same course, no attempts of their own
    trainer_other  pelatih.polri: a trainer of another agency than the objects below
    trainer_own    pelatih.imigrasi: a trainer of the objects' agency
    reviewer       peninjau
    hr             sdm
    admin          admin (superuser)

Adding a URL — one line in URL_MATRIX, keyed by the pattern exactly as Django
prints it (the failure message of test_every_url_pattern_has_an_entry shows it):

    "verify/<str:code>/": [Row("/verify/{certificate_code}/", everyone(200))],

Values of `{...}` come from `world.ids` (build_world; add what a new row needs there,
e.g. a certificate of officer A). An expectation is a status (200, 404), or
"302>/prefix" (a redirect whose Location starts with /prefix), or "302=/exact".
`everyone(x)`, `logged_in(x)`, `staff(...)` build the per-role dict; keyword
arguments override single roles. A whole area can be covered by a prefix rule
(PREFIX_RULES) with representative rows, as the Wagtail admin and django-admin are.
"""

from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver
from wagtail.documents.models import Document
from wagtail.models import Collection, get_page_models

from certificates.bundling import bundle_request
from certificates.models import BundleFormat, Certificate
from courses import services
from courses.models import CourseIndexPage, CoursePage, ModulePage
from demo.seed import seed_demo
from lms.models import Agency, HomePage, LegalBasis, OfficerProfile

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer_a", "officer_b", "trainer_other", "trainer_own", "reviewer", "hr", "admin"]
USERNAMES = {
    "officer_a": "petugas1",
    "officer_b": "petugas2",
    "trainer_other": "pelatih.polri",
    "trainer_own": "pelatih.imigrasi",
    "reviewer": "peninjau",
    "hr": "sdm",
    "admin": "admin",
}
STAFF = ("trainer_other", "trainer_own", "reviewer", "admin")

LOGIN = "302>/accounts/login/"
ADMIN_LOGIN = "302>/admin/login/"
DJANGO_ADMIN_LOGIN = "302>/django-admin/login/"
DENIED = "302=/admin/"  # Wagtail refuses an admin action by sending the user to the dashboard


def everyone(status, **overrides) -> dict:
    return {**{role: status for role in ROLES}, **overrides}


def logged_in(status, **overrides) -> dict:
    return everyone(status, anonymous=LOGIN, **overrides)


def admin_area(**allowed) -> dict:
    """A Wagtail admin URL: nobody without admin access gets in; `allowed` says what staff get."""
    no_access = {"anonymous": ADMIN_LOGIN, "officer_a": ADMIN_LOGIN, "officer_b": ADMIN_LOGIN, "hr": ADMIN_LOGIN}
    return {**no_access, **{role: DENIED for role in STAFF}, **allowed}


def hr_area(status=200) -> dict:
    """The HR workspace (/hr/): HR and admins only; other signed-in roles get 403."""
    return logged_in(403, hr=status, admin=status)


def django_admin(**allowed) -> dict:
    return {**everyone(DJANGO_ADMIN_LOGIN), **allowed}


@dataclass
class Row:
    url: str
    expect: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    route: str = ""  # for page rows: the RoutablePageMixin route name(s) this row covers, space-separated


# --- URL patterns of the project (not pages) ----------------------------------------
URL_MATRIX = {
    "documents/^(\\d+)/(.*)$": [Row("/documents/{document_id}/{document_filename}", everyone(200))],
    "documents/authenticate_with_password/<int:restriction_id>/": [
        Row("/documents/authenticate_with_password/999999/", everyone(404))
    ],
    "i18n/setlang/": [Row("/i18n/setlang/", everyone("302=/"), method="POST", data={"language": "en"})],
    "accounts/login/": [Row("/accounts/login/", everyone("302>/my/learning/", anonymous=200))],
    "accounts/logout/": [Row("/accounts/logout/", everyone("302=/"), method="POST")],
    "accounts/kata-sandi/": [Row("/accounts/kata-sandi/", logged_in(200))],
    "accounts/kata-sandi/selesai/": [Row("/accounts/kata-sandi/selesai/", logged_in(200))],
    "my/learning/": [Row("/my/learning/", logged_in(200))],
    # The officer app (lms/pwa.py, courses/offline.py): worker, manifest and offline page for all;
    # what to save of a course only for its enrolled officers.
    "sw.js": [Row("/sw.js", everyone(200))],
    "manifest.webmanifest": [Row("/manifest.webmanifest", everyone(200))],
    "offline/": [Row("/offline/", everyone(200))],
    "my/offline/": [Row("/my/offline/", logged_in(200))],
    "my/offline/kursus/<int:course_id>/": [
        Row("/my/offline/kursus/{course_id}/", logged_in(404, officer_a=200, officer_b=200))
    ],
    # An officer invited by HR sets a password here; a wrong token shows "link expired".
    "accounts/sandi/<uidb64>/<token>/": [Row("/accounts/sandi/MQ/bukan-token/", everyone(200))],
    "accounts/sandi/selesai/": [Row("/accounts/sandi/selesai/", everyone(200))],
    # Forgotten password (officers and HR); the Wagtail admin's door is under "admin/".
    "accounts/sandi/lupa/": [Row("/accounts/sandi/lupa/", everyone(200))],
    "accounts/sandi/lupa/terkirim/": [Row("/accounts/sandi/lupa/terkirim/", everyone(200))],
    "accounts/sandi/lupa/selesai/": [Row("/accounts/sandi/lupa/selesai/", everyone(200))],
    "accounts/sandi/lupa/<uidb64>/<token>/": [Row("/accounts/sandi/lupa/MQ/bukan-token/", everyone(200))],
    # Wagtail's front-end login for private pages; no page is private, so it only shows a form.
    "_util/login/": [Row("/_util/login/", everyone(200))],
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": [
        Row("/_util/authenticate_with_password/999999/{course_id}/", everyone(404))
    ],
    # Certificates: verification is public; a PDF is its holder's, HR's and admins' only.
    "verify/": [Row("/verify/", everyone(200)), Row("/verify/?code=bukan-kode", everyone(200))],
    "verify/<str:code>/": [
        Row("/verify/{a_certificate_code}/", everyone(200)),
        Row("/verify/ZZZZZZZZZZZZZZZZ/", everyone(404)),
    ],
    "api/v1/verify/<str:code>/": [
        Row("/api/v1/verify/{a_certificate_code}/", everyone(200)),
        Row("/api/v1/verify/ZZZZZZZZZZZZZZZZ/", everyone(404)),
    ],
    "my/certificates/": [Row("/my/certificates/", logged_in(200))],
    # A's valid certificate is not renewable: A is told so; nobody else learns it exists.
    "my/certificates/<int:pk>/renew/": [
        Row("/my/certificates/{a_certificate_id}/renew/", logged_in(404, officer_a="302=/my/certificates/"), method="POST")
    ],
    # Portable credentials: public like the verification page, the holder's download like the PDF.
    "verify/offline/": [Row("/verify/offline/", everyone(200))],
    "verify/sw.js": [Row("/verify/sw.js", everyone(200))],
    ".well-known/did.json": [Row("/.well-known/did.json", everyone(200))],
    "verify/<str:code>/credential.json": [
        Row("/verify/{a_certificate_code}/credential.json", everyone(200)),
        Row("/verify/ZZZZZZZZZZZZZZZZ/credential.json", everyone(404)),
    ],
    "credentials/status/<int:number>.json": [
        # public to everyone; a list no issued credential points at is not published (the issuing
        # and revoking of a listed one: certificates/tests/test_credentials.py)
        Row("/credentials/status/999999.json", everyone(404)),
    ],
    "certificates/<int:pk>/credential.json": [
        Row("/certificates/{a_certificate_id}/credential.json", logged_in(404, officer_a=200, hr=200, admin=200)),
        Row("/certificates/999999/credential.json", logged_in(404)),
    ],
    "certificates/<int:pk>/pdf/": [
        Row("/certificates/{a_certificate_id}/pdf/", logged_in(404, officer_a=200, hr=200, admin=200)),
        Row("/certificates/999999/pdf/", logged_in(404)),
    ],
    "certificates/bundles/course/<int:course_id>/": [
        Row("/certificates/bundles/course/{course_id}/", logged_in(404, trainer_own=200, hr=200, admin=200))
    ],
    "certificates/bundles/<int:pk>/": [Row("/certificates/bundles/{hr_bundle_id}/", logged_in(404, hr=200, admin=200))],
    "certificates/bundles/<int:pk>/download/": [
        Row("/certificates/bundles/{hr_bundle_id}/download/", logged_in(404, hr=200, admin=200))
    ],
    # The page tree: every page type and route is in PAGE_MATRIX below.
    "^((?:[\\w\\-]+/)*)$": [Row("/halaman-yang-tidak-ada/", everyone(404))],
}

# Areas covered by representative URLs with real object ids.
PREFIX_RULES = {
    "admin/": [
        Row("/admin/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/login/", everyone(200, trainer_other="302=/admin/", trainer_own="302=/admin/", reviewer="302=/admin/", admin="302=/admin/")),
        Row("/admin/pages/{course_id}/edit/", admin_area(trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/pages/{module_id}/edit/", admin_area(trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/pages/add/courses/modulepage/{course_id}/", admin_area(trainer_own=200, admin=200)),
        Row("/admin/pages/add/courses/coursepage/{catalog_id}/", admin_area(trainer_own=200, trainer_other=200, admin=200)),
        Row("/admin/pages/{course_id}/delete/", admin_area(admin=200)),
        Row("/admin/pages/{module_id}/move/", admin_area(admin=200, reviewer=200)),
        Row("/admin/pages/{course_id}/unpublish/", admin_area(reviewer=200, admin=200)),
        Row("/admin/snippets/lms/agency/edit/{agency_id}/", admin_area(admin=200)),
        Row("/admin/snippets/lms/legalbasis/edit/{legal_basis_id}/", admin_area(reviewer=200, admin=200)),
        Row("/admin/snippets/lms/legalprovision/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/snippets/lms/legalprovision/add/", admin_area(reviewer=200, admin=200)),
        Row("/admin/snippets/lms/legalchange/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/snippets/lms/legalchange/add/", admin_area(reviewer=200, admin=200)),
        Row("/admin/users/", admin_area(admin=200)),
        Row("/admin/users/edit/{officer_a_user_id}/", admin_area(admin=200)),
        Row("/admin/groups/", admin_area(admin=200)),
        Row("/admin/officerprofile/edit/{officer_a_profile_id}/", admin_area(admin=200)),
        Row("/admin/images/", admin_area(trainer_other=200, trainer_own=200, admin=200)),
        Row("/admin/documents/edit/{document_id}/", admin_area(trainer_own=200, admin=200)),
        # Refreshers: trainers (each their agency's courses), reviewers and admins; HR has no admin access.
        Row("/admin/penyegaran/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/penyegaran/?status=terbuka&instansi=IMI&q=198", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/statistik-kuis/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/statistik-kuis/{module_id}/", admin_area(trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/reports/site-history/", admin_area(trainer_other=200, trainer_own=200, reviewer=200, admin=200)),
        Row("/admin/login-terkunci/", admin_area(admin=200)),
        Row("/admin/api_clients/", admin_area(admin=200)),
        Row("/admin/webhook/alamat/", admin_area(admin=200)),
        Row("/admin/webhook/alamat/new/", admin_area(admin=200)),
        Row("/admin/webhook/pengiriman/", admin_area(admin=200)),
        Row("/admin/password_reset/", everyone(200)),
        Row("/admin/workflows/list/", admin_area(admin=200)),
    ],
    # The integration API authenticates with OAuth tokens only (its own matrix: api/tests/test_authorization.py);
    # a session, even an admin's, is no token. The schema, its docs page and the token endpoint are public.
    "api/v1/": [
        Row("/api/v1/certificates/", everyone(401)),
        Row("/api/v1/officers/{officer_a_nip}", everyone(401)),
        Row("/api/v1/openapi.json", everyone(200)),
        Row("/api/v1/docs", everyone(200)),
        Row("/api/v1/oauth/token/", everyone(405)),
    ],
    "hr/": [
        Row("/hr/", hr_area()),
        Row("/hr/sertifikat/?status=valid&urutan=nama", hr_area()),
        Row("/hr/sertifikat/ekspor.csv?status=valid", hr_area()),
        Row("/hr/sertifikat/ekspor.xlsx?status=valid", hr_area()),
        Row("/hr/sertifikat/999999/cabut/", hr_area(404)),
        Row("/hr/jp/?capaian=kurang", hr_area()),
        Row("/hr/jp/ekspor.csv?capaian=kurang", hr_area()),
        Row("/hr/jp/ekspor.xlsx", hr_area()),
        Row("/hr/jp/siasn.csv", hr_area()),
        Row("/hr/jp/siasn.xlsx?instansi=IMI", hr_area()),
        Row("/hr/ekspor/999999/", hr_area(404)),
        Row("/hr/ekspor/999999/unduh/", hr_area(404)),
        Row("/hr/petugas/{officer_a_user_id}/", hr_area()),
        Row("/hr/petugas/{officer_a_user_id}/undang/", hr_area("302=/hr/petugas/{officer_a_user_id}/"), method="POST"),
        Row("/hr/verifikasi/", hr_area()),
        Row(
            "/hr/verifikasi/", hr_area("302>/hr/verifikasi/"), method="POST",
            data={"subjek": "c{course_id}", "nips": "198503122010011001"},
        ),
        Row("/hr/verifikasi/999999/", hr_area(404)),
        Row("/hr/verifikasi/999999/unduh.csv", hr_area(404)),
        Row("/hr/terbitkan/", hr_area()),
        Row("/hr/terbitkan/", hr_area("302=/hr/terbitkan/"), method="POST", data={"subjek": "c{course_id}"}),
        Row("/hr/impor/", hr_area()),
        Row("/hr/impor/templat.csv", hr_area()),
        Row("/hr/impor/999999/", hr_area(404)),
        Row("/hr/impor/999999/masalah.csv", hr_area(404)),
    ],
    "django-admin/": [
        Row("/django-admin/", django_admin(admin=200)),
        Row("/django-admin/login/", everyone(200, admin="302>/django-admin/")),
        Row("/django-admin/auth/user/{officer_a_user_id}/change/", django_admin(admin=200)),
        Row("/django-admin/axes/accessattempt/", django_admin(admin=200)),
    ],
}

# --- Page types and their routes ---------------------------------------------------
# Modules: enrolled officers read them; people who may edit the module (its agency's
# trainers, reviewers, admins) preview them; everyone else is sent to the course page.
_NOT_ENROLLED = "302>{course_url}"
_EDITORS = ("trainer_own", "reviewer", "admin")


def module_row(url, method="GET", route="", data=None, *, editors, **officers):
    expect = logged_in(_NOT_ENROLLED, **{role: editors for role in _EDITORS}, **officers)
    return Row(url, expect, method=method, data=data or {}, route=route)


PAGE_MATRIX = {
    HomePage: [Row("/", everyone(200))],
    CourseIndexPage: [
        Row("{catalog_url}", everyone(200)),
        Row("{catalog_url}?q=paspor&instansi=IMI&tingkat=dasar&halaman=2", everyone(200)),
    ],
    CoursePage: [
        Row("{course_url}", everyone(200), route="index_route"),
        Row("{course_url}daftar/", everyone("302>{course_url}", anonymous=LOGIN), method="POST", route="enrol"),
    ],
    ModulePage: [
        module_row("{module_url}", route="lesson index_route", editors=200, officer_a=200, officer_b=200),
        module_row("{module_url}selesai/", "POST", "complete", editors="302>/", officer_a="302>/", officer_b="302>/"),
        module_row(
            "{module_url}kuis/", "POST", "quiz_start",
            editors="302>{module_url}", officer_a="302>{module_url}kuis/", officer_b="302>{module_url}kuis/",
        ),
        # Officer A's attempts are A's alone: B, enrolled in the same course, gets 404 for
        # reading, answering and the result; editors have no attempts and get 404 too.
        module_row("{module_url}kuis/{a_open_attempt}/", route="quiz_attempt", editors=404, officer_a=200, officer_b=404),
        module_row(
            "{module_url}kuis/{a_open_attempt}/", "POST", "quiz_attempt", {"q": "1"},
            editors=404, officer_a=200, officer_b=404,  # A's invalid answer is shown back with errors
        ),
        module_row("{module_url}kuis/{a_done_attempt}/hasil/", route="quiz_result", editors=404, officer_a=200, officer_b=404),
        module_row(
            "{module_url}kuis/{a_open_attempt}/hasil/", route="quiz_result",
            editors=404, officer_a="302>{module_url}kuis/{a_open_attempt}/", officer_b=404,
        ),
        module_row("{module_url}kuis/999999/", route="quiz_attempt", editors=404, officer_a=404, officer_b=404),
    ],
}
# Page types that are never served on their own.
PAGES_NOT_SERVED = {"wagtailcore.Page": "the tree's root; not routable"}


# --- the demo world -------------------------------------------------------------


@dataclass
class World:
    ids: dict
    users: dict


def build_world() -> World:
    seed_demo()
    catalog = CourseIndexPage.objects.get(slug="kursus")
    course = CoursePage.objects.get(agency__code="IMI", slug="imigrasi-paspor-dan-pencegahan-tppm")
    module = course.get_modules().first()
    from django.contrib.auth import get_user_model

    users = {role: get_user_model().objects.get(username=name) for role, name in USERNAMES.items()}
    users["anonymous"] = None
    officer_a, officer_b = users["officer_a"], users["officer_b"]
    for officer in (officer_a, officer_b):
        services.enrollment_create(user=officer, course=course)
    # A fails once (a finished attempt), then opens a second attempt.
    done = services.quiz_attempt_start(user=officer_a, module=module)
    services.quiz_attempt_submit(user=officer_a, attempt_id=done.pk, answers={})
    open_attempt = services.quiz_attempt_start(user=officer_a, module=module)
    certificate = Certificate.objects.get(holder=officer_a, course=course)
    bundle = bundle_request(course=course, requested_by=users["hr"], fmt=BundleFormat.ZIP)
    document = Document.objects.create(
        title="Leaflet migrasi aman", file=_text_file("leaflet.txt"), collection=Collection.objects.get(name="Imigrasi")
    )
    return World(
        ids={
            "catalog_id": catalog.pk,
            "catalog_url": catalog.url,
            "course_id": course.pk,
            "course_url": course.url,
            "module_id": module.pk,
            "module_url": module.url,
            "a_done_attempt": done.pk,
            "a_open_attempt": open_attempt.pk,
            "agency_id": Agency.objects.get(code="IMI").pk,
            "legal_basis_id": LegalBasis.objects.first().pk,
            "officer_a_user_id": officer_a.pk,
            "officer_a_profile_id": OfficerProfile.objects.get(user=officer_a).pk,
            "officer_a_nip": OfficerProfile.objects.get(user=officer_a).nip,
            "a_certificate_id": certificate.pk,
            "a_certificate_code": certificate.code,
            "hr_bundle_id": bundle.pk,
            "document_id": document.pk,
            "document_filename": document.filename,
        },
        users=users,
    )


def _text_file(name):
    from django.core.files.base import ContentFile

    return ContentFile(b"Berangkat kerja ke luar negeri lewat jalur resmi.", name=name)


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """The demo data, once for the module, rolled back at its end (each test also rolls back its own writes)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=world_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_media(settings, world_media):
    settings.MEDIA_ROOT = world_media


@pytest.fixture(autouse=True)
def _credential_keys(settings, world_media):
    """An issuer key, so the credential URLs answer as on an installation that issues credentials."""
    path = world_media / "credential-keys.json"
    if not path.exists():
        call_command("create_credential_key", file=str(path), stdout=StringIO())
    settings.CREDENTIAL_KEYS_FILE = str(path)


# --- the checks --------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def project_routes() -> list[str]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def _matches(expected: str | int, response, ids) -> bool:
    if isinstance(expected, int):
        return response.status_code == expected
    status, kind, target = expected[:3], expected[3], expected[4:].format(**ids)
    location = response.get("Location", "")
    if response.status_code != int(status):
        return False
    return location == target if kind == "=" else location.startswith(target)


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def check_row(row: Row, world: World, ids=None) -> list[str]:
    ids = ids or world.ids
    url = row.url.format(**ids)
    problems = []
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        data = {key: value.format(**ids) for key, value in row.data.items()}
        response = client.post(url, data) if row.method == "POST" else client.get(url)
        expected = row.expect[role]
        if not _matches(expected, response, ids):
            shown = expected.format(**ids) if isinstance(expected, str) else expected
            problems.append(f"{row.method} {url} as {role}: expected {shown}, got {_describe(response)}")
    return problems


def test_every_url_pattern_has_an_entry():
    missing = [
        route
        for route in project_routes()
        if route not in URL_MATRIX and not route.startswith(tuple(PREFIX_RULES))
    ]
    assert not missing, "URL patterns without an entry in tests/test_authorization.py URL_MATRIX:\n" + "\n".join(
        f"    {route!r}" for route in missing
    )
    stale = [route for route in URL_MATRIX if route not in project_routes()]
    assert not stale, f"URL_MATRIX entries for patterns that no longer exist: {stale}"


def test_every_page_type_and_route_has_an_entry():
    problems = []
    for model in get_page_models():
        label = model._meta.label
        if label in PAGES_NOT_SERVED:
            continue
        if model not in PAGE_MATRIX:
            problems.append(f"page type {label} has no entry in PAGE_MATRIX")
            continue
        covered = {name for row in PAGE_MATRIX[model] for name in row.route.split()}
        routes = {pattern.name for pattern in getattr(model, "get_subpage_urls", lambda: [])()}
        problems += [f"route {name!r} of {label} has no row in PAGE_MATRIX" for name in routes - covered]
    assert not problems, "\n".join(problems)


ALL_ROWS = [
    pytest.param(row, id=f"{row.method} {row.url}")
    for rows in [*URL_MATRIX.values(), *PREFIX_RULES.values(), *PAGE_MATRIX.values()]
    for row in rows
]


@pytest.mark.parametrize("row", ALL_ROWS)
def test_matrix(row, world):
    problems = check_row(row, world)
    assert not problems, "\n".join(problems)


def test_officer_b_cannot_change_officer_a_attempt_or_progress(world):
    from courses.models import ModuleProgress, QuizAttempt

    ids = world.ids
    before = QuizAttempt.objects.get(pk=ids["a_open_attempt"])
    a_progress = list(ModuleProgress.objects.filter(user=world.users["officer_a"]).values())
    choice = before.layout[0]["choices"][0]
    client = Client()
    client.force_login(world.users["officer_b"])
    answer = {"q1": str(choice)}  # a well-formed answer to the first question shown
    url = f"{ids['module_url']}kuis/{ids['a_open_attempt']}/"
    assert client.post(url, answer).status_code == 404
    assert client.get(url + "hasil/").status_code == 404
    client.post(f"{ids['module_url']}selesai/")
    after = QuizAttempt.objects.get(pk=ids["a_open_attempt"])
    assert (after.status, after.submitted_at, after.score_percent) == (
        before.status, before.submitted_at, before.score_percent,
    )
    assert not after.answers.exists()
    assert list(ModuleProgress.objects.filter(user=world.users["officer_a"]).values()) == a_progress


def test_nip_and_email_never_appear_unmasked_on_public_pages(world):
    """Every non-admin page of the matrix, as anonymous, both officers and HR."""
    from django.contrib.auth import get_user_model

    secrets = set(OfficerProfile.objects.values_list("nip", flat=True))
    secrets |= {email for email in get_user_model().objects.values_list("email", flat=True) if email}
    rows = [
        row
        for rows in [*URL_MATRIX.values(), *PAGE_MATRIX.values()]
        for row in rows
        if row.method == "GET" and not row.url.startswith("/documents/")
    ]
    leaks = []
    for role in ("anonymous", "officer_a", "officer_b", "hr"):
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for row in rows:
            url = row.url.format(**world.ids)
            response = client.get(url, follow=True)
            if response.streaming:
                continue  # a certificate PDF or bundle carries its holder's NIP by design
            html = response.content.decode()
            leaks += [f"{url} as {role} shows {secret}" for secret in secrets if secret in html]
    assert not leaks, "\n".join(leaks)
