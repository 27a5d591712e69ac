"""The QR code that proves itself: the verification URL plus a compact JWS of the certificate's minimal claims.

The printed QR holds `<PUBLIC_BASE_URL>/verify/<code>/#t=<JWS>`. Online, a phone opens the usual
verification page (the fragment never reaches the server: the token stays out of its logs and of
any Referer); offline, the service worker scoped to /verify/ answers with the offline verifier
(/verify/offline/), whose script checks the token's signature with the public keys the page
embeds (the keys of /.well-known/did.json) and shows the claims. README "Offline QR verification".

The token is a JWS in compact form (RFC 7515), signed EdDSA (Ed25519, RFC 8037) by the active
issuer key (certificates/credentials/keys.py), its `kid` in the protected header. Its claims are
short so that the whole URL fits a QR code of version 16 at most, which still scans from a
printed A4 page with modules of 0.5 mm:

    s   serial                      "PIMPASA/IMI/2026/000123"
    n   holder's name               as at issue
    p   NIP, masked                 only its last four digits, "1001" (shown as ••••••••••••••1001,
                                    as on the online page: the birth date in its first eight
                                    digits stays off a token anyone can read from the paper)
    c   course or program title     cut (ending in "…") when the URL would not fit version 16
    a   agency                      its short name
    jp  lesson hours (JP)           integer
    i   issued on                   integer YYYYMMDD
    x   valid until                 integer YYYYMMDD; absent when it never expires

A title is cut only as far as needed, the name only if a cut title is not enough; the signature
is never touched. The token does not say whether the certificate was revoked: only the server
knows, and the offline page says so.
"""

import base64
import functools
import json
import logging

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwcrypto import jwk, jws

from certificates.credentials import keys as credential_keys
from lms.validators import mask_nip

logger = logging.getLogger(__name__)

FRAGMENT_PREFIX = "#t="
# What a QR code of version 16 holds at error-correction level L in byte mode. segno raises the
# level (M, Q) by itself whenever that keeps the same version, so short content is sturdier.
MAX_QR_VERSION = 16
QR_ERROR = "l"
MAX_QR_BYTES = 586
SIGNATURE_CHARS = 86  # 64 bytes of Ed25519 signature in base64url
MIN_TITLE_CHARS = 24
MIN_NAME_CHARS = 16
ELLIPSIS = "…"


def _b64_length(size: int) -> int:
    """Characters of base64url without padding for `size` bytes."""
    return (size * 4 + 2) // 3


def _compact(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _yyyymmdd(day) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def qr_claims(certificate) -> dict:
    """The token's claims in full (before any cut to fit the QR code)."""
    agency = certificate.agency
    claims = {
        "s": certificate.serial,
        "n": certificate.holder_name,
        "p": mask_nip(certificate.holder_nip)[-4:],
        "c": certificate.title,
        "a": agency.short_name or agency.code,
        "jp": certificate.lesson_hours,
        "i": _yyyymmdd(certificate.issued_on),
    }
    if certificate.expires_on:
        claims["x"] = _yyyymmdd(certificate.expires_on)
    return claims


def _header(kid: str) -> bytes:
    return _compact({"alg": "EdDSA", "kid": kid})


def _url_length(prefix: str, header: bytes, claims: dict) -> int:
    return len(prefix.encode()) + _b64_length(len(header)) + 1 + _b64_length(len(_compact(claims))) + 1 + SIGNATURE_CHARS


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 0)].rstrip() + ELLIPSIS


def fit_claims(claims: dict, *, prefix: str, header: bytes) -> dict | None:
    """The claims, the title (then the name) cut so that prefix + token fit MAX_QR_BYTES; None if nothing fits."""
    claims = dict(claims)
    for field, floor in (("c", MIN_TITLE_CHARS), ("n", MIN_NAME_CHARS)):
        overflow = _url_length(prefix, header, claims) - MAX_QR_BYTES
        full = claims[field]
        chars = len(full)
        while overflow > 0 and chars > floor:
            # Each character is at least one byte, and base64 grows by 4/3: cut what must go, then check.
            chars = max(floor, chars - max(1, (overflow * 3) // 4))
            claims[field] = _cut(full, chars)
            overflow = _url_length(prefix, header, claims) - MAX_QR_BYTES
    return claims if _url_length(prefix, header, claims) <= MAX_QR_BYTES else None


@functools.lru_cache(maxsize=8)
def _jwk(key: credential_keys.IssuerKey) -> jwk.JWK:
    return jwk.JWK.from_pyca(key.private_key)


def sign_claims(claims: dict, key: credential_keys.IssuerKey) -> str:
    """A compact JWS (EdDSA) of the claims, its kid in the protected header."""
    token = jws.JWS(_compact(claims))
    token.add_signature(_jwk(key), alg="EdDSA", protected=_header(key.kid).decode())
    return token.serialize(compact=True)


def qr_token(certificate, *, prefix: str = "", key: credential_keys.IssuerKey | None = None) -> str | None:
    """The signed token for the certificate's QR code; None when no issuer key is configured."""
    key = key or credential_keys.active_key()
    if key is None:
        return None
    claims = fit_claims(qr_claims(certificate), prefix=prefix, header=_header(key.kid))
    if claims is None:
        logger.warning("QR token left out for %s: the verification URL alone is too long", certificate.serial)
        return None
    return sign_claims(claims, key)


def qr_content(certificate) -> str:
    """What the printed QR code holds: the verification URL, with `#t=<token>` when a key signs."""
    prefix = certificate.verification_url + FRAGMENT_PREFIX
    token = qr_token(certificate, prefix=prefix)
    return prefix + token if token else certificate.verification_url


def public_jwks() -> dict[str, dict]:
    """kid -> public JWK (OKP, Ed25519) of every published key: what the offline verifier embeds."""
    return {
        kid: {"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": _b64url(public.public_bytes(Encoding.Raw, PublicFormat.Raw))}
        for kid, public in credential_keys.public_keys().items()
    }


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def verify_token(token: str) -> dict:
    """The claims of a token signed by a published key; raises ValueError when it is not."""
    try:
        parsed = jws.JWS()
        parsed.deserialize(token)
        kid = parsed.jose_header.get("kid")
        public = credential_keys.public_keys().get(kid)
        if public is None:
            raise ValueError(f"unknown key {kid!r}")
        parsed.verify(jwk.JWK.from_pyca(public), alg="EdDSA")
    except jws.InvalidJWSObject as error:
        raise ValueError(f"not a JWS: {error}") from None
    except jws.InvalidJWSSignature:
        raise ValueError("bad signature") from None
    return json.loads(parsed.payload)
