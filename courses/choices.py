"""The choices of the course and module pages, apart from the page classes so that
filters, policies and selectors can name them without loading the pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BASIC = "dasar", _("Dasar")
    INTERMEDIATE = "menengah", _("Menengah")
    ADVANCED = "lanjutan", _("Lanjutan")


class QuestionOrder(models.TextChoices):
    FIXED = "fixed", _("Tetap (urutan penyusun)")
    SHUFFLED = "shuffled", _("Diacak (soal dan pilihan)")


class ReviewPolicy(models.TextChoices):
    RESULT_ONLY = "result_only", _("Hanya benar/salah dan penjelasan")
    ALWAYS = "always", _("Selalu tampilkan jawaban benar")
    AFTER_PASS_OR_LAST = "after_pass_or_last", _("Tampilkan jawaban benar setelah lulus atau kesempatan habis")
