"""Bundles: the certificates of a course (optionally of one office or village) in one file for printing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.models.files import RetainedFileRecord


class BundleFormat(models.TextChoices):
    ZIP = "zip", _("ZIP (satu PDF per sertifikat)")
    PDF = "pdf", _("Satu PDF gabungan untuk dicetak")


class BundleStatus(models.TextChoices):
    PENDING = "pending", _("Sedang disiapkan")
    READY = "ready", _("Siap diunduh")
    FAILED = "failed", _("Gagal")


class CertificateBundle(RetainedFileRecord):
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="certificate_bundles"
    )
    office = models.ForeignKey(
        "lms.Office", verbose_name=_("kantor"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    village = models.ForeignKey(
        "lms.Village", verbose_name=_("desa binaan"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=3, choices=BundleFormat.choices, default=BundleFormat.ZIP)
    status = models.CharField(_("status"), max_length=8, choices=BundleStatus.choices, default=BundleStatus.PENDING)
    certificate_count = models.PositiveIntegerField(_("jumlah sertifikat"), default=0)
    file = models.FileField(_("berkas"), upload_to="certificate-bundles/%Y/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bundel sertifikat")
        verbose_name_plural = _("bundel sertifikat")

    def __str__(self):
        return f"{self.course_id} · {self.format} · {self.created_at:%Y-%m-%d %H:%M}"
