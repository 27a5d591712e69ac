"""Who signs an agency's certificates: a register of officials and their periods of appointment.

A certificate template chooses its signatory; a certificate keeps the one that
signed it at issue, so rendering it again years later prints the same person,
whoever holds the office now.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class OfficialIdKind(models.TextChoices):
    NIP = "nip", _("NIP (pegawai negeri sipil)")
    NRP = "nrp", _("NRP (anggota Polri/TNI)")


ID_LENGTHS = {OfficialIdKind.NIP: 18, OfficialIdKind.NRP: 8}


class Signatory(index.Indexed, models.Model):
    agency = models.ForeignKey(
        "lms.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="signatories"
    )
    name = models.CharField(_("nama"), max_length=200, help_text=_("Nama lengkap dengan gelar, seperti di SK."))
    id_kind = models.CharField(
        _("jenis nomor induk"), max_length=3, choices=OfficialIdKind.choices, default=OfficialIdKind.NIP
    )
    id_number = models.CharField(
        _("NIP/NRP"),
        max_length=18,
        blank=True,
        help_text=_("NIP 18 angka atau NRP 8 angka, tanpa spasi. Dicetak di bawah nama."),
    )
    position = models.CharField(
        _("jabatan"), max_length=200, help_text=_("Mis. Direktur Jenderal Imigrasi; dicetak di atas tanda tangan.")
    )
    place = models.CharField(
        _("tempat penandatanganan"), max_length=100, blank=True, help_text=_("Kota, mis. Jakarta; dicetak sebelum tanggal.")
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar tanda tangan"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("PNG berlatar transparan dianjurkan."),
    )
    stamp_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar cap dinas"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Opsional; dicetak menumpang di sisi kiri tanda tangan."),
    )
    valid_from = models.DateField(
        _("menjabat sejak"), null=True, blank=True, help_text=_("Tanggal mulai masa jabatan (SK pengangkatan).")
    )
    valid_until = models.DateField(
        _("menjabat sampai"), null=True, blank=True, help_text=_("Kosongkan bila masih menjabat.")
    )

    panels = [
        FieldPanel("agency"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("id_kind"), FieldPanel("id_number")]),
        FieldRowPanel([FieldPanel("position"), FieldPanel("place")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")], heading=_("Masa jabatan")),
        MultiFieldPanel([FieldPanel("signature_image"), FieldPanel("stamp_image")], heading=_("Gambar")),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("position"), index.FilterField("agency")]

    class Meta:
        ordering = ["agency__name", "-valid_from", "name"]
        verbose_name = _("penandatangan")
        verbose_name_plural = _("penandatangan")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="signatory_appointment_in_order",
                violation_error_message=_("Tanggal akhir masa jabatan tidak boleh sebelum tanggal mulainya."),
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.position}"

    def clean(self):
        super().clean()
        errors = {}
        length = ID_LENGTHS.get(self.id_kind)
        if self.id_number and (length is None or not re.fullmatch(r"[0-9]{%d}" % length, self.id_number)):
            errors["id_number"] = _("%(kind)s harus terdiri dari tepat %(length)d angka 0–9.") % {
                "kind": self.id_label, "length": length or 0
            }
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Tanggal akhir masa jabatan tidak boleh sebelum tanggal mulainya.")
        if errors:
            raise ValidationError(errors)

    @property
    def id_label(self) -> str:
        return "NRP" if self.id_kind == OfficialIdKind.NRP else "NIP"

    def covers(self, day: datetime.date) -> bool:
        """Was this official in office on `day`?"""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    @property
    def appointment_display(self) -> str:
        start = date_format(self.valid_from, "j F Y") if self.valid_from else "…"
        end = date_format(self.valid_until, "j F Y") if self.valid_until else _("sekarang")
        return f"{start} – {end}"

    @classmethod
    def covering(cls, day: datetime.date):
        """Officials in office on `day`."""
        return cls.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )
