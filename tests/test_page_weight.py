"""Officer pages are light on a weak village connection: at most 100 KB compressed
(the HTML plus the CSS and JavaScript it references; lesson images and video
excluded), and lesson images are served as renditions sized for a phone screen."""

import gzip
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from courses import services
from courses.tests.builders import make_course, make_module, quiz_questions

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def compressed_weight(html: str) -> tuple[int, dict[str, int]]:
    """gzip size of the page and of every stylesheet and script it references, by URL."""
    parts = {"HTML": len(gzip.compress(html.encode(), 6))}
    for url in _ASSET.findall(html):
        assert url.startswith("/static/"), f"asset from elsewhere: {url}"
        path = finders.find(url.removeprefix("/static/").split("?")[0])
        assert path, f"missing static file {url}"
        with open(path, "rb") as handle:
            parts[url] = len(gzip.compress(handle.read(), 6))
    return sum(parts.values()), parts


def photo(name="foto-desa.jpg", size=(3000, 2000)) -> Image:
    """A big camera photo, as a trainer would upload it."""
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=92)
    return Image.objects.create(title="Foto desa", file=ImageFile(buffer, name=name))


@pytest.fixture
def lesson_course(catalog, officer):
    """A course shaped like the demo ones: a long lesson with an image, a 10-question quiz."""
    course = make_course(catalog=catalog, title="Migrasi Aman dan Pencegahan TPPO", modules=0)
    image = photo()
    text = "<p>" + "Petugas menjelaskan tanda-tanda perekrutan ilegal kepada warga desa binaan. " * 40 + "</p>"
    lesson = make_module(
        course=course,
        title="Mengenali perekrutan ilegal",
        body=[
            ("paragraph", RichText(text)),
            ("image", {"image": image, "alt_text": "Warga desa mendengarkan penyuluhan", "caption": "Penyuluhan"}),
            ("paragraph", RichText(text)),
        ],
        questions=quiz_questions(10, choices=4),
    )
    for number in range(2, 9):
        make_module(course=course, title=f"Modul {number}")
    services.enrollment_create(user=officer, course=course)
    return course, lesson, image


def test_officer_pages_stay_under_100_kb_compressed(client, officer, lesson_course):
    course, lesson, _image = lesson_course
    client.force_login(officer)
    attempt = services.quiz_attempt_start(user=officer, module=lesson)
    pages = {
        "catalog": course.get_parent().url,
        "course": course.url,
        "module": lesson.url,
        "quiz": lesson.url + lesson.reverse_subpage("quiz_attempt", args=[attempt.pk]),
        "my learning": "/my/learning/",
        "saved offline": "/my/offline/",
        "offline": "/offline/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        total, parts = compressed_weight(response.content.decode())
        assert total <= BUDGET, f"{name}: {total} bytes compressed > {BUDGET}: {parts}"


def test_lesson_images_are_renditions_sized_for_the_screen(client, officer, lesson_course):
    course, lesson, image = lesson_course
    client.force_login(officer)
    html = client.get(lesson.url).content.decode()

    img = re.search(r"<img [^>]+>", html).group(0)
    src = re.search(r'src="([^"]+)"', img).group(1)
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert "original_images" not in img, "the uploaded original must never be sent to phones"
    assert int(re.search(r'width="(\d+)"', img).group(1)) <= 720
    assert 'loading="lazy"' in img and "360w" in srcset

    renditions = {rendition.url: rendition for rendition in image.renditions.all()}
    assert src in renditions
    for rendition in renditions.values():
        assert rendition.width <= 720
        assert rendition.file.size < image.file.size / 4
