"""The Python-rendered widgets write exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from lms import widgets

CHOICES = [
    ("", "Semua kantor"),
    (1, "Kantor Imigrasi Bandung"),
    ("2", 'Kantor "Medan" & <Sekitarnya>'),
    (None, "Tanpa nilai"),
    (gettext_lazy("Program"), [("p1", "Program Dasar"), ("p2", mark_safe("<b>Lanjut</b>"))]),
    ("", [("x", "Kelompok tanpa nama")]),
    ("c3", gettext_lazy("Kursus")),
]


@pytest.mark.parametrize("value", [None, "", "1", 1, "2", "p2", "x", "nothing", ["1", "p1"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_kantor"}, {"id": "id_k", "aria-invalid": "true", "required": True, "disabled": False}])
@pytest.mark.parametrize("multiple", [False, True])
def test_select_matches_django(value, attrs, multiple):
    django_class, ours_class = (forms.SelectMultiple, type("SelectMultiple", (widgets.Select,), {"allow_multiple_selected": True})) if multiple else (forms.Select, widgets.Select)
    django_widget = django_class(choices=CHOICES, attrs={"class": "wide"})
    ours = ours_class(choices=CHOICES, attrs={"class": "wide"})
    assert ours.render("kantor", value, attrs) == django_widget.render("kantor", value, attrs)


def test_select_of_a_bound_form_field_matches_django():
    class Django(forms.Form):
        kantor = forms.ChoiceField(choices=CHOICES[:3], help_text="Bantuan", required=False)

    class Ours(Django):
        kantor = forms.ChoiceField(choices=CHOICES[:3], help_text="Bantuan", required=False, widget=widgets.Select)

    for data in ({"kantor": "2"}, {"kantor": "bogus"}, {}):
        assert str(Ours(data)["kantor"]) == str(Django(data)["kantor"])


@pytest.mark.parametrize("value", [None, "", "Budi & <Siti>", "2026-01-31", datetime.date(2026, 1, 31), 42])
@pytest.mark.parametrize("django_class, ours_class", [(forms.TextInput, widgets.TextInput), (forms.DateInput, widgets.DateInput)])
def test_inputs_match_django(value, django_class, ours_class):
    django_widget = django_class(attrs={"placeholder": 'kata "kunci"'})
    if ours_class is widgets.DateInput:
        django_widget.input_type = "date"
    ours = ours_class(attrs={"placeholder": 'kata "kunci"'})
    for attrs in (None, {"id": "id_q", "required": True, "autofocus": False}):
        assert ours.render("q", value, attrs) == django_widget.render("q", value, attrs)
