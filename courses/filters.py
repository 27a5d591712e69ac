"""Catalog filters: plain GET parameters, so every filtered view is a shareable URL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.choices import Level
from lms.models import Agency, LegalBasis


class CourseFilter(django_filters.FilterSet):
    """Every filter is declared and the catalog page always passes its courses as the queryset."""

    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Judul atau ringkasan")}),
        max_length=100,
    )
    instansi = django_filters.ModelChoiceFilter(
        label=_("Instansi"),
        field_name="agency",
        to_field_name="code",
        queryset=Agency.objects.all(),
        empty_label=_("Semua instansi"),
    )
    dasar_hukum = django_filters.ModelChoiceFilter(
        label=_("Dasar hukum"),
        field_name="legal_bases",
        to_field_name="code",
        queryset=LegalBasis.objects.all(),
        empty_label=_("Semua dasar hukum"),
        distinct=True,
    )
    tingkat = django_filters.ChoiceFilter(
        label=_("Tingkat"), field_name="level", choices=Level.choices, empty_label=_("Semua tingkat")
    )

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(agency__short_name__icontains=word)
            )
        return queryset

    @property
    def qs(self):
        return super().qs.select_related("agency").prefetch_related("legal_bases")
