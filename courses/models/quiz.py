"""Quiz questions and choices, authored inline on a module's edit page."""

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
    )
    provision = models.CharField(
        _("pasal yang diuji"), max_length=100, blank=True, help_text=_("Mis. Pasal 2 ayat (1).")
    )
    provisions = ParentalManyToManyField(
        "lms.LegalProvision", verbose_name=_("pasal yang diuji"), blank=True, related_name="questions"
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("points")]),
        FieldRowPanel([FieldPanel("legal_basis"), FieldPanel("provision")]),
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
        if not self.legal_basis_id:
            return ""
        return f"{self.legal_basis} {self.provision}".strip()


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
