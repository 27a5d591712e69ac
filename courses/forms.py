"""The quiz form an officer fills in.

Field names and values are positions ("q1" = first question shown, "2" = its
third choice), never database ids: the served HTML carries nothing that differs
between a correct and a wrong choice, and a value can only ever point inside
the question it belongs to.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models.quiz import QuestionKind


class QuizSubmissionForm(forms.Form):
    def __init__(self, shown, *args, **kwargs):
        """`shown` is `courses.selectors.attempt_questions(attempt)`: [(question, [choices])]."""
        super().__init__(*args, **kwargs)
        self.shown = shown
        for number, (question, choices) in enumerate(shown, start=1):
            options = [(str(index), choice.text) for index, choice in enumerate(choices)]
            messages = {
                "required": _("Soal nomor %(number)d belum dijawab.") % {"number": number},
                "invalid_choice": _("Pilihan untuk soal nomor %(number)d tidak valid.") % {"number": number},
                "invalid_list": _("Pilihan untuk soal nomor %(number)d tidak valid.") % {"number": number},
            }
            if question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, error_messages=messages
                )
            else:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, error_messages=messages)
            field.label = question.text
            field.number = number
            field.question = question
            self.fields[f"q{number}"] = field

    def answers(self) -> dict[int, frozenset[int]]:
        """Map the cleaned positional answers back to question id → choice ids."""
        result = {}
        for number, (question, choices) in enumerate(self.shown, start=1):
            value = self.cleaned_data.get(f"q{number}")
            positions = value if isinstance(value, list) else [value] if value not in (None, "") else []
            result[question.pk] = frozenset(choices[int(position)].pk for position in positions)
        return result
