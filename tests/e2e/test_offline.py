"""Reading where there is no signal (README "Offline"): the service worker registers on
officer pages only; an officer saves a course, loses the connection and still reads
every module with its images, sees the offline banner, lists and removes what is
saved; no answer key is ever in Cache Storage; logging out empties the caches."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from wagtail.images.models import Image

from courses.models import Choice
from tests.e2e.harness import CERTIFIED_OFFICER, axe_violations, describe, site_menu

CACHE_DUMP = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("Content-Type") || "";
      const text = /text|json|javascript/.test(type) ? await response.text() : "";
      out.push({cache: name, url: request.url, type, text});
    }
  }
  return out;
}"""
WORKER_URL = "navigator.serviceWorker.ready.then(r => r.active.scriptURL)"
REGISTRATIONS = "navigator.serviceWorker.getRegistrations().then(list => list.length)"
# Waits through evaluate(): wait_for_function's polling evaluates strings, which the CSP forbids.
CONTROLLED = """() => navigator.serviceWorker.controller !== null || new Promise(resolve =>
  navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)))"""
OUR_CACHES = "caches.keys().then(names => names.filter(name => name.startsWith('pimpasa-')))"


@pytest.fixture
def site_with_media(settings):
    settings.ROOT_URLCONF = "tests.e2e.media_urls"


def photo(title: str) -> Image:
    buffer = io.BytesIO()
    PILImage.effect_noise((1200, 800), 60).convert("RGB").save(buffer, "JPEG", quality=80)
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.jpg"))


def illustrate(module, title: str) -> None:
    """A trainer adds a photo to the lesson and publishes it."""
    module = module.specific
    module.body.append(("image", {"image": photo(title), "alt_text": f"Ilustrasi {module.title}", "caption": ""}))
    module.save_revision().publish()


def check_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def test_worker_registers_on_officer_pages_never_on_hr_or_admin(demo, new_page):
    officer = new_page()
    demo.log_in(officer, CERTIFIED_OFFICER)
    officer.goto(demo.url("/my/learning/"))
    assert officer.evaluate(WORKER_URL) == demo.url("/sw.js")

    for username, path in (("sdm", "/hr/"), ("admin", "/admin/")):
        page = new_page()
        demo.log_in(page, username)
        page.goto(demo.url(path))
        page.wait_for_load_state("networkidle")
        assert page.evaluate(REGISTRATIONS) == 0, path
        assert page.evaluate("navigator.serviceWorker.controller") is None, path


