"""Reading the installation's signing key and certificate from a PKCS#12 (.p12/.pfx) file.

In the core, not in the certificates app, because the production settings use
it too: a deployment configured to sign certificate PDFs refuses to start
when its PKCS#12 file cannot be read (lms/settings/production.py), instead of
failing later in the worker, one certificate at a time.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12


class Pkcs12Error(ValueError):
    """The file is missing, unreadable, protected by another password or holds no key and certificate."""


@dataclass(frozen=True)
class SigningKeyPair:
    key: object  # a cryptography private key
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # the other certificates in the file (issuing CAs), as stored


def load_pkcs12(
    path: str | Path, password: str, *, now: datetime.datetime | None = None, check_validity: bool = True
) -> SigningKeyPair:
    """The key, its certificate and the CA certificates of a PKCS#12 file; `Pkcs12Error` says what is wrong
    (also a certificate not valid `now`, unless `check_validity` is off)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Pkcs12Error(f"cannot read {path}: {error.strerror or error}") from error
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as error:
        raise Pkcs12Error(
            f"{path} is not a PKCS#12 file this password opens (CERTIFICATE_SIGNING_P12_PASSWORD): {error}"
        ) from error
    if key is None or certificate is None:
        raise Pkcs12Error(f"{path} holds no private key with its certificate")
    now = now or datetime.datetime.now(datetime.UTC)
    if check_validity and not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise Pkcs12Error(
            f"the certificate in {path} is valid only from {certificate.not_valid_before_utc:%Y-%m-%d} "
            f"to {certificate.not_valid_after_utc:%Y-%m-%d}"
        )
    return SigningKeyPair(key=key, certificate=certificate, chain=tuple(chain))
