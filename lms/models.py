"""Site-wide domain: the home page, agencies, legal bases, and who officers are."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .routing import TypedChildRouteMixin
from .serials import DEFAULT_SERIAL_FORMAT, validate_serial_format
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
        help_text=_("Lambang instansi; templat sertifikat dapat memakai lambang lain."),
    )
    serial_format = models.CharField(
        _("format nomor seri"),
        max_length=60,
        default=DEFAULT_SERIAL_FORMAT,
        validators=[validate_serial_format],
        help_text=_(
            "Token: {agency} kode instansi, {year} tahun, {seq} nomor urut enam angka. "
            "Bawaan: PIMPASA/{agency}/{year}/{seq}, mis. PIMPASA/IMI/2026/000123."
        ),
    )
    accent_color = models.CharField(
        _("warna aksen"), max_length=7, default="#1d4f91", help_text=_("Warna heksadesimal, mis. #1d4f91.")
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("serial_format"), FieldPanel("accent_color")], heading=_("Sertifikat")),
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
    position = models.CharField(
        _("jabatan"), max_length=200, blank=True, help_text=_("Mis. Analis Keimigrasian Ahli Pertama.")
    )
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
