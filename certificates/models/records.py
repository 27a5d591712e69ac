"""What an officer earned: programs (learning paths) and certificate records.

A certificate is a record, not a file: the holder's name and NIP, the title,
agency, legal basis and hours are copied at issue so that later edits to a
profile or a course never change what was certified. The PDF is rendered
from this record and can be rendered again at any time. Records are never
deleted; HR revokes them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from certificates import signing


class Program(index.Indexed, ClusterableModel):
    """A learning path: an ordered set of required courses with its own certificate."""

    code = models.SlugField(
        _("kode"),
        max_length=16,
        unique=True,
        help_text=_("Kode singkat, mis. PDP; hanya untuk identifikasi internal."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("judul"), max_length=255)
    description = models.TextField(_("deskripsi"), blank=True)
    agency = models.ForeignKey(
        "lms.Agency",
        verbose_name=_("instansi penerbit"),
        on_delete=models.PROTECT,
        related_name="programs",
        help_text=_("Instansi yang menerbitkan sertifikat program; nomor serinya mengikuti instansi ini."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila sertifikat program tidak kedaluwarsa."),
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("code")]),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("agency"), FieldPanel("validity_months")]),
        MultiFieldPanel([InlinePanel("program_courses", min_num=1, label=_("Kursus"))], heading=_("Kursus wajib")),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("code")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self):
        return self.title

    def courses(self):
        """The program's course pages in the program's order (a queryset: the model is the one the links name)."""
        CoursePage = ProgramCourse._meta.get_field("course").related_model
        return CoursePage.objects.filter(program_links__program=self).order_by("program_links__sort_order")

    @property
    def lesson_hours(self) -> int:
        return sum(course.lesson_hours or 0 for course in self.courses())


class ProgramCourse(Orderable):
    program = ParentalKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="program_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, related_name="program_links"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("kursus program")
        verbose_name_plural = _("kursus program")
        constraints = [models.UniqueConstraint(fields=["program", "course"], name="program_course_once")]


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Berlaku")
    EXPIRED = "expired", _("Kedaluwarsa")
    REVOKED = "revoked", _("Dicabut")


class RevocationReason(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", _("Diterbitkan karena kesalahan")
    MISCONDUCT = "misconduct", _("Pelanggaran integritas (mis. kecurangan kuis)")
    DATA_CORRECTION = "data_correction", _("Koreksi data pemegang")
    SUPERSEDED = "superseded", _("Digantikan sertifikat baru")
    OTHER = "other", _("Lainnya")


class TrainingMode(models.TextChoices):
    """How the training was held, as a civil-service training record names it."""

    ONLINE = "daring", _("Daring")
    CLASSROOM = "klasikal", _("Klasikal")
    BLENDED = "blended", _("Blended (daring dan klasikal)")


class CertificateQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date | None = None):
        """Annotate `status_code` so status can be filtered, ordered and counted in SQL."""
        today = today or timezone.localdate()
        return self.annotate(
            status_code=Case(
                When(revoked_at__isnull=False, then=Value(CertificateStatus.REVOKED.value)),
                When(expires_on__lt=today, then=Value(CertificateStatus.EXPIRED.value)),
                default=Value(CertificateStatus.VALID.value),
                output_field=models.CharField(),
            )
        )

    def valid(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today), revoked_at__isnull=True)

    def expired(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(expires_on__lt=today, revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def expiring_within(self, days: int, today: datetime.date | None = None):
        """Valid today and expiring within the next `days` days (inclusive)."""
        today = today or timezone.localdate()
        return self.valid(today).filter(expires_on__lte=today + datetime.timedelta(days=days))


class SerialCounter(models.Model):
    """The last serial number used per agency and year; its row lock makes serials gapless and unique."""

    agency = models.ForeignKey("lms.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    last_number = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penghitung nomor seri")
        verbose_name_plural = _("penghitung nomor seri")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="serial_counter_once_per_year")]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last_number}"


class Certificate(models.Model):
    """An immutable record of a completed course or program. Never deleted; revoked instead."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemegang"), on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("kursus"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    cycle = models.PositiveSmallIntegerField(
        _("siklus"), default=1, help_text=_("1 untuk sertifikat pertama; bertambah setiap perpanjangan.")
    )
    agency = models.ForeignKey(
        "lms.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="certificates"
    )

    # Snapshots taken at issue.
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    holder_nip = models.CharField(_("NIP pemegang"), max_length=18, blank=True)
    holder_rank = models.CharField(_("pangkat/golongan pemegang"), max_length=100, blank=True)
    holder_position = models.CharField(_("jabatan pemegang"), max_length=200, blank=True)
    holder_unit = models.CharField(_("unit kerja pemegang"), max_length=200, blank=True)
    title = models.CharField(_("judul"), max_length=500)
    agency_name = models.CharField(_("nama instansi"), max_length=200)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    lesson_hours = models.PositiveSmallIntegerField(_("jam pelajaran (JP)"), default=0)
    period_start = models.DateField(
        _("tanggal mulai"), null=True, blank=True, help_text=_("Awal masa belajar; kosong pada sertifikat lama yang tidak diketahui.")
    )
    period_end = models.DateField(_("tanggal selesai"), null=True, blank=True)
    training_mode = models.CharField(
        _("moda pembelajaran"), max_length=10, choices=TrainingMode.choices, default=TrainingMode.ONLINE
    )
    score = models.DecimalField(_("nilai akhir"), max_digits=5, decimal_places=2, null=True, blank=True)

    signatory = models.ForeignKey(
        "certificates.Signatory",
        verbose_name=_("penandatangan"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
        help_text=_("Pejabat yang menandatangani pada tanggal terbit; tetap walau jabatannya berganti."),
    )
    syllabus = models.JSONField(
        _("daftar materi"),
        default=list,
        blank=True,
        help_text=_("Modul (atau kursus, untuk program) dan JP-nya saat terbit: [[judul, JP], ...]."),
    )

    issued_on = models.DateField(_("tanggal terbit"))
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    serial = models.CharField(_("nomor seri"), max_length=40, unique=True)
    serial_year = models.PositiveSmallIntegerField(_("tahun nomor seri"))
    serial_number = models.PositiveIntegerField(_("urutan nomor seri"))
    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)

    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revocation_reason = models.CharField(
        _("alasan pencabutan"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("catatan pencabutan"), blank=True)

    pdf = models.FileField(_("berkas PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("dirender pada"), null=True, blank=True)
    pdf_outdated = models.BooleanField(
        _("PDF perlu dirender ulang"),
        default=False,
        help_text=_("Templatnya berubah sejak PDF dirender; PDF baru dibuat saat diminta."),
    )
    pdf_base_url = models.CharField(
        _("alamat dasar pada PDF"),
        max_length=200,
        blank=True,
        help_text=_("PUBLIC_BASE_URL saat PDF dirender; PDF untuk alamat lain dirender ulang saat diminta."),
    )
    # The PAdES signature of the stored PDF (certificates/signing.py), as it was when rendered.
    pdf_signed_at = models.DateTimeField(
        _("PDF ditandatangani pada"), null=True, blank=True, help_text=_("Kosong: PDF tidak ditandatangani.")
    )
    pdf_signer_name = models.CharField(_("penanda tangan PDF"), max_length=200, blank=True)
    pdf_signer_organization = models.CharField(_("organisasi penanda tangan PDF"), max_length=200, blank=True)
    pdf_signer_issuer = models.CharField(_("penerbit sertifikat penanda tangan"), max_length=300, blank=True)
    pdf_signer_serial = models.CharField(_("nomor seri sertifikat penanda tangan"), max_length=64, blank=True)
    pdf_signer_fingerprint = models.CharField(
        _("sidik jari SHA-256 sertifikat penanda tangan"),
        max_length=64,
        blank=True,
        help_text=_("Kunci penanda tangan saat PDF dirender; PDF dengan kunci lain dirender ulang saat diminta."),
    )
    pdf_signer_bsre = models.BooleanField(_("sertifikat BSrE"), default=False)
    # The portable credential (certificates/credentials/): the signed Open Badges 3.0 document as issued,
    # kept byte for byte so that it verifies for as long as its key stays published, and its place in
    # the revocation status list (certificates/credentials/status.py).
    credential = models.JSONField(_("kredensial Open Badges"), null=True, blank=True, editable=False)
    status_list_index = models.PositiveIntegerField(
        _("indeks daftar status"), null=True, blank=True, unique=True, editable=False
    )
    # The render lease: when a render was last asked of the worker (or started there), and its task.
    # A PDF that is missing or outdated with no live lease is asked for again by
    # `manage.py sweep_outdated_pdfs` (certificates.services.certificates_render_sweep).
    render_requested_at = models.DateTimeField(_("render diminta pada"), null=True, blank=True, editable=False)
    render_task_id = models.CharField(_("tugas render"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-serial_number"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, program__isnull=True) | Q(course__isnull=True, program__isnull=False),
                name="certificate_for_course_xor_program",
            ),
            # Exactly one certificate per officer and course (or program) per validity cycle,
            # however many times the completion is processed, concurrently or not.
            models.UniqueConstraint(
                fields=["holder", "course", "cycle"],
                condition=Q(course__isnull=False),
                name="certificate_once_per_course_cycle",
            ),
            models.UniqueConstraint(
                fields=["holder", "program", "cycle"],
                condition=Q(program__isnull=False),
                name="certificate_once_per_program_cycle",
            ),
            models.UniqueConstraint(
                fields=["agency", "serial_year", "serial_number"], name="certificate_serial_sequence"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="certificate_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "issued_on"]),
            # With id: "expires last first" starts with thousands of never-expiring rows that only this orders.
            models.Index(fields=["expires_on", "id"]),
            models.Index(fields=["holder_name"]),
            models.Index(fields=["holder_nip"]),
            # The HR registry, newest first, per agency or for all: read backwards, these give its
            # page without sorting. The validity columns are keys only so that counting a status
            # (the paginator's COUNT) is an index-only scan; after the unique id they never change the order.
            models.Index(fields=["agency", "issued_on", "id", "expires_on", "revoked_at"], name="certificate_registry_agency"),
            models.Index(fields=["issued_on", "id", "expires_on", "revoked_at"], name="certificate_registry_issued"),
            # The sweep's question, "which PDFs are wanted?", reads only the few rows that are.
            models.Index(
                fields=["render_requested_at"], condition=Q(pdf="") | Q(pdf_outdated=True), name="certificate_pdf_wanted"
            ),
        ]

    def __str__(self):
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def status_on(self, today: datetime.date) -> CertificateStatus:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.expires_on is not None and self.expires_on < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> CertificateStatus:
        annotated = getattr(self, "status_code", None)
        if annotated is not None:
            return CertificateStatus(annotated)
        return self.status_on(timezone.localdate())

    @property
    def subject(self):
        """The course page or program this certificate is for."""
        return self.course if self.course_id else self.program

    @property
    def verification_path(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.code})

    @property
    def verification_url(self) -> str:
        """The absolute URL printed on paper and in the QR code; it never changes."""
        return settings.PUBLIC_BASE_URL + self.verification_path

    @property
    def pdf_ready(self) -> bool:
        """A current PDF exists (it may still be re-rendered; the file name is only a promise).

        Current means: not outdated by a template change, rendered for this
        deployment's PUBLIC_BASE_URL, and signed as this deployment signs now. A PDF
        whose QR code and link point at another address (`make run` on another port,
        a corrected base URL) would print dead links, and one signed with another key
        (or unsigned, where signing is now on) would not say what the installation
        stands behind; either is treated as missing and rendered again.
        """
        return (
            bool(self.pdf)
            and not self.pdf_outdated
            and self.pdf_base_url == settings.PUBLIC_BASE_URL
            and self.pdf_signer_fingerprint == signing.configured_fingerprint()
        )

    @property
    def pdf_signed(self) -> bool:
        return bool(self.pdf) and self.pdf_signed_at is not None


class ExpiryReminder(models.Model):
    """One reminder email per certificate and threshold; the constraint makes sending idempotent."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("sertifikat"), on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("hari sebelum kedaluwarsa"))
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat kedaluwarsa")
        verbose_name_plural = _("pengingat kedaluwarsa")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="expiry_reminder_once_per_threshold")
        ]

    def __str__(self):
        return f"{self.certificate_id} · {self.days_before}"
