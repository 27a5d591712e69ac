"""Every page type the browser tests check, and how to reach it from the demo data.

Each entry is one function `visit(page, demo)` that sets up what the page needs
(through the services, which is fast) and leaves the browser on it. The
accessibility test runs axe-core on every entry at phone and desktop size; the
phone test (scenario 4) checks that every `officer=True` entry fits 360 px.
A new page type is one more decorated function here; see README.md beside this.

Entries run in this order against one demo database, so later ones may find
what earlier ones left (an enrolment, an open attempt); each must still work
when run alone.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.e2e.harness import CERTIFIED_OFFICER, OFFICER, Demo, answer_quiz


@dataclass(frozen=True)
class PageType:
    name: str
    visit: Callable
    officer: bool


PAGE_TYPES: dict[str, PageType] = {}


def page_type(name: str, *, officer: bool = True):
    """Register `visit(page, demo)` as the way to page type `name`. `officer`: a page
    officers use, which must fit a phone."""

    def register(visit):
        assert name not in PAGE_TYPES, name
        PAGE_TYPES[name] = PageType(name=name, visit=visit, officer=officer)
        return visit

    return register


@page_type("home")
def home(page, demo: Demo):
    page.goto(demo.url("/"))


@page_type("login")
def login(page, demo: Demo):
    page.goto(demo.url("/accounts/login/"))


@page_type("login-error")
def login_error(page, demo: Demo):
    page.goto(demo.url("/accounts/login/"))
    page.get_by_label("Nama pengguna").fill(OFFICER)
    page.get_by_label("Kata sandi").fill("bukan-kata-sandinya")
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.locator("[role=alert]").wait_for()


@page_type("catalog")
def catalog(page, demo: Demo):
    demo.log_in(page, OFFICER)
    page.goto(demo.url("/kursus/"))


@page_type("catalog-filter-error")
def catalog_filter_error(page, demo: Demo):
    page.goto(demo.url("/kursus/?instansi=TIDAK-ADA&tingkat=dasar"))


@page_type("course")
def course(page, demo: Demo):
    demo.log_in(page, OFFICER)
    page.goto(demo.url(demo.course().url))


@page_type("module")
def module(page, demo: Demo):
    demo.log_in(page, OFFICER)
    course = demo.course()
    demo.enrol(OFFICER, course)
    page.goto(demo.url(demo.modules(course)[0].url))


@page_type("quiz")
def quiz(page, demo: Demo):
    demo.log_in(page, OFFICER)
    course = demo.course()
    demo.enrol(OFFICER, course)
    page.goto(demo.quiz_attempt_url(OFFICER, demo.modules(course)[0]))


@page_type("quiz-errors")
def quiz_errors(page, demo: Demo):
    quiz(page, demo)
    page.get_by_role("button", name="Kumpulkan jawaban").click()
    page.locator("[role=alert]").wait_for()


@page_type("quiz-result")
def quiz_result(page, demo: Demo):
    quiz(page, demo)
    answer_quiz(page, correctly=False)
    page.get_by_role("button", name="Kumpulkan jawaban").click()
    page.get_by_role("heading", name="Belum lulus").wait_for()


@page_type("my-learning")
def my_learning(page, demo: Demo):
    demo.log_in(page, OFFICER)
    demo.enrol(OFFICER, demo.course())
    page.goto(demo.url("/my/learning/"))


@page_type("module-with-attempts")
def module_with_attempts(page, demo: Demo):
    """The module page with its quiz's attempt history table (one graded attempt
    is enough: an earlier entry's, or a new one)."""
    from courses.models import QuizAttempt

    module = demo.modules(demo.course())[0]
    if not QuizAttempt.objects.filter(user=demo.user(OFFICER), module=module).exclude(status="in_progress").exists():
        quiz_result(page, demo)
    else:
        demo.log_in(page, OFFICER)
    page.goto(demo.url(module.url))
    page.get_by_role("table").wait_for()


# Certificates (officer and public pages: they must fit a phone).


def demo_certificate(username: str, agency_code: str):
    """A certificate the demo data issued (demo/certificates.py): petugas1 IMI valid,
    petugas3 IMI expired, petugas4 BP2MI revoked."""
    from certificates.models import Certificate

    return Certificate.objects.get(holder__username=username, course__agency__code=agency_code)


