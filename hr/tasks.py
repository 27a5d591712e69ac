"""Background work of the HR workspace (django-tasks)."""

from django.core.files.base import ContentFile
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from hr import invitations, ledger
from hr.exports import registry_cells, registry_header, xlsx_bytes
from hr.filters import RegistryFilter
from hr.models import ExportJob, ExportKind, JobStatus
from hr.selectors import export_rows, registry_queryset


@task()
def export_xlsx_build(*, job_id: int) -> int:
    """Build a large XLSX export, counting progress on the job row; any server can then serve the file."""
    job = ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(done_rows=done)

        if job.kind == ExportKind.REGISTRY:
            queryset = RegistryFilter(QueryDict(job.query), queryset=registry_queryset()).qs
            data = xlsx_bytes(registry_header(), registry_cells(export_rows(queryset)), title="Registri",
                              on_progress=progress)
        else:
            table = ledger.table_for_query(kind=job.kind, query=job.query)
            data = xlsx_bytes(table.header, table.cells, title=table.title, on_progress=progress)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(error)[:2000],
                                                   finished_at=timezone.now())
        raise
    job.file.save(job.filename, ContentFile(data), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, status=JobStatus.DONE, done_rows=F("total_rows"), finished_at=timezone.now()
    )
    return job.pk


@task()
def officer_invitations_send(*, user_ids: list[int]) -> int:
    return invitations.officer_invitations_send_now(user_ids=user_ids)
