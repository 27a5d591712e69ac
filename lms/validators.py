"""Validators for Indonesian civil-service data."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_LENGTH = 18
# ASCII digits only: `\d` also matches Arabic-Indic, Devanagari, fullwidth... digits, which
# int() reads but the database's own check ([0-9]{18}) refuses.
_NIP_RE = re.compile(r"[0-9]{18}")


def normalize_nip(value: str) -> str:
    """Strip the spaces and dots people type or paste into NIPs ("19850312 201001 1 001")."""
    return re.sub(r"[\s.\-]", "", str(value or ""))


def validate_nip(value: str) -> None:
    """An NIP (Nomor Induk Pegawai) is 18 digits: birth date (YYYYMMDD),
    appointment month (YYYYMM), sex (1 or 2) and a 3-digit sequence.

    Checking the embedded dates catches most typos, which a length check alone
    would let through into certificates that cannot be matched later.
    """
    value = value or ""
    if len(value) == NIP_LENGTH and not value.isascii() and all(character.isdigit() for character in value):
        raise ValidationError(
            _("NIP hanya boleh berisi angka 0–9 (angka dari aksara lain, mis. ١٢٣ atau １２３, tidak diterima)."),
            code="nip_format",
        )
    if not _NIP_RE.fullmatch(value):
        raise ValidationError(
            _("NIP harus terdiri dari tepat 18 angka (Anda memasukkan %(length)d karakter)."),
            code="nip_format",
            params={"length": len(value)},
        )
    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP tidak valid: 8 angka pertama harus tanggal lahir (TTTTBBHH)."), code="nip_birth_date"
        ) from None
    appointed_year, appointed_month = int(value[8:12]), int(value[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < birth.year + 15:
        raise ValidationError(
            _("NIP tidak valid: angka ke-9 sampai ke-14 harus tahun dan bulan pengangkatan (TTTTBB)."),
            code="nip_appointment",
        )
    if value[14] not in "12":
        raise ValidationError(
            _("NIP tidak valid: angka ke-15 harus 1 (laki-laki) atau 2 (perempuan)."), code="nip_sex"
        )


def mask_nip(nip: str) -> str:
    """Show only the last four digits: enough to tell two people apart, not to reuse."""
    if not nip:
        return ""
    return "•" * (len(nip) - 4) + nip[-4:]
