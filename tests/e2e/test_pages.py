"""Every page type: WCAG 2.1 AA by axe-core, and (scenario 4) officer pages fit a phone."""

from tests.e2e.harness import DESKTOP, PHONE, axe_violations, describe, horizontal_overflow
from tests.e2e.pages import PAGE_TYPES


def test_every_page_type_has_no_serious_or_critical_axe_violation(demo, new_page, shots):
    failures = []
    for kind in PAGE_TYPES.values():
        page = new_page(viewport=PHONE)
        kind.visit(page, demo)
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            shots.take(page, f"{kind.name}-{size}")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{kind.name} ({size}, {page.url}):\n{describe(violations)}")
        page.context.close()
    assert failures == [], "\n".join(failures)


def test_scenario4_every_officer_page_fits_a_phone_without_sideways_scrolling(demo, new_page, shots):
    too_wide = {}
    for kind in PAGE_TYPES.values():
        if not kind.officer:
            continue
        page = new_page(viewport=PHONE)
        kind.visit(page, demo)
        shots.take(page, kind.name)
        assert page.evaluate("window.innerWidth") == PHONE["width"]
        if overflow := horizontal_overflow(page):
            too_wide[kind.name] = f"{overflow}px wider than the screen at {page.url}"
        page.context.close()
    assert too_wide == {}
