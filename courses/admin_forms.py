"""Validation a trainer sees when saving a module with a quiz in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.admin.forms import WagtailAdminPageForm

from courses.models.quiz import QuestionKind
from courses.models.review import ContentReview


def _kept(forms):
    """Child forms that will be saved: filled in and not marked for deletion."""
    for form in forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data and not data.get("DELETE") and (form.has_changed() or form.instance.pk):
            yield form, data


class ModulePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        questions = self.formsets.get("questions")
        kept_questions = 0
        if questions is not None:
            # The page form is cleaned before its formsets: validate them now to read their data.
            questions.is_valid()
            for question_form, data in _kept(questions.forms):
                kept_questions += 1
                choices_formset = question_form.formsets["choices"]
                choices_formset.is_valid()
                choices = [choice for _form, choice in _kept(choices_formset.forms)]
                self._check_choices(question_form, data.get("kind"), choices)
        draw = cleaned.get("quiz_draw_count") or 0
        if draw and draw > kept_questions:
            self.add_error(
                "quiz_draw_count",
                _("Bank soal hanya berisi %(count)d soal; tidak bisa menarik %(draw)d soal.")
                % {"count": kept_questions, "draw": draw},
            )
        if cleaned.get("is_final_exam") and not kept_questions:
            self.add_error("is_final_exam", _("Ujian akhir harus memiliki setidaknya satu soal."))
        return cleaned

    @staticmethod
    def _check_choices(question_form, kind, choices):
        correct = sum(1 for choice in choices if choice.get("is_correct"))
        if len(choices) < 2:
            question_form.add_error("kind", _("Soal harus memiliki setidaknya dua pilihan jawaban."))
        elif correct == 0:
            question_form.add_error("kind", _("Soal ini belum memiliki jawaban benar. Centang satu pilihan yang benar."))
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct > 1:
            question_form.add_error(
                "kind",
                _("Soal pilihan tunggal hanya boleh memiliki satu jawaban benar (saat ini %(count)d).")
                % {"count": correct},
            )
        if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
            question_form.add_error("kind", _("Soal Benar/Salah harus memiliki tepat dua pilihan."))


class ReviewClearForm(forms.Form):
    """A trainer's decision on a module under review ("Perlu ditinjau"), with the reason."""

    resolution = forms.ChoiceField(
        label=_lazy("Hasil tinjauan"),
        choices=ContentReview.Resolution.choices,
        widget=forms.RadioSelect,
        help_text=_lazy("“Diperbarui” hanya bila modul sudah punya revisi baru sejak tinjauan dibuka."),
    )
    comment = forms.CharField(
        label=_lazy("Komentar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Apa yang Anda periksa, dan mengapa materinya sudah sesuai dengan peraturan yang berlaku."),
    )


class HoldReleaseForm(forms.Form):
    """"Konfirmasi soal": the question is still right under the changed law."""

    comment = forms.CharField(
        label=_lazy("Komentar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Mengapa soal ini tetap benar, atau apa yang sudah diperbaiki."),
    )
