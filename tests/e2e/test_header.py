"""The site header on a phone: one compact row (the brand and a Menu button), so each
page's own heading is on the first screen; the menu opens and is walked with the keyboard.
On a desktop the same items sit in the row without a button."""

from playwright.sync_api import expect

from tests.e2e.harness import FOCUS_VISIBLE, DESKTOP, OFFICER, PHONE, axe_violations, describe, site_menu
from tests.e2e.pages import PAGE_TYPES

# The old header took three rows, 155 px of a 640 px screen; one row of 44 px touch
# targets with its padding is 60.
HEADER_MAX_HEIGHT = 64
FIRST_SCREEN_PAGES = ("home", "catalog", "course", "module", "my-learning", "login")


def box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; }"
    )


def accessibility_node(page, selector: str) -> dict:
    """What Chromium tells assistive technology about an element: role, name, states.
    (Playwright's own role engine has no role for <summary>; Chromium exposes it as a
    disclosure button with an expanded state, which screen readers announce.)"""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_id = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    node = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
    cdp.detach()
    states = {prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}
    return {"role": node["role"]["value"], "name": node["name"]["value"], **states}


def test_phone_header_is_one_row_and_each_page_heading_is_on_the_first_screen(demo, new_page, shots):
    measured = {}
    for name in FIRST_SCREEN_PAGES:
        page = new_page(viewport=PHONE)
        PAGE_TYPES[name].visit(page, demo)
        shots.take(page, name)
        header, heading = box(page, "header.site-header"), box(page, "main h1")
        measured[name] = (round(header["height"]), round(heading["top"]), round(heading["bottom"]))
        page.context.close()
    too_tall = {name: m for name, m in measured.items() if m[0] > HEADER_MAX_HEIGHT}
    below_the_fold = {name: m for name, m in measured.items() if m[2] > PHONE["height"]}
    assert too_tall == {}, f"header taller than {HEADER_MAX_HEIGHT}px (height, h1 top, h1 bottom): {too_tall}"
    assert below_the_fold == {}, f"h1 not wholly on the first {PHONE['height']}px: {below_the_fold}"
    assert all(top >= height for height, top, _bottom in measured.values())  # below the header, not under it


