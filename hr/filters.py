"""The registry's filters: every one a GET parameter, so a filtered view is a URL HR can share."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import CertificateStatus
from hr.selectors import jp_ledger_years, registry_options, subject_choices, subject_from_value
from lms.models import Agency, Office
from lms.validators import normalize_nip
from lms.widgets import DateInput, Select, TextInput

EXPIRING = {"expiring30": 30, "expiring60": 60, "expiring90": 90}
STATUS_CHOICES = [
    (CertificateStatus.VALID.value, _("Berlaku")),
    (CertificateStatus.EXPIRED.value, _("Kedaluwarsa")),
    (CertificateStatus.REVOKED.value, _("Dicabut")),
    ("expiring30", _("Berakhir dalam 30 hari")),
    ("expiring60", _("Berakhir dalam 60 hari")),
    ("expiring90", _("Berakhir dalam 90 hari")),
]


# A value the filter does not know is named on the page (the form's error summary says
# "Instansi: “XYZ” tidak dikenal."), never dropped quietly: the view then lists nothing.
UNKNOWN = _("“%(value)s” tidak dikenal.")

# The default order (no `urutan`): newest issue first, see RegistryFilter.qs.
ORDER_CHOICES = [
    ("-terbit", _("Tanggal terbit (terbaru dulu)")),
    ("terbit", _("Tanggal terbit (terlama dulu)")),
    ("nama", _("Nama (A–Z)")),
    ("-nama", _("Nama (Z–A)")),
    ("kedaluwarsa", _("Berlaku sampai (paling cepat berakhir dulu)")),
    ("-kedaluwarsa", _("Berlaku sampai (paling lama berlaku dulu)")),
]


class AgencyField(django_filters.fields.ModelChoiceField):
    """An agency by its code, as the catalog names it (`instansi=BP2MI`), in any letter case.
    Links made when the registry used ids (`instansi=2`) still find theirs; the registry
    page then redirects them to the code (RegistryFilter.canonical_query)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        condition = Q(code__iexact=value)
        if value.isascii() and value.isdigit() and len(value) <= 9:
            condition |= Q(pk=int(value))
        # The code as written first, then the code in other letters, then an id.
        found = sorted(
            self.queryset.filter(condition),
            key=lambda agency: (agency.code != value, agency.code.lower() != value.lower()),
        )
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found[0]


class AgencyFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyField


def agency_filter() -> AgencyFilter:
    """HR's "Instansi" filter of certificates: the certificate's agency, by its code."""
    return AgencyFilter(
        label=_("Instansi"),
        field_name="agency",
        queryset=Agency.objects.all(),
        empty_label=_("Semua instansi"),
        widget=Select,
        error_messages={"invalid_choice": UNKNOWN},
    )


def office_filter() -> django_filters.ModelChoiceFilter:
    """HR's "Kantor" filter of certificates: the holder's office."""
    return django_filters.ModelChoiceFilter(
        label=_("Kantor"),
        field_name="holder__officer_profile__office",
        queryset=Office.objects.all(),
        empty_label=_("Semua kantor"),
        widget=Select,
        error_messages={"invalid_choice": UNKNOWN},
    )


def offer_agencies_and_offices(fields, options: dict[str, list]) -> None:
    """The <option>s of the `instansi` and `kantor` fields from the cached registry_options(), not a
    query each; the fields stay model choices, so a chosen one is still looked up and validated."""
    for name, key in (("instansi", "agencies"), ("kantor", "offices")):
        fields[name].widget.choices = [("", fields[name].empty_label), *options[key]]


