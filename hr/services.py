"""Writes of the HR workspace; each one leaves an audit-log entry naming the HR user."""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from certificates.selectors import officers_awaiting_certificate
from certificates.services import certificates_issue_bulk
from certificates.subjects import Subject
from hr import audit, bulk, officer_import, selectors, tasks
from hr.models import BulkVerification, ExportJob, ExportKind, JobStatus, OfficerImport, OfficerImportStatus
from hr.tabular import read_table
from lms import queueing
from lms.errors import DomainError

logger = logging.getLogger(__name__)


def query_without_page(query: QueryDict) -> str:
    query = query.copy()
    query.pop("halaman", None)
    return query.urlencode()


@transaction.atomic
def export_job_create(*, by, query: QueryDict, format: str, total_rows: int, background: bool,
                      kind: str = ExportKind.REGISTRY) -> ExportJob:
    """Record an export (what it lists and its filters); a background job is queued once this commits."""
    job = ExportJob.objects.create(
        created_by=by,
        kind=kind,
        format=format,
        query=query_without_page(query),
        total_rows=total_rows,
        status=JobStatus.PENDING if background else JobStatus.DONE,
        finished_at=None if background else timezone.now(),
    )
    log(job, audit.EXPORT, user=by, data={"kind": kind, "format": format, "filters": job.query, "rows": total_rows})
    if background:
        transaction.on_commit(lambda: _export_enqueue(job, tasks.export_xlsx_build))
    return job


def _export_enqueue(job: ExportJob, task) -> None:
    try:
        queueing.enqueue(task, job_id=job.pk)
    except queueing.QueueUnavailable:
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now())
        raise queueing.QueueUnavailable(gettext_lazy("Ekspor Excel tidak dapat diantrekan karena antrean tugas sedang tidak "
                                          "dapat dihubungi; ekspor ini dicatat gagal. Coba lagi beberapa menit lagi.")) from None


@transaction.atomic
def bulk_verification_create(*, by, items: list[bulk.NipInput], subject: Subject) -> BulkVerification:
    """Each NIP checked once; a repeated one is noted on its first line and counted under "duplicates"."""
    items, repeats = bulk.without_duplicates(items)
    results = bulk.verify_nips(items=items, subject=subject)
    for result, lines in zip(results, repeats, strict=True):
        result.duplicate_lines = lines
    record = BulkVerification.objects.create(
        created_by=by,
        **subject.ids(),
        subject_title=subject.resolve().title,
        results=bulk.as_json(results),
        counts=bulk.counts(results),
    )
    log(record, audit.BULK_VERIFY, user=by,
        data={"subject": record.subject_title, "nips": len(results), **record.counts})
    return record


def officer_import_table(record: OfficerImport):
    with record.file.open("rb") as handle:
        return read_table(name=record.filename, data=handle.read())


@transaction.atomic
def officer_import_upload(*, by, name: str, data: bytes) -> OfficerImport:
    """Check a file and keep it for its preview; raises TableError if it cannot be read at all."""
    plan = officer_import.officer_import_plan(table=read_table(name=name, data=data))
    record = OfficerImport(created_by=by, filename=name[:255], sha256=hashlib.sha256(data).hexdigest(),
                           summary=plan.summary())
    record.file.save(name, ContentFile(data), save=False)
    record.save()
    return record


@transaction.atomic
def officer_import_confirm(*, record: OfficerImport, by) -> officer_import.ImportPlan:
    """Import the previewed file: all rows or none (ImportRejected); logged with the HR user."""
    locked = OfficerImport.objects.select_for_update().get(pk=record.pk)
    if locked.status == OfficerImportStatus.APPLIED:
        raise DomainError(_("Berkas ini sudah diimpor sebelumnya."))
    if locked.file_deleted_at is not None:
        raise DomainError(_("Berkas ini sudah dihapus karena melewati masa simpan. Unggah berkasnya lagi."))
    plan = officer_import.officer_import_apply(table=officer_import_table(locked), by=by)
    locked.status = OfficerImportStatus.APPLIED
    locked.summary = plan.summary()
    locked.applied_at = timezone.now()
    locked.save(update_fields=["status", "summary", "applied_at"])
    log(locked, audit.OFFICER_IMPORT, user=by, data={"file": locked.filename, "sha256": locked.sha256, **locked.summary})
    return plan


