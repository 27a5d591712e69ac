"""The filters of the admin's list of refreshers (penyegaran).

Apart from courses/filters.py, which the catalog page imports while the models load: this one
names the models themselves.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from lms.models import Agency, LegalChange
from lms.validators import normalize_nip


class RefresherFilter(django_filters.FilterSet):
    """GET parameters, so a filtered list is a URL to share.

    `agencies` are the agencies the viewer may see (a trainer their own): the agency and course
    choices offer only those, so a value outside them is an error, never a wider list.
    """

    OPEN = "terbuka"
    COMPLETED = "selesai"

    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nama atau NIP")}),
        max_length=100,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[(OPEN, _("Belum selesai")), (COMPLETED, _("Selesai"))],
        empty_label=_("Semua status"),
    )
    instansi = django_filters.ModelChoiceFilter(
        label=_("Instansi"),
        field_name="course__agency",
        to_field_name="code",
        queryset=Agency.objects.none(),
        empty_label=_("Semua instansi"),
    )
    perubahan = django_filters.ModelChoiceFilter(
        label=_("Perubahan peraturan"),
        field_name="change",
        queryset=LegalChange.objects.none(),
        empty_label=_("Semua perubahan"),
    )
    kursus = django_filters.ModelChoiceFilter(
        label=_("Kursus"),
        field_name="course",
        queryset=CoursePage.objects.none(),
        empty_label=_("Semua kursus"),
    )

    def __init__(self, data=None, queryset=None, *, agencies, **kwargs):
        super().__init__(data, queryset, **kwargs)
        agency_ids = [agency.pk for agency in agencies]
        self.filters["instansi"].queryset = Agency.objects.filter(pk__in=agency_ids).order_by("short_name")
        self.filters["perubahan"].queryset = LegalChange.objects.filter(applied_at__isnull=False).select_related(
            "instrument"
        )
        self.filters["kursus"].queryset = CoursePage.objects.filter(agency_id__in=agency_ids).order_by("title")

    def filter_text(self, queryset, name, value):
        condition = Q()
        for word in value.split()[:8]:
            condition &= (
                Q(user__officer_profile__full_name__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        nip = normalize_nip(value)
        if nip.isdigit():  # "19850312 201001 1 001" finds the NIP as stored
            condition |= Q(user__officer_profile__nip__contains=nip)
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        return queryset.filter(completed_at__isnull=value == self.OPEN)
