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

from lms.tests.e2e.harness import OFFICER, Demo, answer_quiz


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