class SubjectFilter(django_filters.ChoiceFilter):
    """One <select> for a course or a program, grouped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        subject = subject_from_value(value)
        return qs.filter(subject.q()) if subject is not None else qs.none()


class RegistryFilter(django_filters.FilterSet):
    # Widgets from lms.widgets: the same markup as Django's, without a template per <option>.
    q = django_filters.CharFilter(label=_("Cari nama, NIP, atau nomor seri"), method="search", widget=TextInput)
    instansi = agency_filter()
    # The choices of subjek, provinsi, instansi and kantor: see _offer.
    subjek = SubjectFilter(
        label=_("Kursus atau program"),
        empty_label=_("Semua kursus dan program"),
        error_messages={"invalid_choice": UNKNOWN},
    )
    kantor = office_filter()
    provinsi = django_filters.ChoiceFilter(
        label=_("Provinsi"),
        field_name="holder__officer_profile__office__province",
        empty_label=_("Semua provinsi"),
        widget=Select,
        error_messages={"invalid_choice": UNKNOWN},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("Semua status"),
        widget=Select,
        error_messages={"invalid_choice": UNKNOWN},
    )
    terbit_dari = django_filters.DateFilter(
        label=_("Terbit sejak"), field_name="issued_on", lookup_expr="gte", widget=DateInput
    )
    terbit_sampai = django_filters.DateFilter(
        label=_("Terbit sampai"), field_name="issued_on", lookup_expr="lte", widget=DateInput
    )
    urutan = django_filters.OrderingFilter(
        label=_("Urutkan"),
        fields=(("holder_name", "nama"), ("issued_on", "terbit"), ("expires_on", "kedaluwarsa")),
        choices=ORDER_CHOICES,
        empty_label=_("Bawaan (terbaru dulu)"),
        widget=Select,
        error_messages={"invalid_choice": UNKNOWN},
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)
        self._offer(registry_options())

    def _offer(self, options: dict[str, list]) -> None:
        """Every option list from one cached read (selectors.registry_options), not a query each.

        Set on the form's own fields, after the form has deep-copied its fields
        (copying a few hundred choices costs more than building them). Agency and
        office stay model choices: a chosen one is looked up and validated as
        before; only the <option>s their widgets list come from the cache.
        """
        fields = self.form.fields
        fields["subjek"].choices = subject_choices(options)
        fields["provinsi"].choices = [(province, province) for province in options["provinces"]]
        offer_agencies_and_offices(fields, options)

    def canonical_query(self) -> QueryDict | None:
        """This query as the registry writes it, when it was written otherwise: an agency named
        by its old id (`instansi=2`) or in other letters (`bp2mi`) becomes its code. None
        when there is nothing to rewrite. Costs no query (the form has found the agency)."""
        if not self.is_bound or "instansi" in self.errors:
            return None
        agency = self.form.cleaned_data.get("instansi")
        if agency is None or self.data.get("instansi") == agency.code:
            return None
        query = self.data.copy()
        query["instansi"] = agency.code
        return query

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(holder_name__icontains=value) | Q(serial__icontains=value)
        digits = normalize_nip(value)
        if digits.isascii() and digits.isdigit():
            condition |= Q(holder_nip__contains=digits)
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        # The queryset's own conditions, not the annotated CASE: PostgreSQL can estimate
        # and index plain column tests, which makes it walk an index instead of sorting all rows.
        if value in EXPIRING:
            return queryset.expiring_within(EXPIRING[value], self.today)
        if value == CertificateStatus.VALID:
            return queryset.valid(self.today)
        if value == CertificateStatus.EXPIRED:
            return queryset.expired(self.today)
        return queryset.revoked()

    @property
    def qs(self):
        # A stable order under any sort, so pages never repeat or skip rows. The tie-breaker
        # runs the same way as the first term, so "newest first" is (issued_on, id) read
        # backwards: one index (see Certificate.Meta.indexes) serves it without a sort.
        queryset = super().qs
        ordering = list(queryset.query.order_by) or ["-issued_on", "holder_name"]
        tie_breaker = "-pk" if str(ordering[0]).startswith("-") else "pk"
        return queryset.order_by(*ordering, tie_breaker)


class LegalImpactFilter(django_filters.FilterSet):
    """The holders a change in the law touched, by the certificate's agency and the holder's office."""

    instansi = agency_filter()
    kantor = office_filter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_agencies_and_offices(self.form.fields, registry_options())


# --- The JP ledger (/hr/jp/) ------------------------------------------------------------
ACHIEVEMENT_BELOW = "kurang"
ACHIEVEMENT_REACHED = "tercapai"
ACHIEVEMENT_CHOICES = [
    ("", _("Semua petugas")),
    (ACHIEVEMENT_BELOW, _("Di bawah target")),
    (ACHIEVEMENT_REACHED, _("Target tercapai")),
]
LEDGER_ORDER_CHOICES = [
    ("", _("Nama (A–Z)")),
    ("jp", _("JP (terendah dulu)")),
    ("-jp", _("JP (tertinggi dulu)")),
]


class JpLedgerForm(forms.Form):
    """The ledger's filters as GET parameters (tahun, instansi, kantor, provinsi, capaian, urutan), so a
    filtered ledger is a URL HR can share; `ledger_arguments()` turns them into `jp_ledger()`'s."""

    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, widget=Select,
                                   error_messages={"invalid_choice": UNKNOWN})
    instansi = AgencyField(
        label=_("Instansi penyelenggara"), queryset=Agency.objects.all(), required=False,
        empty_label=_("Semua instansi"), widget=Select, error_messages={"invalid_choice": UNKNOWN},
        help_text=_("Hanya JP dari kursus instansi ini."),
    )
    kantor = forms.ModelChoiceField(
        label=_("Kantor"), queryset=Office.objects.all(), required=False, empty_label=_("Semua kantor"),
        widget=Select, error_messages={"invalid_choice": UNKNOWN},
    )
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False, widget=Select,
                                 error_messages={"invalid_choice": UNKNOWN})
    capaian = forms.ChoiceField(label=_("Capaian"), choices=ACHIEVEMENT_CHOICES, required=False, widget=Select,
                                error_messages={"invalid_choice": UNKNOWN})
    urutan = forms.ChoiceField(label=_("Urutkan"), choices=LEDGER_ORDER_CHOICES, required=False, widget=Select,
                               error_messages={"invalid_choice": UNKNOWN})

    def __init__(self, data=None, *, today: datetime.date | None = None):
        today = today or timezone.localdate()
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("tahun", str(today.year))  # no year asked: this (Jakarta) year
        super().__init__(data)
        options = registry_options()
        fields = self.fields
        fields["tahun"].choices = [(str(year), str(year)) for year in jp_ledger_years(today=today)]
        fields["provinsi"].choices = [("", _("Semua provinsi"))] + [(p, p) for p in options["provinces"]]
        offer_agencies_and_offices(fields, options)

    def ledger_arguments(self) -> dict:
        """Keyword arguments for hr.selectors.jp_ledger / siasn_queryset (call after is_valid())."""
        data = self.cleaned_data
        achievement = data.get("capaian")
        return {
            "year": data["tahun"],
            "agency": data.get("instansi"),
            "office": data.get("kantor"),
            "province": data.get("provinsi") or None,
            "below_target": {ACHIEVEMENT_BELOW: True, ACHIEVEMENT_REACHED: False}.get(achievement),
        }

    def order(self) -> list[str]:
        return {"jp": ["jp_earned", "full_name", "nip"], "-jp": ["-jp_earned", "full_name", "nip"]}.get(
            self.cleaned_data.get("urutan") or "", ["full_name", "nip"]
        )
