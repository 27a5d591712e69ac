"""What HR did in their workspace, kept as rows so any server or worker sees it.

Each row is also the subject of its audit-log entry (Wagtail `log()`), so the
site history says who exported, verified or imported what, and when.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.models.files import RetainedFileRecord


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportKind(models.TextChoices):
    """What an export lists: the page its filters (`query`) come from."""

    REGISTRY = "registry", _("Registri sertifikat")
    JP_LEDGER = "jp", _("Rekap JP")
    SIASN = "siasn", _("Riwayat kursus SIASN")


# The start of a download's file name, per kind.
EXPORT_FILE_STEMS = {
    ExportKind.REGISTRY: "registri-sertifikat", ExportKind.JP_LEDGER: "rekap-jp", ExportKind.SIASN: "riwayat-kursus-siasn",
}


class ExportJob(RetainedFileRecord):
    """One export of the certificate registry, the JP ledger or its SIASN records, with the filters
    it used; large XLSX files build in the background."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=ExportKind.choices, default=ExportKind.REGISTRY)
    query = models.TextField(
        _("saringan"), blank=True, help_text=_("Saringan registri saat ekspor (query string), mis. status=valid&agency=3.")
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    done_rows = models.PositiveIntegerField(_("baris selesai"), default=0)
    file = models.FileField(_("berkas"), upload_to="hr/exports/%Y/%m/", blank=True)
    error = models.TextField(_("pesan galat"), blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ekspor registri")
        verbose_name_plural = _("ekspor registri")
        db_table = "certificates_exportjob"  # created by certificates 0003; moved by state only (hr 0001)

    def __str__(self):
        return _("Ekspor %(format)s #%(id)s") % {"format": self.get_format_display(), "id": self.pk}

    @property
    def filename(self) -> str:
        """The download's name: what it lists and the job number."""
        return f"{EXPORT_FILE_STEMS[self.kind]}-{self.pk}.{self.format}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, round(100 * self.done_rows / self.total_rows)) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class BulkVerification(models.Model):
    """A list of NIPs checked against one course or program certificate; the answer is kept as it was given."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        "certificates.Program", verbose_name=_("program"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    subject_title = models.CharField(_("judul kursus/program"), max_length=255)
    results = models.JSONField(
        _("hasil"), default=list, help_text=_("Satu baris per NIP, sesuai urutan masukan.")
    )
    counts = models.JSONField(_("ringkasan"), default=dict, help_text=_("Jumlah per status."))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verifikasi massal")
        verbose_name_plural = _("verifikasi massal")
        db_table = "certificates_bulkverification"  # created by certificates 0003; moved by state only (hr 0001)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, program__isnull=True)
                | models.Q(course__isnull=True, program__isnull=False),
                name="bulk_verification_course_xor_program",
            ),
        ]

    def __str__(self):
        return _("Verifikasi massal #%(id)s: %(title)s") % {"id": self.pk, "title": self.subject_title}


class OfficerImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Pratinjau")
    APPLIED = "applied", _("Diimpor")
    REJECTED = "rejected", _("Ditolak")


class OfficerImport(RetainedFileRecord):
    """An uploaded officer file between its preview and its import, and the record of what it did."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    file = models.FileField(_("berkas"), upload_to="hr/imports/%Y/%m/")
    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=OfficerImportStatus.choices, default=OfficerImportStatus.PREVIEWED
    )
    summary = models.JSONField(_("ringkasan"), default=dict, help_text=_("Jumlah baris baru, diperbarui, tetap."))
    applied_at = models.DateTimeField(_("diimpor pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor petugas")
        verbose_name_plural = _("impor petugas")
        db_table = "certificates_officerimport"  # created by certificates 0003; moved by state only (hr 0001)

    def __str__(self):
        return _("Impor petugas: %(name)s") % {"name": self.filename}
