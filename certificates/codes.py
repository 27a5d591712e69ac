"""Verification codes and serial numbers.

A verification code is 16 symbols of Crockford's base32 (80 random bits from
`secrets`): no I, L, O or U, so nothing reads as another symbol, and typed
input is forgiving — lower case, spaces, dashes, O for 0 and I/L for 1 are
accepted. It is shown in groups of four: `7K3M-Q9XD-4F2B-NR8T`.
"""

import re
import secrets

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


def code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def serial_format(*, agency_code: str, year: int, number: int) -> str:
    return f"PIMPASA/{agency_code.upper()}/{year}/{number:06d}"
