"""Language in a real browser: English when the browser asks, the switcher changes it."""

from playwright.sync_api import expect

from tests.e2e.harness import DESKTOP


def test_english_browser_sees_english_and_switches_to_indonesian(demo, new_page, shots):
    page = new_page(locale="en-GB", viewport=DESKTOP)
    page.goto(demo.url("/kursus/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Apply")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="EN English")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("status").filter(has_text="found")).to_have_text("3 courses found")
    shots.take(page, "english")

    page.get_by_role("button", name="ID Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert page.url == demo.url("/kursus/")
    expect(page.get_by_role("button", name="Terapkan")).to_be_visible()
    expect(page.get_by_role("button", name="ID Bahasa Indonesia")).to_have_attribute("aria-current", "true")
    shots.take(page, "switched to indonesian")
