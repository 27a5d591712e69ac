"""What "Simpan untuk offline" saves of a course (courses/offline.py): the URLs and sizes the
page script fetches into Cache Storage, and a version per module so that only changed
modules are fetched again (README "Offline")."""

import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from courses import services
from courses.models import ModuleProgress
from courses.tests.builders import make_course, make_module, quiz_questions

pytestmark = pytest.mark.django_db


def photo(name):
    buffer = io.BytesIO()
    PILImage.effect_noise((1600, 1000), 60).convert("RGB").save(buffer, "JPEG", quality=85)
    return Image.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.jpg"))


def document(name, size):
    return Document.objects.create(title=name, file=ContentFile(b"%PDF-1.4\n" + b"0" * size, name=f"{name}.pdf"))


def lesson(image=None, doc=None):
    body = [("paragraph", RichText("<p>Isi pelajaran.</p>"))]
    if image:
        body.append(("image", {"image": image, "alt_text": "Warga desa", "caption": ""}))
    if doc:
        body.append(("document", {"document": doc, "title": "", "description": ""}))
    return body


def bundle_of(client, course):
    response = client.get(f"/my/offline/kursus/{course.pk}/")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def course(catalog, officer):
    course = make_course(catalog=catalog, title="Migrasi Aman")
    make_module(course=course, title="Modul 1", body=lesson(photo("foto-1"), document("uu-6-2011", 2000)))
    make_module(course=course, title="Modul 2", body=lesson(photo("foto-2")), questions=quiz_questions(2))
    make_module(course=course, title="Modul 3", body=lesson())
    services.enrollment_create(user=officer, course=course)
    return course


def complete(officer, course, modules):
    """The officer has completed `modules` (so the next ones are open)."""
    for module in modules:
        ModuleProgress.objects.update_or_create(
            user=officer, module=module, course=course, defaults={"completed_at": datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)}
        )


def test_lists_the_course_pages_each_open_module_its_renditions_and_documents(client, officer, course, settings):
    settings.OFFLINE_DOCUMENT_MAX_BYTES = 10_000
    client.force_login(officer)
    bundle = bundle_of(client, course)
    pages = [item["url"] for item in bundle["pages"]]
    assert pages[:5] == [course.url, "/my/learning/", "/my/certificates/", "/my/offline/", "/offline/"]
    assert "/static/css/lms.css" in pages and "/static/pwa/register.js" in pages
    assert "/static/js/site-menu.js" in pages  # every page loads it: the Menu closes offline too
    # Modules open in order: only the first is open to a new officer.
    assert [module["title"] for module in bundle["modules"]] == ["Modul 1"]
    assert bundle["locked_modules"] == 2
    files = bundle["modules"][0]["files"]
    first = course.get_modules().first()
    assert files[0]["url"] == first.url
    renditions = [item for item in files if item["url"].startswith("/media/images/")]
    assert len(renditions) == 2 and all(".width-" in item["url"] and item["url"].endswith(".webp") for item in renditions)
    for item in renditions:  # exact sizes of what will be fetched (media files: the web server's)
        assert item["size"] == (settings.MEDIA_ROOT / item["url"].removeprefix("/media/")).stat().st_size > 0
    docs = [item for item in files if item["url"].startswith("/documents/")]
    assert len(docs) == 1 and docs[0]["size"] == 2009
    assert bundle["total_size"] == sum(item["size"] for item in bundle["pages"]) + bundle["modules"][0]["size"]
    # Every listed page is served to the officer (nothing redirects away).
    for url in pages + [item["url"] for item in files if not item["url"].startswith("/media/")]:
        assert client.get(url).status_code == 200, url


def test_documents_over_the_limit_stay_online(client, officer, course, settings):
    settings.OFFLINE_DOCUMENT_MAX_BYTES = 1000
    client.force_login(officer)
    module = bundle_of(client, course)["modules"][0]
    assert not [item for item in module["files"] if item["url"].startswith("/documents/")]
    assert module["skipped_documents"] == [{"title": "uu-6-2011", "size": 2009}]


def test_never_lists_a_quiz_page(client, officer, course):
    complete(officer, course, course.get_modules())
    client.force_login(officer)
    bundle = bundle_of(client, course)
    assert len(bundle["modules"]) == 3  # the module with a quiz too: its lesson, not its quiz
    urls = [item["url"] for item in bundle["pages"]] + [f["url"] for m in bundle["modules"] for f in m["files"]]
    assert not [url for url in urls if "/kuis/" in url]


def test_only_a_changed_module_gets_a_new_version(client, officer, course, settings):
    client.force_login(officer)
    modules = list(course.get_modules())
    complete(officer, course, modules[:2])  # every module open
    before = {module["id"]: module["version"] for module in bundle_of(client, course)["modules"]}
    assert len(before) == 3
    assert before == {module["id"]: module["version"] for module in bundle_of(client, course)["modules"]}
    changed = modules[1].specific
    changed.body = lesson(photo("foto-baru"))
    changed.save_revision().publish()
    after = {module["id"]: module["version"] for module in bundle_of(client, course)["modules"]}
    assert after[changed.pk] != before[changed.pk]
    assert {pk: version for pk, version in after.items() if pk != changed.pk} == {
        pk: version for pk, version in before.items() if pk != changed.pk
    }


def test_not_for_an_officer_who_is_not_enrolled(client, other_officer, course):
    client.force_login(other_officer)
    assert client.get(f"/my/offline/kursus/{course.pk}/").status_code == 404


def test_needs_a_logged_in_officer(client, course):
    response = client.get(f"/my/offline/kursus/{course.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_saving_a_lesson_is_not_reading_it(client, officer, course):
    client.force_login(officer)
    first = course.get_modules().first()
    assert client.get(first.url, headers={"X-Pimpasa-Offline-Save": "1"}).status_code == 200
    assert not ModuleProgress.objects.filter(module=first).exists()
    client.get(first.url)
    assert ModuleProgress.objects.filter(module=first).exists()


def test_queries_do_not_grow_with_the_modules(client, officer, catalog):
    def queries(count):
        course = make_course(catalog=catalog, title=f"Kursus {count}")
        for number in range(count):
            make_module(course=course, title=f"Modul {number}", body=lesson(photo(f"f{count}-{number}"), document(f"d{count}-{number}", 10)))
        services.enrollment_create(user=officer, course=course)
        complete(officer, course, course.get_modules())
        bundle_of(client, course)  # renditions made once, as after the first save
        with CaptureQueriesContext(connection) as captured:
            bundle = bundle_of(client, course)
        assert len(bundle["modules"]) == count
        return len(captured)

    client.force_login(officer)
    assert queries(2) == queries(5)
