"""Quiz questions and choices, authored inline on a module's edit page."""

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Pilihan tunggal")
    MULTIPLE = "multiple", _("Pilihan ganda kompleks (semua jawaban benar harus dipilih)")
    TRUE_FALSE = "true_false", _("Benar/Salah")


class Question(ClusterableModel, Orderable):
    """A question of a module's quiz, tagged with the legal provision it tests."""

    page = ParentalKey("courses.ModulePage", on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("pertanyaan"))
    kind = models.CharField(_("jenis soal"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    points = models.PositiveSmallIntegerField(_("bobot"), default=1, validators=[MinValueValidator(1)])
    explanation = models.TextField(_("penjelasan"), blank=True, help_text=_("Ditampilkan setelah kuis dikumpulkan."))
    legal_basis = models.ForeignKey(
        "lms.LegalBasis",
        verbose_name=_("dasar hukum yang diuji"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text=_("Bila soal menguji peraturan secara umum, bukan pasal tertentu."),
    )
    provisions = ParentalManyToManyField(
        "lms.LegalProvision",
        verbose_name=_("pasal yang diuji"),
        blank=True,
        related_name="questions",
        help_text=_("Satu atau beberapa pasal; perubahan peraturan pada pasal ini menandai soal untuk ditinjau."),
    )
    # Old free-text tags that are not a reference to a pasal ("Pasal 43–51", "Bab VI") are kept here,
    # word for word, by the migration that moved the tags to `provisions` (courses 0006).
    provision_note = models.CharField(
        _("rujukan lain"),
        max_length=100,
        blank=True,
        help_text=_("Rujukan yang bukan satu pasal, mis. Pasal 43–51; pilih pasalnya di atas bila ada."),
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("provisions", widget=forms.SelectMultiple(attrs={"size": 8})),
        FieldRowPanel([FieldPanel("legal_basis"), FieldPanel("provision_note")]),
        FieldPanel("explanation"),
        InlinePanel("choices", heading=_("Pilihan jawaban"), label=_("Pilihan"), min_num=2),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("soal")
        verbose_name_plural = _("soal")

    def __str__(self):
        return self.text[:80]

    @property
    def provision_label(self) -> str:
        """What the question tests, as officers and trainers read it: "UU 21/2007 Pasal 2 ayat (1); ...".

        Reads `provisions` (prefetch them, with their legal basis, when listing questions)."""
        return question_provision_label(
            self.provisions.all(), legal_basis=self.legal_basis if self.legal_basis_id else None, note=self.provision_note
        )


def question_provision_label(provisions, *, legal_basis=None, note="") -> str:
    parts = [str(provision) for provision in provisions]
    if note or (legal_basis is not None and not parts):
        parts.append(" ".join(str(part) for part in (legal_basis or "", note) if part))
    return "; ".join(part for part in parts if part)


class Choice(Orderable):
    """One answer option. Whether it is correct never leaves the server before grading."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("teks pilihan"), max_length=500)
    is_correct = models.BooleanField(_("jawaban benar"), default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")])]

    class Meta(Orderable.Meta):
        verbose_name = _("pilihan")
        verbose_name_plural = _("pilihan")

    def __str__(self):
        return self.text
