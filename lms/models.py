"""Site-wide domain: the home page, agencies, legal bases, and who officers are."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index

from .routing import TypedChildRouteMixin
from .validators import mask_nip, validate_nip


class HomePage(TypedChildRouteMixin, Page):
    """The landing page: what Pimpasa is and where to start."""

    intro = RichTextField(_("pengantar"), blank=True, help_text=_("Teks sambutan di halaman depan."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CourseIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("halaman depan")
        verbose_name_plural = _("halaman depan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = self.child_route_model().objects.live().first()  # the catalog, its only child type
        return context


class Agency(index.Indexed, models.Model):
    """An agency that supplies training material: Imigrasi, BP2MI, Polri."""

    code = models.SlugField(
        _("kode"), max_length=16, unique=True, help_text=_("Kode singkat, mis. IMI, BP2MI, POLRI; dipakai di nomor seri.")
    )
    name = models.CharField(_("nama lengkap"), max_length=200, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=50, help_text=_("Mis. Imigrasi."))
    description = models.TextField(_("deskripsi"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory_name = models.CharField(
        _("nama penandatangan"), max_length=200, blank=True, help_text=_("Penandatangan bawaan sertifikat.")
    )
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=200, blank=True)
    accent_color = models.CharField(
        _("warna aksen"), max_length=7, default="#1d4f91", help_text=_("Warna heksadesimal, mis. #1d4f91.")
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_title"), FieldPanel("accent_color")],
            heading=_("Sertifikat"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("short_name"), index.FilterField("code")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self):
        return self.short_name or self.name


class LegalBasis(index.Indexed, models.Model):
    """A law or regulation that courses cite and quiz questions test."""

    class Kind(models.TextChoices):
        UU = "uu", _("Undang-Undang")
        PERPRES = "perpres", _("Peraturan Presiden")
        PP = "pp", _("Peraturan Pemerintah")
        PERMEN = "permen", _("Peraturan Menteri")
        KUHP = "kuhp", _("KUHP")
        OTHER = "other", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=40, unique=True, help_text=_("Mis. UU-21-2007."))
    short_name = models.CharField(_("nama singkat"), max_length=60, unique=True, help_text=_("Mis. UU 21/2007."))
    title = models.CharField(_("judul lengkap"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.UU)
    number = models.CharField(_("nomor"), max_length=20)
    year = models.PositiveSmallIntegerField(_("tahun"))
    summary = models.TextField(_("ringkasan"), blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("short_name"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("number"),
        FieldPanel("year"),
        FieldPanel("summary"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("short_name")]

    class Meta:
        ordering = ["year", "short_name"]
        verbose_name = _("dasar hukum")
        verbose_name_plural = _("dasar hukum")

    def __str__(self):
        return self.short_name


class LegalProvisionManager(models.Manager):
    """Provisions always come with their legal basis: every label names it ("UU 21/2007 Pasal 2")."""

    def get_queryset(self):
        return super().get_queryset().select_related("legal_basis")


# Who may record a change of the law (reviewers, lms.roles) also sets a provision's place and status.
RECORD_CHANGE_PERMISSION = "lms.add_legalchange"


class LegalProvision(RevisionMixin, index.Indexed, models.Model):
    """One provision (Pasal, ayat, huruf/angka) of a legal basis: its wording where known and whether it is in force.

    Citations in lessons and quiz questions point here, so a change of the law is recorded once and
    found everywhere (README "The law changes")."""

    class Status(models.TextChoices):
        BERLAKU = "berlaku", pgettext_lazy("provision status", "Berlaku")
        DIUBAH = "diubah", pgettext_lazy("provision status", "Diubah")
        DICABUT = "dicabut", pgettext_lazy("provision status", "Dicabut")
        DITINJAU = "perlu_ditinjau", pgettext_lazy("provision status", "Perlu ditinjau")

    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("dasar hukum"), on_delete=models.PROTECT, related_name="provisions"
    )
    pasal = models.CharField(_("pasal"), max_length=20, help_text=_("Nomor pasal saja, mis. 2."))
    ayat = models.CharField(_("ayat"), max_length=20, blank=True, help_text=_("Nomor ayat saja, mis. 1."))
    butir = models.CharField(_("butir"), max_length=40, blank=True, help_text=_("Mis. huruf a atau angka 1."))
    heading = models.CharField(_("judul singkat"), max_length=200, blank=True)
    text = models.TextField(
        _("bunyi pasal"),
        blank=True,
        help_text=_("Bunyi resmi kata demi kata; isi hanya bila teks resminya diketahui. Ringkasan ditulis di pelajaran."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BERLAKU)
    in_force_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    in_force_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    changed_by = models.ForeignKey(
        LegalBasis,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changed_provisions",
        help_text=_("Peraturan yang mengubah atau mencabut pasal ini."),
    )
    changed_by_provision = models.ForeignKey(
        "self",
        verbose_name=_("diubah oleh pasal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    # The number of the pasal, for the natural order ("2" before "10"); set on save.
    pasal_number = models.PositiveIntegerField(editable=False, default=0)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="legal_provision")

    objects = LegalProvisionManager()

    # Trainers edit the wording and heading; where a provision sits and whether it is in force
    # belong to reviewers (who record changes of the law), so those fields need that permission.
    panels = [
        FieldPanel("legal_basis", permission=RECORD_CHANGE_PERMISSION),
        FieldRowPanel(
            [
                FieldPanel("pasal", permission=RECORD_CHANGE_PERMISSION),
                FieldPanel("ayat", permission=RECORD_CHANGE_PERMISSION),
                FieldPanel("butir", permission=RECORD_CHANGE_PERMISSION),
            ]
        ),
        FieldPanel("heading"),
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldPanel("status", permission=RECORD_CHANGE_PERMISSION),
                FieldRowPanel(
                    [
                        FieldPanel("in_force_from", permission=RECORD_CHANGE_PERMISSION),
                        FieldPanel("in_force_until", permission=RECORD_CHANGE_PERMISSION),
                    ]
                ),
                FieldPanel("changed_by", permission=RECORD_CHANGE_PERMISSION),
                FieldPanel("changed_by_provision", permission=RECORD_CHANGE_PERMISSION),
            ],
            heading=_("Keberlakuan"),
        ),
    ]
    search_fields = [
        index.AutocompleteField("heading"),
        index.SearchField("heading"),
        index.SearchField("text"),
        index.SearchField("pasal"),
        index.FilterField("legal_basis"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["legal_basis__year", "legal_basis__short_name", "pasal_number", "pasal", "ayat", "butir"]
        verbose_name = _("pasal")
        verbose_name_plural = _("pasal")
        constraints = [
            models.UniqueConstraint(
                fields=["legal_basis", "pasal", "ayat", "butir"], name="legal_provision_unique_per_basis"
            ),
        ]

    def __str__(self):
        return f"{self.legal_basis} {self.label}"

    def save(self, *args, **kwargs):
        self.pasal_number = pasal_number(self.pasal)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pasal" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pasal_number"}
        super().save(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    @property
    def label(self) -> str:
        return provision_label(self.pasal, self.ayat, self.butir)

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.BERLAKU


def pasal_number(pasal: str) -> int:
    """The leading number of a pasal ("28A" -> 28); 0 when there is none."""
    match = re.match(r"\s*(\d+)", pasal or "")
    return int(match.group(1)) if match else 0


def provision_label(pasal: str, ayat: str = "", butir: str = "") -> str:
    """"Pasal 2 ayat (1) huruf a"; a pasal that is not a number (kept verbatim from old free text) stands alone."""
    if not re.fullmatch(r"\d+[A-Za-z]?", pasal or ""):
        return " ".join(part for part in (pasal, f"ayat ({ayat})" if ayat else "", butir) if part)
    parts = [f"Pasal {pasal}"]
    if ayat:
        parts.append(f"ayat ({ayat})")
    if butir:
        parts.append(butir)
    return " ".join(parts)


class LegalChange(ClusterableModel):
    """An amending instrument as it affects the provisions taught here ("Perubahan peraturan").

    Recording one (a reviewer) applies it: `lms.legal.legal_change_apply`."""

    instrument = models.ForeignKey(
        LegalBasis,
        verbose_name=_("peraturan pengubah"),
        on_delete=models.PROTECT,
        related_name="changes_made",
        help_text=_("Mis. KUHP (UU 1/2023)."),
    )
    in_force_on = models.DateField(_("berlaku sejak"))
    summary = models.TextField(_("ringkasan perubahan"))
    withhold_questions = models.BooleanField(
        _("tahan soal terdampak"),
        default=True,
        help_text=_("Tahan soal terdampak sampai dikonfirmasi pelatih."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    applied_at = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("instrument"), FieldPanel("in_force_on")]),
        FieldPanel("summary"),
        FieldPanel("withhold_questions"),
        InlinePanel("items", heading=_("Pasal yang terdampak"), label=_("Pasal"), min_num=1),
    ]

    class Meta:
        ordering = ["-in_force_on", "-recorded_at"]
        verbose_name = _("perubahan peraturan")
        verbose_name_plural = _("perubahan peraturan")

    def __str__(self):
        return f"{self.instrument} ({self.in_force_on:%d-%m-%Y})"


class LegalChangeItem(Orderable):
    """One provision a change touches, and the status it gets."""

    change = ParentalKey(LegalChange, on_delete=models.CASCADE, related_name="items")
    provision = models.ForeignKey(
        LegalProvision, verbose_name=_("pasal"), on_delete=models.PROTECT, related_name="change_items"
    )
    new_status = models.CharField(
        _("status baru"), max_length=20, choices=LegalProvision.Status.choices, default=LegalProvision.Status.DITINJAU
    )
    replacement = models.ForeignKey(
        LegalProvision,
        verbose_name=_("pasal pengganti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Mis. KUHP Pasal 457."),
    )
    note = models.TextField(_("catatan"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("provision"), FieldPanel("new_status")]),
        FieldPanel("replacement"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("pasal terdampak")
        verbose_name_plural = _("pasal terdampak")
        constraints = [
            models.UniqueConstraint(fields=["change", "provision"], name="legal_change_item_once_per_provision"),
        ]

    def __str__(self):
        return f"{self.provision} → {self.get_new_status_display()}"

    def clean(self):
        if self.replacement_id and self.replacement_id == self.provision_id:
            raise ValidationError({"replacement": _("Pasal pengganti harus pasal lain.")})


class Office(models.Model):
    """A Kantor Imigrasi or Rumah Detensi Imigrasi that officers belong to."""

    class Kind(models.TextChoices):
        KANIM = "kanim", _("Kantor Imigrasi")
        RUDENIM = "rudenim", _("Rumah Detensi Imigrasi")
        OTHER = "other", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.KANIM)
    city = models.CharField(_("kota/kabupaten"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=100, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")

    def __str__(self):
        return self.name


class Village(models.Model):
    """A Desa Binaan Imigrasi: the village an officer guides."""

    name = models.CharField(_("desa/kelurahan"), max_length=100)
    district = models.CharField(_("kecamatan"), max_length=100)
    regency = models.CharField(_("kabupaten/kota"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=100, db_index=True)
    office = models.ForeignKey(
        Office, verbose_name=_("kantor pembina"), on_delete=models.PROTECT, related_name="villages"
    )

    class Meta:
        ordering = ["province", "regency", "name"]
        verbose_name = _("desa binaan")
        verbose_name_plural = _("desa binaan")
        constraints = [
            models.UniqueConstraint(fields=["name", "district", "regency"], name="village_unique_per_district"),
        ]

    def __str__(self):
        return f"{self.name}, {self.regency}"


class OfficerProfile(models.Model):
    """Who an officer is, as HR knows them; one per user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="officer_profile"
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        validators=[validate_nip],
        help_text=_("Nomor Induk Pegawai, 18 angka."),
        error_messages={"unique": _("NIP ini sudah terdaftar untuk petugas lain.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=200, help_text=_("Nama dengan gelar, seperti di SK."))
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="officers", null=True, blank=True
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("desa binaan"),
        on_delete=models.SET_NULL,
        related_name="officers",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nip__regex=r"^[0-9]{18}$"), name="officer_nip_18_digits"
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.nip})"

    @property
    def nip_masked(self) -> str:
        return mask_nip(self.nip)
