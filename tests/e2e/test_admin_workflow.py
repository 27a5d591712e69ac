"""Scenario 2: a trainer creates a module with a quiz question in the Wagtail admin
and submits it for review ("Tinjauan materi kursus", lms/roles.py); the reviewer
approves it; an officer then sees the new module on the course page."""

from playwright.sync_api import expect

from tests.e2e.harness import DESKTOP, OFFICER

TITLE = "Modul Baru: Pemeriksaan Dokumen Perjalanan"
QUESTION = "Dokumen apa yang wajib dimiliki WNI untuk bepergian ke luar negeri?"
CHOICES = [("Paspor yang masih berlaku", True), ("Kartu keluarga", False), ("Surat keterangan domisili", False)]


def open_footer_menu(page):
    """The admin footer's "more actions" menu beside the main button."""
    page.locator("footer").get_by_role("button", name="Simpan konsep").locator("xpath=following::button[1]").click()


def test_scenario2_trainer_submits_a_module_and_reviewer_approves_it(demo, new_page, shots):
    from courses.models import ModulePage

    course = demo.course("IMI")

    trainer = new_page(viewport=DESKTOP)
    demo.log_in(trainer, "pelatih.imigrasi")
    trainer.goto(demo.url(f"/admin/pages/{course.pk}/"))
    expect(trainer.get_by_role("heading", level=1)).to_contain_text(course.title)
    shots.take(trainer, "trainer: the course in the admin")

    trainer.goto(demo.url(f"/admin/pages/add/courses/modulepage/{course.pk}/"))
    trainer.locator("#id_title").fill(TITLE)
    trainer.locator("#id_summary").fill("Memeriksa paspor dan dokumen perjalanan calon pekerja migran.")
    shots.take(trainer, "trainer: module content")
    trainer.get_by_role("tab", name="Kuis").click()
    trainer.locator("#id_questions-ADD").click()
    trainer.locator("#id_questions-0-text").fill(QUESTION)
    for index, (text, correct) in enumerate(CHOICES):
        if index >= 2:
            trainer.locator("#id_questions-0-choices-ADD").click()
        trainer.locator(f"#id_questions-0-choices-{index}-text").fill(text)
        if correct:
            trainer.locator(f"#id_questions-0-choices-{index}-is_correct").check()
    shots.take(trainer, "trainer: quiz question")
    open_footer_menu(trainer)
    trainer.locator("button[name=action-submit]").click()
    expect(trainer.locator(".messages")).to_contain_text(TITLE)
    shots.take(trainer, "trainer: submitted for review")

    module = ModulePage.objects.child_of(course).get(title=TITLE)
    assert not module.live
    assert [(c.text, c.is_correct) for c in module.questions.get().choices.order_by("sort_order")] == CHOICES

    officer = new_page()
    demo.log_in(officer, OFFICER)
    officer.goto(demo.url(course.url))
    expect(officer.locator(".module-list")).not_to_contain_text(TITLE)
    shots.take(officer, "officer: not on the course page yet")

    reviewer = new_page(viewport=DESKTOP)
    demo.log_in(reviewer, "peninjau")
    reviewer.goto(demo.url("/admin/"))
    expect(reviewer.locator("main")).to_contain_text(TITLE)
    shots.take(reviewer, "reviewer: awaiting review on the dashboard")
    reviewer.goto(demo.url(f"/admin/pages/{module.pk}/edit/"))
    shots.take(reviewer, "reviewer: the submitted module")
    open_footer_menu(reviewer)
    reviewer.locator("footer").get_by_role("button", name="Menyetujui dan Publikasikan").click()
    expect(reviewer.locator(".messages")).to_contain_text(TITLE)
    shots.take(reviewer, "reviewer: approved")

    module.refresh_from_db()
    assert module.live
    officer.reload()
    expect(officer.locator(".module-list")).to_contain_text(TITLE)
    shots.take(officer, "officer: the new module on the course page")


def test_the_preview_side_panel_shows_the_module_being_edited(demo, new_page, shots):
    """The panel is an iframe of /admin/pages/<id>/edit/preview/: the site's own
    `frame-ancestors 'none'` would leave it blank (lms/csp.py)."""
    course = demo.course("IMI")
    module = demo.modules(course)[0]
    trainer = new_page(viewport=DESKTOP)
    demo.log_in(trainer, "pelatih.imigrasi")
    trainer.goto(demo.url(f"/admin/pages/{module.pk}/edit/"))
    trainer.locator("[data-side-panel-toggle='preview']").click()
    preview = trainer.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(module.title)
    expect(preview.locator("main")).to_contain_text(module.summary[:40])
    shots.take(trainer, "trainer: the preview panel shows the module")
    trainer.goto("about:blank")  # stop the panel's polling before the live server goes away


def test_the_editor_speaks_indonesian_in_its_javascript_too(demo, new_page, shots):
    """The sidebar, the StreamField controls and the side panels are drawn by Wagtail's
    JavaScript from /admin/jsi18n/ and the page's JSON: Indonesian there as well."""
    module = demo.modules(demo.course("IMI"))[0]
    trainer = new_page(viewport=DESKTOP)
    demo.log_in(trainer, "pelatih.imigrasi")
    trainer.goto(demo.url(f"/admin/pages/{module.pk}/edit/"))
    expect(trainer.get_by_role("button", name="Ciutkan semua")).to_be_visible()
    expect(trainer.locator("aside, nav").get_by_text("Laporan", exact=True).first).to_be_visible()
    expect(trainer.locator("aside, nav").get_by_text("Bantuan", exact=True).first).to_be_visible()
    trainer.locator("[data-side-panel-toggle='comments']").click()
    expect(trainer.locator("[data-side-panel='comments']")).to_be_visible()
    shots.take(trainer, "trainer: the editor in Indonesian")
    text = trainer.locator("body").inner_text()
    labels = trainer.eval_on_selector_all(
        "[aria-label], [title], [placeholder]",
        "nodes => nodes.map(n => [n.getAttribute('aria-label'), n.title, n.placeholder].join(' '))",
    )
    shown = text + "\n" + "\n".join(labels)
    english = ["Collapse all", "Expand all", "Reports", "Help", "Toggle sidebar", "Insert a block", "Comments", "Duplicate"]
    assert [phrase for phrase in english if phrase in shown] == []
    trainer.goto("about:blank")