def test_officer_saves_a_course_and_reads_it_offline(demo, site_with_media, new_page, shots):
    course = demo.course("IMI")
    modules = demo.modules(course)
    assert len(modules) >= 2
    illustrate(modules[0], "foto-modul-1")
    page = new_page()
    context = page.context
    demo.log_in(page, CERTIFIED_OFFICER)  # completed the course: every module is open

    page.goto(demo.url(course.url))
    assert page.evaluate(WORKER_URL) == demo.url("/sw.js")
    assert page.evaluate(CONTROLLED)
    panel = page.locator("[data-offline-course]")
    expect(panel.locator("[data-offline-status]")).to_contain_text("Ukuran yang akan disimpan: sekitar")
    expect(panel.locator("[data-offline-status]")).to_contain_text(f"({len(modules)} modul)")
    shots.take(page, "course: size before saving")
    panel.get_by_role("button", name="Simpan untuk offline").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("Tersimpan untuk offline", timeout=60_000)
    expect(panel.locator("[data-offline-status]")).to_contain_text(f"{len(modules)} modul diunduh")
    shots.take(page, "course: saved")

    # Saving again after a trainer changed one module fetches that module only.
    illustrate(modules[-1], "foto-modul-terakhir")
    lessons_fetched = []
    page.on("request", lambda request: lessons_fetched.append(request.url) if request.url in {demo.url(m.url) for m in modules} else None)
    page.reload()
    panel.get_by_role("button", name="Perbarui simpanan offline").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("1 modul diunduh", timeout=60_000)
    assert lessons_fetched == [demo.url(modules[-1].url)]

    # No signal.
    context.set_offline(True)
    page.goto(demo.url(course.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Anda sedang offline")
    shots.take(page, "offline: course page")
    check_accessible(page, "offline course page")

    for number, module in enumerate(modules, start=1):
        page.goto(demo.url(module.url))
        expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        expect(banner).to_be_visible()
        images = page.locator("article.lesson img")
        if module.pk in (modules[0].pk, modules[-1].pk):
            expect(images).to_have_count(1)
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            width = image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
            assert width > 0, f"{module.title}: image not shown offline"
        shots.take(page, f"offline: module {number}")
        if number == 1:
            check_accessible(page, "offline lesson")

    for path in ("/my/learning/", "/my/certificates/"):
        page.goto(demo.url(path))
        expect(banner).to_be_visible()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Tidak ada koneksi")

    # A quiz is never saved: offline it says it needs a connection.
    page.goto(demo.url(modules[0].url + "kuis/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ada koneksi")
    expect(page.locator("main")).to_contain_text("Kuis perlu koneksi internet.")
    shots.take(page, "offline: a quiz needs a connection")
    check_accessible(page, "offline page")

    # What is stored, and no answer key anywhere in it.
    stored = page.evaluate(CACHE_DUMP)
    assert stored, "nothing in Cache Storage"
    assert not [entry["url"] for entry in stored if "/kuis/" in entry["url"]]
    correct = set(Choice.objects.filter(question__page__in=modules, is_correct=True).values_list("text", flat=True))
    lessons = {demo.url(module.url) for module in modules}
    lesson_text = "".join(entry["text"] for entry in stored if entry["url"] in lessons)
    # A correct option the lesson itself teaches word for word gives nothing away; every other one is a key.
    keys = {text for text in correct if text not in lesson_text}
    assert keys
    for entry in stored:
        assert "is_correct" not in entry["text"], entry["url"]
        for text in keys:
            assert text not in entry["text"], f"{text!r} in {entry['url']}"

    page.goto(demo.url("/my/offline/"))
    saved = page.locator("[data-offline-list] li")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text(course.title)
    expect(saved).to_contain_text(re.compile(r"\d+(,\d)? (KB|MB) · disimpan"))
    shots.take(page, "offline: saved courses")
    check_accessible(page, "saved courses")

    context.set_offline(False)
    page.goto(demo.url("/my/offline/"))
    expect(banner).to_be_hidden()
    page.get_by_role("button", name=f"Hapus {course.title} dari ponsel ini").click()
    expect(page.locator("[data-offline-list] li")).to_have_count(0)
    expect(page.locator("[data-offline-empty]")).to_be_visible()
    assert page.evaluate(OUR_CACHES) == ["pimpasa-state"]


def test_logout_empties_the_officers_caches(demo, site_with_media, new_page):
    course = demo.course("IMI")
    page = new_page()
    demo.log_in(page, CERTIFIED_OFFICER)
    page.goto(demo.url(course.url))
    assert page.evaluate(CONTROLLED)
    panel = page.locator("[data-offline-course]")
    expect(panel.get_by_role("button", name="Simpan untuk offline")).to_be_enabled()
    panel.get_by_role("button", name="Simpan untuk offline").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("Tersimpan untuk offline", timeout=60_000)
    assert len(page.evaluate(OUR_CACHES)) == 3  # state, common, the course

    site_menu(page).get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(demo.url("/"))
    expect(page.locator("form[data-logout]")).to_have_count(0)  # logged out
    assert page.evaluate(OUR_CACHES) == []
    # Offline now, the officer's pages are gone from this phone.
    page.context.set_offline(True)
    try:
        response = page.goto(demo.url(course.url))
    except PlaywrightError:  # no worker left (Clear-Site-Data) and no network
        response = None
    assert response is None or response.status == 503  # or the worker, with nothing saved