def certificates_issue_awaiting(*, subject: Subject, office=None, by) -> int:
    """Queue the certificates officers have earned but not yet received; returns how many, at once.

    The worker issues and renders them (certificates.services.certificates_issue_bulk), so the
    request stays fast for a thousand officers.
    """
    user_ids = list(officers_awaiting_certificate(subject=subject, office=office).values_list("pk", flat=True))
    if user_ids:
        certificates_issue_bulk(user_ids=user_ids, subject=subject)
    log(
        subject.resolve(),
        audit.BULK_ISSUE,
        user=by,
        data={"subject": subject.resolve().title, "office": office.code if office else None, "officers": len(user_ids)},
    )
    return len(user_ids)


@dataclass(frozen=True)
class StoredFile:
    kind: str  # "export", "import" or "bundle" (selectors.files_past_retention), or "orphan"
    pk: int | None  # None for an orphan: no record holds it
    name: str
    size: int | None  # bytes; None when the file was already missing from storage


@dataclass
class FilesCleanup:
    retention_days: int
    dry_run: bool
    files: list[StoredFile] = field(default_factory=list)  # deleted, or on a dry run those that would be
    orphans: list[StoredFile] = field(default_factory=list)  # files no record holds, likewise
    failed: list[StoredFile] = field(default_factory=list)

    @property
    def bytes_freed(self) -> int:
        return sum(item.size or 0 for item in [*self.files, *self.orphans])


def _stored_file(kind: str, record) -> StoredFile:
    storage, name = record.file.storage, record.file.name
    return StoredFile(kind=kind, pk=record.pk, name=name, size=storage.size(name) if storage.exists(name) else None)


def hr_files_cleanup(*, dry_run: bool = False, now: datetime.datetime | None = None) -> FilesCleanup:
    """Delete the stored files of exports, officer imports and print bundles past HR_FILE_RETENTION_DAYS.

    Which files qualify is `selectors.files_past_retention` (never one a worker
    may still be writing). Each record stays, as the subject of its audit-log
    entry, with its file name and `file_deleted_at` set, so its page says the
    file has gone instead of offering a broken download. Every record is locked
    and checked again before its file goes; a file that cannot be deleted leaves
    its record as it was, to be tried again on the next run. A second run finds
    nothing left to do.

    Files in the same folders that no record holds (`selectors.orphaned_files`)
    go too, once they are a day old, so a file being written now is never taken.
    """
    now = now or timezone.now()
    result = FilesCleanup(retention_days=settings.HR_FILE_RETENTION_DAYS, dry_run=dry_run)
    _records_files_cleanup(result, now=now)
    _orphans_cleanup(result, now=now)
    return result


def _records_files_cleanup(result: FilesCleanup, *, now: datetime.datetime) -> None:
    dry_run = result.dry_run
    candidates = selectors.files_past_retention(cutoff=now - datetime.timedelta(days=result.retention_days))
    for kind, queryset in candidates.items():
        if dry_run:
            result.files.extend(_stored_file(kind, record) for record in queryset.order_by("pk"))
            continue
        for pk in list(queryset.order_by("pk").values_list("pk", flat=True)):
            stored = StoredFile(kind=kind, pk=pk, name="", size=None)
            try:
                with transaction.atomic():
                    record = queryset.select_for_update().filter(pk=pk).first()
                    if record is None:
                        continue  # changed since the list was read, e.g. taken by another run
                    stored = _stored_file(kind, record)
                    if stored.size is not None:
                        record.file.storage.delete(stored.name)
                    type(record).objects.filter(pk=pk).update(file_deleted_at=now)
            except Exception:
                logger.exception("Deleting the file of %s #%s failed; it is tried again on the next run", kind, pk)
                result.failed.append(stored)
                continue
            result.files.append(stored)


def _orphans_cleanup(result: FilesCleanup, *, now: datetime.datetime) -> None:
    """Delete files under the HR folders that no record holds, once they are `ORPHAN_GRACE` old."""
    storage = default_storage
    for orphan in selectors.orphaned_files(storage=storage, older_than=now - selectors.ORPHAN_GRACE):
        stored = StoredFile(kind="orphan", pk=None, name=orphan.name, size=orphan.size)
        if not result.dry_run:
            try:
                storage.delete(orphan.name)
            except Exception:
                logger.exception("Deleting the orphaned file %s failed; it is tried again on the next run", orphan.name)
                result.failed.append(stored)
                continue
        result.orphans.append(stored)
