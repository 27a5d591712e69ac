"""Thin views of the HR workspace: form or selector → service → response. All behind `hr_required`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates.models import Certificate
from certificates.selectors import JP_TARGET_BASIS
from certificates.services import CertificateError, certificate_revoke
from hr import bulk, charts, exports, ledger, officer_import, selectors, services
from hr.access import hr_required
from hr.filters import JpLedgerForm, RegistryFilter
from hr.forms import BulkIssueForm, BulkVerificationForm, OfficerImportForm, RevokeForm
from hr.models import (
    EXPORT_FILE_STEMS, BulkVerification, ExportJob, ExportKind, JobStatus, OfficerImport, OfficerImportStatus,
)
from hr.tabular import TableError
from hr.uploads import hr_upload_view
from lms.errors import DomainError

PAGE_SIZE = 50


@hr_required
def dashboard(request):
    data = selectors.dashboard()
    subject_chart = charts.bar_chart(
        title=_("Pemegang sertifikat berlaku per kursus/program"),
        items=[(title, data.holders_by_subject.get(key, 0), data.officer_total) for key, title in data.subjects],
    )
    province_chart = charts.bar_chart(
        title=_("Petugas per provinsi"),
        items=[(row["name"], row["officers"], None) for row in data.by_province],
    )
    return render(
        request,
        "hr/dashboard.html",
        {"data": data, "subject_chart": subject_chart, "province_chart": province_chart},
    )


def _registry_filter(request):
    return RegistryFilter(request.GET or None, queryset=selectors.registry_queryset())


def _invalid_filter_redirect(request, filterset):
    """An export never drops a filter it does not understand: it sends HR to the registry page
    with the same query, where the form says what is wrong."""
    if filterset.errors:
        return redirect(f"{reverse('hr:registry')}?{request.GET.urlencode()}")
    return None


@hr_required
def registry(request):
    filterset = _registry_filter(request)
    if (canonical := filterset.canonical_query()) is not None:
        return redirect(f"{request.path}?{canonical.urlencode()}")
    context = {"filter": filterset, "query": services.query_without_page(request.GET)}
    if not filterset.errors:  # an invalid filter lists nothing rather than more than was asked for
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
        context.update(page_obj=page, certificates=selectors.registry_rows(page.object_list))
    return render(request, "hr/registry.html", context)


@hr_required
def registry_export_csv(request):
    filterset = _registry_filter(request)
    if response := _invalid_filter_redirect(request, filterset):
        return response
    queryset = filterset.qs
    services.export_job_create(by=request.user, query=request.GET, format="csv", total_rows=queryset.count(),
                               background=False)
    response = StreamingHttpResponse(
        exports.csv_stream(exports.registry_header(), exports.registry_cells(selectors.export_rows(queryset))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


@hr_required
def registry_export_xlsx(request):
    filterset = _registry_filter(request)
    if response := _invalid_filter_redirect(request, filterset):
        return response
    queryset = filterset.qs
    total = queryset.count()
    background = total > exports.XLSX_INLINE_LIMIT
    job = services.export_job_create(by=request.user, query=request.GET, format="xlsx", total_rows=total,
                                     background=background)
    if background:
        return redirect("hr:export_job", pk=job.pk)
    data = exports.xlsx_bytes(
        exports.registry_header(), exports.registry_cells(selectors.export_rows(queryset)), title="Registri"
    )
    return _download(data, exports.XLSX_CONTENT_TYPE, _export_name("xlsx"))


def _export_name(extension: str) -> str:
    return f"registri-sertifikat-{timezone.localdate():%Y%m%d}.{extension}"


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_EXPORT_PAGES = {  # where an export's filters come from, and the URL that makes it again
    ExportKind.REGISTRY: ("hr:registry", "hr:export_xlsx"),
    ExportKind.JP_LEDGER: ("hr:jp_ledger", "hr:jp_export_xlsx"),
    ExportKind.SIASN: ("hr:jp_ledger", "hr:jp_siasn_xlsx"),
}


def _export_job_page(request, job: ExportJob, *, status: int = 200):
    page, again = _EXPORT_PAGES[job.kind]
    context = {"job": job, "refresh": not job.is_finished, "retention_days": settings.HR_FILE_RETENTION_DAYS,
               "back_url": reverse(page), "again_url": reverse(again)}
    return render(request, "hr/export_job.html", context, status=status)


@hr_required
def export_job(request, pk):
    return _export_job_page(request, get_object_or_404(ExportJob, pk=pk))


@hr_required
def export_job_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, status=JobStatus.DONE)
    if job.file_deleted_at:
        return _export_job_page(request, job, status=410)  # Gone: the page says when and offers a new export
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@hr_required
def officer_detail(request, user_id):
    officer = get_object_or_404(get_user_model(), pk=user_id)
    return render(request, "hr/officer_detail.html", {"detail": selectors.officer_detail(user=officer)})


@hr_required
@require_http_methods(["POST"])
def officer_invite(request, user_id):
    officer = get_object_or_404(get_user_model(), pk=user_id)
    if officer.has_usable_password() or not officer.email:
        messages.error(request, _("Petugas ini sudah mengatur kata sandi atau tidak memiliki email."))
    else:
        officer_import.officer_invitation_resend(user=officer, by=request.user)
        messages.success(request, _("Undangan dikirim ulang ke %(email)s.") % {"email": officer.email})
    return redirect("hr:officer", user_id=officer.pk)


@hr_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    certificate = get_object_or_404(Certificate.objects.with_status(), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except CertificateError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sertifikat %(serial)s dicabut.") % {"serial": certificate.serial})
        return redirect("hr:officer", user_id=certificate.holder_id)
    return render(request, "hr/revoke.html", {"certificate": certificate, "form": form})


@hr_required
def bulk_issue(request):
    form = BulkIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.certificates_issue_awaiting(
            subject=form.cleaned_data["subjek"], office=form.cleaned_data["office"], by=request.user
        )
        if count:
            messages.success(
                request,
                _("%(count)s sertifikat diantrekan. Sertifikat terbit dan PDF-nya disiapkan di latar belakang.")
                % {"count": count},
            )
        else:
            messages.info(request, _("Tidak ada petugas yang menunggu sertifikat ini."))
        return redirect("hr:bulk_issue")
    return render(request, "hr/bulk_issue.html", {"form": form})


def _upload_form_kwargs(request) -> dict:
    """Bound on every POST: a stopped oversized upload may leave POST and FILES empty."""
    if request.method != "POST":
        return {}
    return {
        "data": request.POST,
        "files": request.FILES,
        "upload_too_large": request.upload_too_large,
        "request_size": int(request.META.get("CONTENT_LENGTH") or 0),
    }


@hr_required
@hr_upload_view
@require_http_methods(["GET", "POST"])
def bulk_verify(request):
    form = BulkVerificationForm(**_upload_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        record = services.bulk_verification_create(
            by=request.user, items=form.cleaned_data["items"], subject=form.cleaned_data["subjek"]
        )
        return redirect("hr:bulk_verify_result", pk=record.pk)
    recent = BulkVerification.objects.select_related("created_by").defer("results")[:10]
    return render(request, "hr/bulk_verify.html", {"form": form, "recent": recent})


@hr_required
def bulk_verify_result(request, pk):
    record = get_object_or_404(BulkVerification, pk=pk)
    summary = [(state, bulk.STATE_LABELS[state], record.counts.get(state, 0)) for state in bulk.STATE_ORDER]
    return render(request, "hr/bulk_verify_result.html", {
        "record": record, "summary": summary, "rows": bulk.result_rows(record.results),
        "duplicates": record.counts.get("duplicates", 0),
    })


@hr_required
def bulk_verify_download(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    record = get_object_or_404(BulkVerification, pk=pk)
    header, cells = bulk.export_table(record.results)
    filename = f"verifikasi-{record.pk}.{fmt}"
    if fmt == "csv":
        return _download("".join(exports.csv_stream(header, cells)).encode(), "text/csv; charset=utf-8", filename)
    return _download(exports.xlsx_bytes(header, cells, title="Verifikasi"), exports.XLSX_CONTENT_TYPE, filename)


@hr_required
@hr_upload_view
@require_http_methods(["GET", "POST"])
def officer_import_upload(request):
    form = OfficerImportForm(**_upload_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.officer_import_upload(by=request.user, name=upload.name, data=upload.read())
        except TableError as error:
            form.add_error("file", error.message)
        else:
            return redirect("hr:officer_import_preview", pk=record.pk)
    recent = OfficerImport.objects.select_related("created_by")[:10]
    return render(request, "hr/officer_import.html", {
        "form": form, "recent": recent, "columns": officer_import.expected_header(),
    })


PREVIEW_LIMIT = 200


@hr_required
@require_http_methods(["GET", "POST"])
def officer_import_preview(request, pk):
    record = get_object_or_404(OfficerImport, pk=pk)
    if request.method == "POST":
        try:
            plan = services.officer_import_confirm(record=record, by=request.user)
        except DomainError as error:  # ImportRejected included: nothing was written
            messages.error(request, error.message)
        else:
            messages.success(request, _("Impor selesai: %(created)d petugas baru, %(updated)d diperbarui, "
                                        "%(unchanged)d tetap.") % plan.summary())
        return redirect("hr:officer_import_preview", pk=record.pk)
    plan = file_error = None
    # An applied import shows its recorded summary; only a pending one needs its file read again.
    if record.status != OfficerImportStatus.APPLIED and record.file_available:
        try:
            plan = officer_import.officer_import_plan(table=services.officer_import_table(record))
        except TableError as error:
            file_error = error.message
    context = {"record": record, "plan": plan, "file_error": file_error, "limit": PREVIEW_LIMIT,
               "retention_days": settings.HR_FILE_RETENTION_DAYS}
    if plan is not None:
        context.update({
            "issues": plan.issues[:PREVIEW_LIMIT],
            "creates": [row for row in plan.rows if row.action == officer_import.Action.CREATE][:PREVIEW_LIMIT],
            "updates": [row for row in plan.rows if row.action == officer_import.Action.UPDATE][:PREVIEW_LIMIT],
        })
    return render(request, "hr/officer_import_preview.html", context)


@hr_required
def officer_import_issues(request, pk):
    """Every invalid row of a previewed file as CSV (the page shows the first PREVIEW_LIMIT)."""
    record = get_object_or_404(OfficerImport, pk=pk)
    if record.status == OfficerImportStatus.APPLIED or not record.file_available:
        return redirect("hr:officer_import_preview", pk=record.pk)  # the page says why there is no list
    try:
        plan = officer_import.officer_import_plan(table=services.officer_import_table(record))
    except TableError:
        return redirect("hr:officer_import_preview", pk=record.pk)
    header, rows = exports.import_issues_table(plan.issues)
    data = "".join(exports.csv_stream(header, rows)).encode()
    return _download(data, "text/csv; charset=utf-8", f"masalah-impor-{record.pk}.csv")


@hr_required
def officer_import_template(request):
    nip, *rest = officer_import.example_row()
    data = "".join(exports.csv_stream(officer_import.expected_header(), [[exports.Identifier(nip), *rest]]))
    return _download(data.encode(), "text/csv; charset=utf-8", "templat-impor-petugas.csv")



# --- JP ledger ---------------------------------------------------------------------------


@hr_required
def jp_ledger(request):
    form = JpLedgerForm(request.GET)
    # The export links name the year even when the page was asked without one (this year).
    context = {"form": form, "query": services.query_without_page(form.data), "target": selectors.jp_target(),
               "target_basis": JP_TARGET_BASIS}
    if form.is_valid():  # an invalid filter lists nothing rather than more than was asked for
        arguments = form.ledger_arguments()
        officers = selectors.jp_ledger(**arguments).order_by(*form.order())
        page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("halaman"))
        context.update(page_obj=page, rows=selectors.jp_ledger_rows(page.object_list), year=arguments["year"],
                       agency=arguments["agency"])
    return render(request, "hr/jp_ledger.html", context)


@hr_required
def jp_export(request, *, kind: str, format: str):
    """The ledger (`kind` "jp") or its SIASN records ("siasn") as CSV or Excel; the URL names both."""
    form = JpLedgerForm(request.GET)
    if not form.is_valid():  # never an export of other rows than asked: the page says what is wrong
        return redirect(f"{reverse('hr:jp_ledger')}?{request.GET.urlencode()}")
    table = ledger.table(kind=kind, form=form)
    background = format == "xlsx" and table.total > exports.XLSX_INLINE_LIMIT
    # form.data: the filters with the year filled in, so a background job lists the year HR saw.
    job = services.export_job_create(by=request.user, query=form.data, format=format, total_rows=table.total,
                                     background=background, kind=kind)
    if background:
        return redirect("hr:export_job", pk=job.pk)
    stem = f"{EXPORT_FILE_STEMS[kind]}-{form.cleaned_data['tahun']}"
    if format == "csv":
        response = StreamingHttpResponse(exports.csv_stream(table.header, table.cells),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    data = exports.xlsx_bytes(table.header, table.cells, title=table.title)
    return _download(data, exports.XLSX_CONTENT_TYPE, f"{stem}.xlsx")
