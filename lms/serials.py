"""Certificate serial numbers: a format per agency, with tokens.

`PIMPASA/{agency}/{year}/{seq}` gives today's `PIMPASA/IMI/2026/000123`. The
sequence restarts every year for every agency (certificates.SerialCounter),
so a format must name the agency, the year and the sequence, or two
certificates could print the same number; the database's unique constraint on
the serial stays the last word.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_SERIAL_FORMAT = "PIMPASA/{agency}/{year}/{seq}"
SERIAL_MAX_LENGTH = 40  # certificates.Certificate.serial
SEQUENCE_DIGITS = 6
TOKENS = {
    "agency": _("kode instansi, huruf besar (mis. IMI)"),
    "year": _("tahun terbit, empat angka"),
    "seq": _("nomor urut dalam tahun itu, enam angka (000123)"),
}
_TOKEN = re.compile(r"\{([^{}]*)\}")
_ALLOWED_TEXT = re.compile(r"[A-Za-z0-9/.\-_ ]*")


def serial_render(pattern: str, *, agency_code: str, year: int, number: int) -> str:
    values = {"agency": agency_code.upper(), "year": f"{year:04d}", "seq": f"{number:0{SEQUENCE_DIGITS}d}"}
    return _TOKEN.sub(lambda match: values[match.group(1)], pattern or DEFAULT_SERIAL_FORMAT)


def tokens_help() -> str:
    return "; ".join("{%s}: %s" % (name, label) for name, label in TOKENS.items())


def validate_serial_format(pattern: str) -> None:
    """Refuse a format that could repeat a number, or that does not fit the certificate's serial field."""
    pattern = pattern or ""
    used = _TOKEN.findall(pattern)
    unknown = sorted({name for name in used if name not in TOKENS})
    if unknown:
        raise ValidationError(
            _("Token tidak dikenal: %(unknown)s. Yang tersedia: %(known)s."),
            code="serial_unknown_token",
            params={"unknown": ", ".join("{%s}" % name for name in unknown), "known": tokens_help()},
        )
    text = _TOKEN.sub("", pattern)
    if "{" in text or "}" in text:
        raise ValidationError(_("Kurung kurawal harus berpasangan, mis. {seq}."), code="serial_unbalanced_braces")
    if not _ALLOWED_TEXT.fullmatch(text):
        raise ValidationError(
            _("Di luar token, format nomor seri hanya boleh memuat huruf, angka, spasi, dan tanda / . - _."),
            code="serial_characters",
        )
    missing = [name for name in TOKENS if used.count(name) == 0]
    if "seq" in missing:
        raise ValidationError(
            _("Format nomor seri harus memuat {seq} (nomor urut); tanpa itu setiap sertifikat bernomor sama."),
            code="serial_without_sequence",
        )
    if missing:
        raise ValidationError(
            _("Format nomor seri harus memuat %(missing)s: nomor urut dimulai lagi setiap tahun untuk setiap instansi, "
              "jadi tanpa token itu nomor dapat berulang."),
            code="serial_missing_token",
            params={"missing": ", ".join("{%s}" % name for name in missing)},
        )
    if any(used.count(name) > 1 for name in TOKENS):
        raise ValidationError(_("Setiap token cukup dipakai sekali."), code="serial_repeated_token")
    longest = serial_render(pattern, agency_code="X" * 16, year=2026, number=10**SEQUENCE_DIGITS - 1)
    if len(longest) > SERIAL_MAX_LENGTH:
        raise ValidationError(
            _("Nomor seri dengan format ini bisa sepanjang %(length)d karakter; paling banyak %(max)d."),
            code="serial_too_long",
            params={"length": len(longest), "max": SERIAL_MAX_LENGTH},
        )
