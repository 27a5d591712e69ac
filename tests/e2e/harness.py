"""What the browser tests share: the demo site, screenshots, accessibility and
layout checks, and the few actions many scenarios take (log in, answer a quiz)."""

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]
AXE_JS = Path(settings.BASE_DIR) / "tools/a11y/node_modules/axe-core/axe.min.js"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(settings.BASE_DIR) / "test-artifacts" / "e2e"))
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
# An officer the demo data leaves with no enrolment (petugas1..4 hold the demo
# certificates, demo/certificates.py), and one who holds certificates.
OFFICER = "petugas5"
CERTIFIED_OFFICER = "petugas1"
# The demo password (demo/seed.py), typed into the login form.
DEMO_PASSWORD = "Pimpasa-Demo-2026"
# Whether an element shows a focus ring (evaluate it on the focused element).
FOCUS_VISIBLE = """el => {
  const style = getComputedStyle(el);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Demo:
    """The seeded demo site behind a live server, and ways into it."""

    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def user(self, username: str):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=username)

    def log_in(self, page, username: str) -> None:
        """Give the page's browser context the session of `username`, without the
        login form (scenario 1 goes through the form; other tests start here)."""
        client = Client()
        client.force_login(self.user(username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def course(self, agency_code: str = "IMI"):
        from courses.models import CoursePage

        return CoursePage.objects.live().get(agency__code=agency_code)

    def modules(self, course) -> list:
        from courses.models import ModulePage

        return list(ModulePage.objects.child_of(course).live().order_by("path"))

    def enrol(self, username: str, course) -> None:
        from courses.services import enrollment_create

        enrollment_create(user=self.user(username), course=course)

    def quiz_attempt_url(self, username: str, module) -> str:
        """Open (or resume) `username`'s attempt at the module's quiz; its page's URL."""
        from courses.services import quiz_attempt_start
        from courses.services import module_open

        module_open(user=self.user(username), module=module)
        attempt = quiz_attempt_start(user=self.user(username), module=module)
        return self.url(module.url + module.reverse_subpage("quiz_attempt", args=[attempt.pk]))


class Shots:
    """Numbered screenshots of one test's steps: test-artifacts/e2e/<test>/01-<step>.png."""

    def __init__(self, folder: Path):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.count = 0

    def take(self, page, step: str) -> Path:
        self.count += 1
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (tools/a11y) against the WCAG 2.0/2.1 A and AA rules and return
    the violations of the given impacts. The script goes in through the DevTools
    protocol, so a Content-Security-Policy that forbids inline scripts can't stop it."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA_TAGS,
    )
    return [violation for violation in result["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def site_menu(page):
    """The header's main navigation, ready to click: on a phone the header folds it
    (with the language switcher and logging out) behind its Menu button, so that is
    opened first; on a wide screen it is already in the row. Any language."""
    menu = page.locator("header details.site-menu")
    button = menu.locator("summary")
    if button.is_visible() and menu.get_attribute("open") is None:
        button.click()
    return page.locator("header").get_by_role("navigation")


def log_in_with_form(page, demo: Demo, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(demo.url("/accounts/login/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def correct_choices(question_text: str) -> set[str]:
    """The right answers to a question, from the database (the page never tells)."""
    from courses.models import Choice

    return set(Choice.objects.filter(question__text=question_text, is_correct=True).values_list("text", flat=True))


def quiz_plan(page, *, correctly: bool = True) -> list[tuple[str, list[int]]]:
    """Per question on the page: its input type and the positions to tick, right
    (or wrong, with correctly=False) as the database says."""
    plan = []
    for fieldset in page.locator("fieldset").all():
        right = correct_choices(fieldset.locator("legend").inner_text().strip())
        labels = [label.strip() for label in fieldset.locator("label").all_inner_texts()]
        wanted = [index for index, label in enumerate(labels) if (label in right) == correctly]
        kind = fieldset.locator("input").first.get_attribute("type")
        plan.append((kind, wanted[:1] if kind == "radio" else wanted))
    return plan


def answer_quiz(page, *, correctly: bool = True) -> None:
    """Tick the right (or wrong) answers of the quiz on the page with the mouse."""
    for fieldset, (_kind, wanted) in zip(page.locator("fieldset").all(), quiz_plan(page, correctly=correctly)):
        for index in wanted:
            fieldset.locator("input").nth(index).check()
