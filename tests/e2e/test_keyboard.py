"""The quiz with the keyboard alone: no clicks, only Tab, Space, arrows and Enter."""

from playwright.sync_api import expect

from tests.e2e.harness import FOCUS_VISIBLE, OFFICER, quiz_plan


def tab_until(page, predicate: str, *, unseen_focus: list, limit: int = 80) -> None:
    """Press Tab until `predicate(document.activeElement)` holds; note every element
    that took focus without a visible focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate_handle("document.activeElement")
        if not active.evaluate(FOCUS_VISIBLE):
            unseen_focus.append(active.evaluate("el => el.outerHTML.slice(0, 120)"))
        if active.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def is_button(name: str) -> str:
    return f"el => el.matches('button, input[type=submit]') && el.textContent.trim() === {name!r}"


def test_quiz_can_be_taken_with_the_keyboard_alone(demo, page, shots):
    course = demo.course()
    module = demo.modules(course)[0]
    demo.log_in(page, OFFICER)
    demo.enrol(OFFICER, course)
    page.goto(demo.url(module.url))
    unseen_focus = []

    # The first Tab offers the skip link; Enter on it puts focus on the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_until(page, is_button("Mulai kuis"), unseen_focus=unseen_focus)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Kumpulkan jawaban")).to_be_visible()
    shots.take(page, "quiz opened")

    # Submitting nothing: the error summary takes focus (announced as an alert),
    # each error links to its question, and each question names its error.
    tab_until(page, is_button("Kumpulkan jawaban"), unseen_focus=unseen_focus)
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Soal nomor 1 belum dijawab.")
    shots.take(page, "errors announced")
    for link in summary.get_by_role("link").all():
        question = page.locator(link.get_attribute("href"))
        assert question.get_attribute("aria-invalid") == "true"
        error = page.locator("#" + question.get_attribute("aria-describedby"))
        assert error.inner_text() == link.inner_text()

    plan = quiz_plan(page)
    fieldsets = page.locator("fieldset").all()
    for fieldset, (kind, wanted) in zip(fieldsets, plan):
        fieldset_id = fieldset.get_attribute("id")
        tab_until(page, f"el => el.closest('fieldset')?.id === {fieldset_id!r}", unseen_focus=unseen_focus)
        if kind == "radio":
            page.keyboard.press("Space")  # the first choice
            for _ in range(wanted[0]):
                page.keyboard.press("ArrowDown")  # moves to, and picks, the next choice
        else:
            boxes = fieldset.locator("input").count()
            for index in range(boxes):
                if index in wanted:
                    page.keyboard.press("Space")
                if index < boxes - 1:
                    page.keyboard.press("Tab")
        checked = fieldset.locator("input").evaluate_all("inputs => inputs.map(input => input.checked)")
        assert [index for index, on in enumerate(checked) if on] == wanted
    shots.take(page, "answered by keyboard")

    tab_until(page, is_button("Kumpulkan jawaban"), unseen_focus=unseen_focus)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Lulus", exact=True)).to_be_visible()
    shots.take(page, "passed")
    assert unseen_focus == [], "focus without a visible focus ring"
