"""What "Simpan untuk offline" saves of a course on an officer's phone (README "Offline").

`offline_bundle` lists, for an enrolled officer, the URLs the page script saves into
Cache Storage (tools/pwa/src/saving.js), with their sizes:
- the course page, My learning, My certificates, the saved-courses page, the offline
  page and the stylesheet and scripts those pages need ("pages", fetched on every save);
- for each module the officer may open now (modules open in order), its lesson page,
  the two screen-sized renditions of each lesson image (the srcset of
  templates/courses/blocks/image_block.html) and its documents and video files up to
  settings.OFFLINE_DOCUMENT_MAX_BYTES each. Each module has a `version`, a hash of
  its live revision and its URLs: a module whose version is unchanged since the last
  save is not fetched again.

Never listed: quiz pages (`kuis/...`) and anything else carrying questions or answers:
a lesson page shows neither (quizzes are on their own routes), so no answer key reaches
a phone. Sizes of HTML pages are estimates (PAGE_ESTIMATE_BYTES): they are rendered
only when fetched; files and images are exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses import selectors, services

if TYPE_CHECKING:
    from courses.models import CoursePage

# Sent by the page script when it fetches a lesson to save it (tools/pwa/src/saving.js).
SAVE_HEADER = "X-Pimpasa-Offline-Save"
PAGE_ESTIMATE_BYTES = 30 * 1024
IMAGE_SPECS = ("width-360|format-webp", "width-720|format-webp")  # image_block.html's srcset
STATIC_FILES = ("css/lms.css", "js/site-menu.js", "pwa/register.js", "pwa/icons/icon-192.png")


@dataclass
class OfflineModule:
    pk: int
    title: str
    url: str
    version: str = ""
    files: list[dict] = field(default_factory=list)  # [{"url", "size"}], the lesson page first
    skipped_documents: list[dict] = field(default_factory=list)  # [{"title", "size"}] over the limit

    @property
    def size(self) -> int:
        return sum(item["size"] for item in self.files)

    def as_dict(self) -> dict:
        return {
            "id": self.pk,
            "title": self.title,
            "url": self.url,
            "version": self.version,
            "size": self.size,
            "files": self.files,
            "skipped_documents": self.skipped_documents,
        }


def is_offline_save(request) -> bool:
    """A lesson fetched by "Simpan untuk offline": saving it is not reading it, so no visit is recorded."""
    return request.headers.get(SAVE_HEADER) == "1"


def _static_size(path: str) -> int:
    found = finders.find(path)
    if not found:
        return 0
    with open(found, "rb") as handle:
        handle.seek(0, 2)
        return handle.tell()


def _file_size(fieldfile) -> int:
    try:
        return fieldfile.size
    except (OSError, ValueError):
        return 0


def _raw_files(module) -> list[tuple[str, int]]:
    """The lesson's images and documents as (kind, id), read from the stored stream: no query."""
    found = []
    for block in module.body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "image" and value.get("image"):
            found.append(("image", value["image"]))
        elif block.get("type") == "document" and value.get("document"):
            found.append(("document", value["document"]))
        elif block.get("type") == "video" and value.get("video_file"):
            found.append(("document", value["video_file"]))
    return found


def _module_entries(modules, limit: int) -> list[OfflineModule]:
    """Every module's files, with all images (and their renditions) and documents in two queries."""
    raw = {module.pk: _raw_files(module) for module in modules}
    image_ids = {pk for files in raw.values() for kind, pk in files if kind == "image"}
    document_ids = {pk for files in raw.values() for kind, pk in files if kind == "document"}
    images = {image.pk: image for image in get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*IMAGE_SPECS)}
    documents = get_document_model().objects.in_bulk(document_ids)
    entries = []
    for module in modules:
        entry = OfflineModule(pk=module.pk, title=module.title, url=module.url)
        entry.files.append({"url": module.url, "size": PAGE_ESTIMATE_BYTES})
        for kind, pk in raw[module.pk]:
            if kind == "image" and pk in images:
                for spec in IMAGE_SPECS:
                    rendition = images[pk].get_rendition(spec)
                    entry.files.append({"url": rendition.url, "size": _file_size(rendition.file)})
            elif kind == "document" and pk in documents:
                document = documents[pk]
                size = _file_size(document.file)
                if size > limit:
                    entry.skipped_documents.append({"title": document.title, "size": size})
                else:
                    entry.files.append({"url": document.url, "size": size})
        urls = "\n".join(item["url"] for item in entry.files)
        entry.version = hashlib.sha256(f"{module.live_revision_id}\n{urls}".encode()).hexdigest()[:16]
        entries.append(entry)
    return entries


def offline_bundle(*, user, course: CoursePage) -> dict | None:
    """The URLs to save of `course` for `user`, or None when the officer is not enrolled."""
    outline = selectors.course_outline_for_user(user=user, course=course)
    if outline.enrollment is None:
        return None
    limit = settings.OFFLINE_DOCUMENT_MAX_BYTES
    pages = [
        {"url": course.url, "size": PAGE_ESTIMATE_BYTES},
        {"url": reverse("my_learning"), "size": PAGE_ESTIMATE_BYTES},
        {"url": reverse("certificates:mine"), "size": PAGE_ESTIMATE_BYTES},
        {"url": reverse("offline_saved"), "size": PAGE_ESTIMATE_BYTES},
        {"url": reverse("offline"), "size": PAGE_ESTIMATE_BYTES},
    ]
    pages += [{"url": settings.STATIC_URL + path, "size": _static_size(path)} for path in STATIC_FILES]
    open_ids = [
        row.module.pk
        for row in outline.rows
        if services.module_access(user=user, module=row.module, course=course, outline=outline).allowed
    ]
    modules = list(course.get_modules().filter(pk__in=open_ids))
    entries = _module_entries(modules, limit)
    locked = len(outline.rows) - len(open_ids)
    return {
        "course": {"id": course.pk, "title": course.title, "url": course.url},
        "pages": pages,
        "modules": [entry.as_dict() for entry in entries],
        "locked_modules": locked,
        "document_limit": limit,
        "total_size": sum(item["size"] for item in pages) + sum(entry.size for entry in entries),
    }
