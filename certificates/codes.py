"""Verification codes and serial numbers.

A verification code is 16 symbols of Crockford's base32 (80 random bits from
`secrets`): no I, L, O or U, so nothing reads as another symbol, and typed
input is forgiving — lower case, spaces, dashes, O for 0 and I/L for 1 are
accepted. It is shown in groups of four: `7K3M-Q9XD-4F2B-NR8T`.
"""

import re
import secrets
from urllib.parse import unquote

from lms.serials import DEFAULT_SERIAL_FORMAT, serial_render

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 random bits
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_normalize(typed: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be one."""
    code = _SEPARATORS.sub("", (typed or "").strip().upper()).translate(_TYPO_MAP)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)  # "host:8000/..." is a port, not a scheme


class NotAVerificationLink(ValueError):
    """Text that is a link (it has a slash), but not to a certificate's verification page."""


def code_from_typed(typed: str) -> str:
    """What to normalise of a typed or pasted value: the code itself, or the code in a pasted link.

    A verification link is `http(s)://host/verify/<code>/` (the QR code's and the share link's
    form), also without its scheme or with `api/v1/` before `verify/`; only the code is taken
    from it, whatever the host: a certificate printed under an older address still verifies here.
    """
    text = (typed or "").strip()
    if "/" not in text:
        return text
    scheme = _SCHEME.match(text)
    if scheme and scheme[1].lower() not in ("http", "https"):
        raise NotAVerificationLink(text)
    path = re.split(r"[?#]", re.sub(r"^https?://", "", text, flags=re.IGNORECASE), maxsplit=1)[0]
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) < 2 or segments[-2].lower() != "verify":
        raise NotAVerificationLink(text)
    return unquote(segments[-1])


def code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def serial_format(*, agency_code: str, year: int, number: int, pattern: str = DEFAULT_SERIAL_FORMAT) -> str:
    """The serial in the agency's format (lms.serials); by default `PIMPASA/IMI/2026/000123`."""
    return serial_render(pattern, agency_code=agency_code, year=year, number=number)
