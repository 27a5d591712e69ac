"""What each officer started, completed and answered.

Kept small and denormalised on purpose: `ModuleProgress` carries its course so
"how far is this officer in this course?" is one indexed query, and each
attempt copies its pass mark and the questions it drew so later edits by a
trainer never rewrite an officer's history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("terdaftar pada"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("aktivitas terakhir"), auto_now_add=True)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    renewed_at = models.DateTimeField(
        _("dibuka kembali pada"),
        null=True,
        blank=True,
        help_text=_("Awal siklus baru setelah sertifikat kedaluwarsa; percobaan kuis sebelumnya tetap tersimpan."),
    )

    class Meta:
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_once_per_course")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} → {self.course_id}"


class ModuleProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("modul"), on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="module_progress"
    )
    started_at = models.DateTimeField(_("dibuka pada"), auto_now_add=True)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("kemajuan modul")
        verbose_name_plural = _("kemajuan modul")
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="progress_once_per_module")]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self):
        return f"{self.user} · {self.module_id}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    SUBMITTED = "submitted", _("Dinilai")
    EXPIRED = "expired", _("Waktu habis")


class QuizAttempt(models.Model):
    """One try at a module's quiz: what was drawn, when, and how it went."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("modul"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("percobaan ke"))
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    deadline = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("dikumpulkan"), null=True, blank=True)
    # Snapshot of what was shown: [{"question": id, "choices": [id, ...]}, ...] in display order.
    layout = models.JSONField(_("susunan soal"), default=list)
    pass_mark = models.PositiveSmallIntegerField(_("nilai lulus (%)"))
    score_points = models.PositiveIntegerField(_("skor"), default=0)
    max_points = models.PositiveIntegerField(_("skor maksimum"), default=0)
    score_percent = models.DecimalField(_("nilai (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("lulus"), null=True)

    class Meta:
        verbose_name = _("percobaan kuis")
        verbose_name_plural = _("percobaan kuis")
        ordering = ["module", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=models.Q(status="in_progress"),
                name="attempt_one_open_per_module",
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False),
                name="attempt_finished_has_submitted_at",
            ),
        ]
        indexes = [models.Index(fields=["module", "status"])]

    def __str__(self):
        return f"{self.user} · {self.module_id} #{self.number}"


class AttemptAnswer(models.Model):
    """The answer given to one question of one attempt, graded once."""

    attempt = models.ForeignKey(QuizAttempt, verbose_name=_("percobaan"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "courses.Question", verbose_name=_("soal"), null=True, on_delete=models.SET_NULL, related_name="answers"
    )
    selected_choices = models.ManyToManyField(
        "courses.Choice", verbose_name=_("pilihan"), blank=True, related_name="picked_in"
    )
    is_correct = models.BooleanField(_("benar"))
    points_awarded = models.PositiveSmallIntegerField(_("poin"))
    # Copied so item analysis and reviews survive later edits of the question.
    question_text = models.TextField(_("teks soal"))
    legal_basis = models.ForeignKey(
        "lms.LegalBasis", verbose_name=_("dasar hukum"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    provision = models.CharField(_("pasal"), max_length=100, blank=True)  # the question's provision_note
    provisions = models.ManyToManyField("lms.LegalProvision", verbose_name=_("pasal"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")]
