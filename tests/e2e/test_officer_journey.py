"""Scenario 1: an officer logs in, enrols, reads the modules, passes their quizzes,
completes the course, downloads the certificate PDF and follows its verification
link, which says valid.

The PDF is rendered the way the product renders it: completing the course only
enqueues the render on the database task backend (as `make run` does), My
certificates says the PDF is being prepared, and a task worker (`db_worker
--batch`, the same command `make run` starts beside the server) then renders it.
The test settings' immediate backend would render inside the request instead,
and hide the "being prepared" step an officer actually sees."""

import re
from urllib.parse import urlsplit

from django.core.management import call_command
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.harness import OFFICER, answer_quiz, log_in_with_form, site_menu


def run_task_worker() -> None:
    """Run the queued background tasks, as the worker beside the server would."""
    call_command("db_worker", queue_name="*", batch=True, reload=False, verbosity=0)


def test_scenario1_officer_completes_a_course(demo, page, shots, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The address printed on the certificate is this live server's.
    settings.PUBLIC_BASE_URL = demo.base_url
    course = demo.course("IMI")
    modules = demo.modules(course)
    assert len(modules) >= 2

    log_in_with_form(page, demo, OFFICER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pembelajaran saya")
    shots.take(page, "logged in: my learning is empty")

    site_menu(page).get_by_role("link", name="Katalog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog Kursus")
    shots.take(page, "catalog")

    page.get_by_role("link", name=course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    page.get_by_role("button", name="Daftar kursus ini").click()
    expect(page.get_by_role("status")).to_contain_text("Anda terdaftar di kursus ini.")
    shots.take(page, "enrolled")

    for number, module in enumerate(modules, start=1):
        page.get_by_role("link", name=f"Lanjutkan: {module.title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        shots.take(page, f"module {number}: lesson")

        page.get_by_role("button", name="Mulai kuis").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(module.title)
        answer_quiz(page)
        shots.take(page, f"module {number}: quiz answered")
        page.get_by_role("button", name="Kumpulkan jawaban").click()
        expect(page.get_by_role("heading", name="Lulus", exact=True)).to_be_visible()
        expect(page.locator(".score")).to_contain_text("Nilai 100%")
        shots.take(page, f"module {number}: quiz passed")
        page.get_by_role("link", name="Ke halaman kursus").click()

    expect(page.get_by_text("Anda telah menyelesaikan kursus ini.")).to_be_visible()
    expect(page.locator(".badge-completed")).to_have_count(len(modules))
    # The next step: the certificate, whose PDF the worker has not rendered yet.
    expect(page.locator(".next-step").get_by_role("status")).to_have_text("Sertifikat sedang disiapkan…")
    shots.take(page, "course completed")

    site_menu(page).get_by_role("link", name="Pembelajaran saya").click()
    with translation.override("id"):
        today = dateformat.format(timezone.localdate(), "j F Y")
    expect(page.locator(".my-courses")).to_contain_text(f"Selesai · {today}")
    shots.take(page, "my learning: completed")

    site_menu(page).get_by_role("link", name="Sertifikat saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sertifikat saya")
    card = page.locator(".certificate-list > li").filter(has_text=course.title)
    expect(card.get_by_role("status")).to_contain_text("PDF sedang disiapkan")
    shots.take(page, "my certificates: pdf being prepared")

    run_task_worker()
    page.reload()
    download_link = card.get_by_role("link", name="Unduh PDF")
    expect(download_link).to_be_visible()
    shots.take(page, "my certificates: pdf ready")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(download.path())
    text = " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in pdf.pages)

    from certificates.models import Certificate

    certificate = Certificate.objects.get(holder=demo.user(OFFICER), course=course)
    assert certificate.holder_name in text
    assert certificate.serial in text
    printed = re.search(re.escape(demo.base_url) + r"/verify/\S+/", text)
    assert printed, f"no verification link in the PDF text: {text}"

    page.goto(printed.group(0))
    assert urlsplit(page.url).path == certificate.verification_path
    expect(page.get_by_role("status")).to_contain_text("BERLAKU")
    expect(page.locator(".cert-facts")).to_contain_text(certificate.serial)
    expect(page.locator(".cert-facts")).to_contain_text(certificate.holder_name)
    shots.take(page, "verification page: valid")
