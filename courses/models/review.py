"""What a recorded change in the law asks of the content it touches.

When a reviewer records a change (lms.LegalChange), every module whose lesson cites
or whose questions are tagged with a changed provision gets a `ContentReview` for
its agency's trainers, and, if the change says so, each tagged question a
`QuestionHold` that keeps it out of new quiz attempts until a trainer confirms it.
Both are opened by `courses.services.legal_review_open` and closed only by a
trainer's decision with a comment; the rows stay as the record of who decided what.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContentReview(models.Model):
    """A module to be checked against one change in the law: "Perlu ditinjau"."""

    class Status(models.TextChoices):
        OPEN = "open", _("Perlu ditinjau")
        CLEARED = "cleared", _("Selesai ditinjau")

    class Resolution(models.TextChoices):
        CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
        UPDATED = "diperbarui", _("Diperbarui")

    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("modul"), on_delete=models.CASCADE, related_name="content_reviews"
    )
    # The module's course, kept on the row: trainers see their agency's reviews in one query.
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="content_reviews"
    )
    change = models.ForeignKey(
        "lms.LegalChange", verbose_name=_("perubahan peraturan"), on_delete=models.PROTECT,
        related_name="content_reviews",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("hasil tinjauan"), max_length=20, choices=Resolution.choices, blank=True)
    comment = models.TextField(_("komentar"), blank=True)
    opened_at = models.DateTimeField(_("dibuka pada"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditinjau oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    cleared_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tinjauan materi")
        verbose_name_plural = _("tinjauan materi")
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["module", "change"], name="content_review_once_per_change"),
            # A review is closed only by a decision, with its reason, by someone, at a time.
            models.CheckConstraint(
                condition=Q(status="open", resolution="", cleared_at__isnull=True)
                | (Q(status="cleared", cleared_at__isnull=False) & ~Q(resolution="") & ~Q(comment="")),
                name="content_review_cleared_with_decision",
            ),
        ]
        indexes = [models.Index(fields=["status", "course"])]

    def __str__(self):
        return f"{self.module_id} / {self.change_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class QuestionHold(models.Model):
    """A question kept out of new quiz attempts because of a change, until a trainer confirms it.

    A question is withheld while it has a hold with no `released_at`.
    """

    question = models.ForeignKey(
        "courses.Question", verbose_name=_("soal"), on_delete=models.CASCADE, related_name="holds"
    )
    change = models.ForeignKey(
        "lms.LegalChange", verbose_name=_("perubahan peraturan"), on_delete=models.PROTECT,
        related_name="question_holds",
    )
    created_at = models.DateTimeField(_("ditahan pada"), auto_now_add=True)
    released_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dikonfirmasi oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    comment = models.TextField(_("komentar"), blank=True)

    class Meta:
        verbose_name = _("soal ditahan")
        verbose_name_plural = _("soal ditahan")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "change"], name="question_hold_once_per_change"),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | ~Q(comment=""), name="question_hold_released_with_comment"
            ),
        ]
        indexes = [models.Index(fields=["question"], condition=Q(released_at__isnull=True), name="question_hold_active")]

    def __str__(self):
        return f"{self.question_id} / {self.change_id}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None