@page_type("my-certificates")
def my_certificates(page, demo: Demo):
    demo.log_in(page, CERTIFIED_OFFICER)
    page.goto(demo.url("/my/certificates/"))


@page_type("verify-form")
def verify_form(page, demo: Demo):
    page.goto(demo.url("/verify/"))


@page_type("verify-form-error")
def verify_form_error(page, demo: Demo):
    page.goto(demo.url("/verify/"))
    page.get_by_role("main").get_by_role("button", name="Periksa").click()
    page.wait_for_load_state()


@page_type("verify-valid")
def verify_valid(page, demo: Demo):
    page.goto(demo.url(demo_certificate(CERTIFIED_OFFICER, "IMI").verification_path))


@page_type("verify-expired")
def verify_expired(page, demo: Demo):
    page.goto(demo.url(demo_certificate("petugas3", "IMI").verification_path))


@page_type("verify-revoked")
def verify_revoked(page, demo: Demo):
    page.goto(demo.url(demo_certificate("petugas4", "BP2MI").verification_path))


@page_type("verify-not-found")
def verify_not_found(page, demo: Demo):
    page.goto(demo.url("/verify/TIDAKADA2345/"))


@page_type("password-change")
def password_change(page, demo: Demo):
    demo.log_in(page, OFFICER)
    page.goto(demo.url("/accounts/kata-sandi/"))


# HR pages (desktop work, still checked at phone size by axe).


def hr(page, demo: Demo, path: str):
    demo.log_in(page, "sdm")
    page.goto(demo.url(path))


@page_type("hr-dashboard", officer=False)
def hr_dashboard(page, demo: Demo):
    hr(page, demo, "/hr/")


@page_type("hr-registry", officer=False)
def hr_registry(page, demo: Demo):
    hr(page, demo, "/hr/sertifikat/?status=valid")


@page_type("hr-registry-filter-error", officer=False)
def hr_registry_filter_error(page, demo: Demo):
    hr(page, demo, "/hr/sertifikat/?instansi=TIDAK-ADA&status=valid")
    page.locator("[role=alert]").wait_for()


@page_type("hr-officer-detail", officer=False)
def hr_officer_detail(page, demo: Demo):
    hr(page, demo, f"/hr/petugas/{demo.user(CERTIFIED_OFFICER).pk}/")


@page_type("hr-revoke-errors", officer=False)
def hr_revoke_errors(page, demo: Demo):
    hr(page, demo, f"/hr/sertifikat/{demo_certificate(CERTIFIED_OFFICER, 'IMI').pk}/cabut/")
    page.get_by_role("button", name="Cabut sertifikat").click()
    page.locator("[role=alert]").wait_for()


@page_type("hr-bulk-verify", officer=False)
def hr_bulk_verify(page, demo: Demo):
    hr(page, demo, "/hr/verifikasi/")


@page_type("hr-bulk-verify-result", officer=False)
def hr_bulk_verify_result(page, demo: Demo):
    hr(page, demo, "/hr/verifikasi/")
    page.get_by_label("Kursus atau program").select_option(index=1)
    nips = [demo.user(name).officer_profile.nip for name in ("petugas1", "petugas3", OFFICER)]
    page.get_by_label("Tempel NIP").fill("\n".join([*nips, "123"]))
    page.get_by_role("main").get_by_role("button", name="Periksa").click()
    page.wait_for_url("**/hr/verifikasi/*/")


@page_type("hr-officer-import", officer=False)
def hr_officer_import(page, demo: Demo):
    hr(page, demo, "/hr/impor/")


@page_type("hr-officer-import-preview", officer=False)
def hr_officer_import_preview(page, demo: Demo):
    """The preview of the product's own CSV template (its example row)."""
    from hr import exports
    from hr import officer_import

    data = "".join(exports.csv_stream(officer_import.expected_header(), [officer_import.example_row()]))
    hr(page, demo, "/hr/impor/")
    page.get_by_label("Berkas petugas (CSV atau XLSX)").set_input_files(
        files=[{"name": "petugas.csv", "mimeType": "text/csv", "buffer": data.encode()}]
    )
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    page.wait_for_url("**/hr/impor/*/")


@page_type("hr-bulk-issue", officer=False)
def hr_bulk_issue(page, demo: Demo):
    hr(page, demo, "/hr/terbitkan/")
