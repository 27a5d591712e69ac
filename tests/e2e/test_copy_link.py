"""'Salin tautan' on My certificates, in a real browser under the site's CSP (no inline script)."""

from playwright.sync_api import expect

from tests.e2e.harness import CERTIFIED_OFFICER, PHONE


def test_copy_button_puts_the_verification_link_on_the_clipboard(demo, page, shots):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo.base_url)
    demo.log_in(page, CERTIFIED_OFFICER)
    page.goto(demo.url("/my/certificates/"))
    card = page.locator(".certificate").first
    link = card.get_by_label("Tautan verifikasi untuk dibagikan").input_value()
    assert "/verify/" in link
    button = card.get_by_role("button", name="Salin tautan")
    expect(button).to_be_visible()
    shots.take(page, "before copying")

    button.click()
    expect(card.locator(".share-status")).to_have_text("Tautan disalin")
    assert page.evaluate("navigator.clipboard.readText()") == link
    shots.take(page, "copied")


def test_without_javascript_the_link_is_there_and_no_dead_button(demo, browser):
    context = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        demo.log_in(page, CERTIFIED_OFFICER)
        page.goto(demo.url("/my/certificates/"))
        card = page.locator(".certificate").first
        expect(card.get_by_label("Tautan verifikasi untuk dibagikan")).to_be_visible()
        expect(card.locator("button.copy-link")).to_be_hidden()
    finally:
        context.close()
