"""How a certificate looks: one template per agency, overridable per course or program.

The record (`Certificate`) says what was earned; the template says how the PDF
words and dresses it. Editing a template never changes a record, it only marks
the PDFs it governs as outdated so they are rendered again on demand.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

# Placeholders the body text may use, with what each stands for (shown to the editor).
PLACEHOLDERS = {
    "nama": _("nama pemegang"),
    "nip": _("NIP pemegang"),
    "jenis": _("kursus atau program"),
    "moda": _("moda pembelajaran, mis. daring"),
    "jp": _("jumlah jam pelajaran (JP)"),
    "tanggal": _("tanggal terbit"),
    "berlaku_sampai": _("tanggal berlaku sampai"),
    "instansi": _("nama instansi"),
    "nomor_seri": _("nomor seri"),
}
_TOKEN = re.compile(r"\{([^{}]*)\}")

DEFAULT_TITLE = "Sertifikat"
# The sentence is in two parts around the title, which is printed on a line of its own.
DEFAULT_BODY = "telah mengikuti dan menyelesaikan dengan baik {jenis}"
DEFAULT_CLOSING = (
    "yang diselenggarakan oleh {instansi} dalam rangka peningkatan kapasitas "
    "Petugas Imigrasi Pembina Desa (Pimpasa)."
)


def placeholder_help() -> str:
    return ", ".join("{%s}" % name for name in PLACEHOLDERS)


def validate_placeholders(text: str) -> None:
    """Refuse unknown placeholders and stray braces with a message the editor can act on."""
    if "judul" in _TOKEN.findall(text or ""):
        raise ValidationError(
            _("Judul kursus atau program dicetak tersendiri di antara teks isi dan teks penutup; hapus {judul} dari kalimat."),
            code="title_placeholder",
        )
    unknown = sorted({name for name in _TOKEN.findall(text or "") if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Placeholder tidak dikenal: %(unknown)s. Yang tersedia: %(known)s."),
            code="unknown_placeholder",
            params={"unknown": ", ".join("{%s}" % name for name in unknown), "known": placeholder_help()},
        )
    if "{" in _TOKEN.sub("", text or "") or "}" in _TOKEN.sub("", text or ""):
        raise ValidationError(
            _("Kurung kurawal harus berpasangan, mis. {nama}. Periksa tanda { dan } yang berdiri sendiri."),
            code="unbalanced_braces",
        )


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace known placeholders; anything else is left as typed (validation keeps it out)."""
    return _TOKEN.sub(lambda match: values.get(match.group(1), match.group(0)), text)


class CertificateLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class CertificateTemplate(models.Model):
    agency = models.ForeignKey(
        "lms.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="certificate_templates",
        help_text=_("Templat tanpa kursus atau program berlaku untuk semua sertifikat instansi ini."),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("khusus kursus"),
        on_delete=models.CASCADE,
        related_name="certificate_templates",
        null=True,
        blank=True,
        help_text=_("Isi hanya untuk mengganti templat instansi pada satu kursus."),
    )
    program = models.ForeignKey(
        "certificates.Program",
        verbose_name=_("khusus program"),
        on_delete=models.CASCADE,
        related_name="certificate_templates",
        null=True,
        blank=True,
        help_text=_("Isi hanya untuk mengganti templat instansi pada satu program."),
    )
    language = models.CharField(
        _("bahasa"), max_length=2, choices=CertificateLanguage.choices, default=CertificateLanguage.INDONESIAN
    )
    title_text = models.CharField(
        _("judul sertifikat"), max_length=120, default=DEFAULT_TITLE, help_text=_("Mis. Sertifikat Pelatihan.")
    )
    body_text = models.TextField(
        _("teks isi"),
        default=DEFAULT_BODY,
        validators=[validate_placeholders],
        help_text=_(
            "Kalimat setelah data pemegang, sebelum judul kursus atau program (judul dicetak tersendiri). "
            "Placeholder yang tersedia: {nama}, {nip}, {jenis}, {moda}, {jp}, {tanggal}, {berlaku_sampai}, "
            "{instansi}, {nomor_seri}."
        ),
    )
    closing_text = models.TextField(
        _("teks penutup"),
        default=DEFAULT_CLOSING,
        blank=True,
        validators=[validate_placeholders],
        help_text=_("Kalimat setelah judul; placeholder sama dengan teks isi."),
    )
    signatory = models.ForeignKey(
        "certificates.Signatory",
        verbose_name=_("penandatangan"),
        on_delete=models.PROTECT,
        related_name="templates",
        null=True,
        blank=True,
        help_text=_(
            "Dari daftar penandatangan instansi ini; masa jabatannya harus mencakup hari ini. Kosongkan untuk "
            "memakai penandatangan instansi yang sedang menjabat pada tanggal terbit."
        ),
    )
    show_score = models.BooleanField(
        _("cetak nilai akhir"), default=False, help_text=_("Nilai ujian akhir (atau rata-rata kuis) pemegang.")
    )
    show_syllabus = models.BooleanField(
        _("halaman kedua: daftar materi"),
        default=False,
        help_text=_("Halaman kedua berisi modul (atau kursus, untuk program) beserta JP-nya."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lambang"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Lambang di kepala sertifikat; kosongkan untuk memakai logo instansi."),
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar latar"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Dicetak samar di seluruh halaman A4 lanskap."),
    )
    accent_color = models.CharField(
        _("warna aksen"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Tulis warna heksadesimal enam digit, mis. #1d4f91."))],
        help_text=_("Kosongkan untuk memakai warna instansi."),
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    panels = [
        FieldPanel("agency"),
        FieldRowPanel([FieldPanel("course"), FieldPanel("program")]),
        FieldPanel("language"),
        MultiFieldPanel(
            [FieldPanel("title_text"), FieldPanel("body_text"), FieldPanel("closing_text")], heading=_("Teks")
        ),
        FieldPanel("signatory"),
        MultiFieldPanel([FieldPanel("show_score"), FieldPanel("show_syllabus")], heading=_("Isi tambahan")),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("background_image"), FieldPanel("accent_color")], heading=_("Tampilan")
        ),
    ]

    class Meta:
        verbose_name = _("templat sertifikat")
        verbose_name_plural = _("templat sertifikat")
        ordering = ["agency__name", "course", "program"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(program__isnull=True),
                name="certificate_template_course_or_program",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(course__isnull=True, program__isnull=True),
                name="certificate_template_one_default_per_agency",
                violation_error_message=_("Instansi ini sudah punya templat umum; ubah templat itu."),
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(course__isnull=False),
                name="certificate_template_one_per_course",
                violation_error_message=_("Kursus ini sudah punya templat khusus."),
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(program__isnull=False),
                name="certificate_template_one_per_program",
                violation_error_message=_("Program ini sudah punya templat khusus."),
            ),
        ]

    def __str__(self):
        scope = self.course or self.program
        return f"{self.agency} · {scope}" if scope else f"{self.agency} · {_('umum')}"

    def clean(self):
        super().clean()
        if self.course_id and self.program_id:
            raise ValidationError(_("Pilih kursus atau program, tidak keduanya."))
        subject = self.course or self.program
        if subject is not None and subject.agency_id != self.agency_id:
            raise ValidationError(
                {"agency": _("Instansi templat harus sama dengan instansi kursus atau program yang dipilih.")}
            )
        if self.signatory_id:
            self._clean_signatory(timezone.localdate())

    def _clean_signatory(self, today) -> None:
        """The chosen official must belong to the agency and be in office on the day certificates are issued."""
        signatory = self.signatory
        if signatory.agency_id != self.agency_id:
            raise ValidationError({"signatory": _("Pilih penandatangan dari instansi templat ini.")})
        if not signatory.covers(today):
            raise ValidationError(
                {
                    "signatory": _(
                        "Masa jabatan %(name)s (%(period)s) tidak mencakup hari ini, %(today)s, tanggal terbit "
                        "sertifikat baru. Pilih penandatangan yang sedang menjabat, atau perbarui masa jabatannya "
                        "di daftar penandatangan."
                    )
                    % {
                        "name": signatory.name,
                        "period": signatory.appointment_display,
                        "today": date_format(today, "j F Y"),
                    }
                }
            )