def test_phone_menu_opens_and_is_walked_with_the_keyboard(demo, page, shots):
    demo.log_in(page, "sdm")  # HR: every item the menu can hold
    page.goto(demo.url("/kursus/"))
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    expect(navigation).to_be_hidden()
    expect(page.get_by_role("button", name="Keluar")).to_be_hidden()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Langsung ke isi")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Pimpasa LMS")).to_be_focused()
    page.keyboard.press("Tab")
    menu_button = page.locator("header summary")
    expect(menu_button).to_be_focused()
    assert menu_button.evaluate(FOCUS_VISIBLE)
    button = accessibility_node(page, "header summary")
    assert (button["role"], button["name"], button["expanded"]) == ("DisclosureTriangle", "Menu", False)

    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    assert accessibility_node(page, "header summary")["expanded"] is True
    shots.take(page, "menu open")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Tab walks the menu in reading order, each item with a visible focus ring.
    expected = ["Katalog", "Pembelajaran saya", "Sertifikat saya", "SDM", "Keluar", "ID Bahasa Indonesia", "EN English"]
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        assert focused.evaluate(FOCUS_VISIBLE), focused.evaluate("el => el.outerHTML")
        assert focused.evaluate("el => el.closest('header') !== null")
        reached.append(focused.evaluate("el => el.textContent.replace(/\\s+/g, ' ').trim()"))
    assert reached == expected
    # The panel sits in the page's flow: the content below moved down, nothing is covered.
    assert box(page, "main")["top"] >= box(page, "header.site-header")["bottom"]

    # Shift+Tab back to the catalog link; Enter follows it.
    for _ in range(len(expected) - 1):
        page.keyboard.press("Shift+Tab")
    expect(navigation.get_by_role("link", name="Katalog")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(demo.url("/kursus/"))
    expect(navigation).to_be_hidden()  # a new page starts with the menu closed

    # Space toggles it too, and closes it again.
    menu_button.focus()
    page.keyboard.press("Space")
    expect(navigation).to_be_visible()
    page.keyboard.press("Space")
    expect(navigation).to_be_hidden()


def menu_is_closed(page, navigation) -> None:
    """Hidden, and the Menu button tells assistive technology it is collapsed."""
    expect(navigation).to_be_hidden()
    assert page.locator("header details.site-menu").evaluate("el => el.open") is False
    assert accessibility_node(page, "header summary")["expanded"] is False


def open_menu_with_the_keyboard(page, navigation) -> None:
    page.locator("header summary").focus()
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    assert accessibility_node(page, "header summary")["expanded"] is True


def test_phone_menu_closes_with_escape_a_click_outside_and_tab_past_its_end(demo, page, shots):
    """The disclosure-navigation pattern (WAI-ARIA APG): an open menu closes with Escape
    (focus back on its button), with a click elsewhere, and when Tab leaves it."""
    demo.log_in(page, "sdm")
    page.goto(demo.url("/kursus/"))
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    menu_button = page.locator("header summary")

    open_menu_with_the_keyboard(page, navigation)
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name="Katalog")).to_be_focused()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.keyboard.press("Escape")
    menu_is_closed(page, navigation)
    expect(menu_button).to_be_focused()
    assert menu_button.evaluate(FOCUS_VISIBLE)
    shots.take(page, "closed with escape")

    # Escape on the button itself closes it too; Enter opens it again from there.
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    page.keyboard.press("Escape")
    menu_is_closed(page, navigation)
    expect(menu_button).to_be_focused()

    # A click elsewhere closes it: on the heading (focus moves to <main>) or on the
    # footer's text (focus moves nowhere).
    open_menu_with_the_keyboard(page, navigation)
    page.locator("main h1").click()
    menu_is_closed(page, navigation)
    open_menu_with_the_keyboard(page, navigation)
    page.locator("footer p").first.click()
    menu_is_closed(page, navigation)
    # A click inside the open panel, beside the language buttons, leaves it open.
    open_menu_with_the_keyboard(page, navigation)
    switcher = page.locator("header form.lang-switch")
    switcher.click(position={"x": switcher.bounding_box()["width"] - 5, "y": 5})
    expect(navigation).to_be_visible()

    # Tab past the last item (the language switcher's English) leaves the header and closes the menu.
    menu_button.focus()
    items = page.locator("header .menu-panel").locator("a, button")
    for _ in range(items.count()):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="EN English")).to_be_focused()
    expect(navigation).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('header') === null")
    menu_is_closed(page, navigation)
    # Shift+Tab from the first item goes back to the button and leaves the menu open.
    open_menu_with_the_keyboard(page, navigation)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(menu_button).to_be_focused()
    expect(navigation).to_be_visible()


def test_phone_menu_works_without_javascript(demo, browser):
    """Without the script the menu is the browser's own disclosure: Enter opens it,
    its items are reached with Tab, the button closes it again (Escape does not)."""
    context = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo.url("/kursus/"))
        navigation = page.get_by_role("navigation", name="Navigasi utama")
        expect(navigation).to_be_hidden()
        open_menu_with_the_keyboard(page, navigation)
        page.keyboard.press("Tab")
        expect(navigation.get_by_role("link", name="Katalog")).to_be_focused()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        menu_is_closed(page, navigation)
    finally:
        context.close()


def test_phone_menu_offers_login_and_language_to_a_visitor(demo, page):
    page.goto(demo.url("/"))
    navigation = site_menu(page)
    expect(navigation.get_by_role("link", name="Masuk")).to_be_visible()
    page.get_by_role("button", name="EN English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(site_menu(page).get_by_role("link", name="Log in")).to_be_visible()


def test_desktop_header_is_one_row_without_a_menu_button(demo, new_page, shots):
    page = new_page(viewport=DESKTOP)
    demo.log_in(page, OFFICER)
    page.goto(demo.url("/kursus/"))
    expect(page.locator("header summary")).to_be_hidden()
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    for name in ("Katalog", "Pembelajaran saya", "Sertifikat saya"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page.get_by_role("button", name="EN English")).to_be_visible()
    assert box(page, "header.site-header")["height"] <= HEADER_MAX_HEIGHT
    shots.take(page, "desktop")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # skip link, brand, then straight to the first link
    expect(navigation.get_by_role("link", name="Katalog")).to_be_focused()
