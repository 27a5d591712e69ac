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

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from courses import selectors, services
from courses.models import CoursePage, ModulePage

PAGE_ESTIMATE_BYTES = 30 * 1024
IMAGE_SPECS = ("width-360|format-webp", "width-720|format-webp")  # image_block.html's srcset
STATIC_FILES = ("css/lms.css", "pwa/register.js", "pwa/icons/icon-192.png")


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


def _module_files(module: ModulePage, limit: int, entry: OfflineModule) -> None:
    entry.files.append({"url": module.url, "size": PAGE_ESTIMATE_BYTES})
    for block in module.body:
        if block.block_type == "image":
            image = block.value["image"]
            if image is None:
                continue
            for spec in IMAGE_SPECS:
                rendition = image.get_rendition(spec)
                entry.files.append({"url": rendition.url, "size": _file_size(rendition.file)})
        elif block.block_type in ("document", "video"):
            document = block.value.get("document") or block.value.get("video_file")
            if document is None:
                continue
            size = _file_size(document.file)
            if size > limit:
                entry.skipped_documents.append({"title": document.title, "size": size})
            else:
                entry.files.append({"url": document.url, "size": size})


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
    modules = ModulePage.objects.live().filter(pk__in=open_ids).order_by("path")
    entries, locked = [], len(outline.rows) - len(open_ids)
    for module in modules:
        module.__dict__["course"] = course
        entry = OfflineModule(pk=module.pk, title=module.title, url=module.url)
        _module_files(module, limit, entry)
        urls = "\n".join(item["url"] for item in entry.files)
        entry.version = hashlib.sha256(f"{module.live_revision_id}\n{urls}".encode()).hexdigest()[:16]
        entries.append(entry)
    return {
        "course": {"id": course.pk, "title": course.title, "url": course.url},
        "pages": pages,
        "modules": [entry.as_dict() for entry in entries],
        "locked_modules": locked,
        "document_limit": limit,
        "total_size": sum(item["size"] for item in pages) + sum(entry.size for entry in entries),
    }
