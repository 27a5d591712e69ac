"""A self-made signing key for the demo and the tests: a CA and a signer certificate in a PKCS#12 file.

Made with the cryptography library. Its CA is named "Pimpasa DEMO — bukan BSrE"
("not BSrE") so that nobody mistakes it for a real one: certificates/signing.py
reads issuer names, and this one never counts as BSrE, so the PDFs say their
signature is not a BSrE-certified one. Never configure it in production.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_CA_NAME = "Pimpasa DEMO — bukan BSrE"
DEMO_ORGANIZATION = "Pimpasa LMS (DEMO)"
DEMO_SIGNER_NAME = "Penanda Tangan Sertifikat Pimpasa (DEMO)"
DEMO_PASSWORD = "pimpasa-demo"  # a demo key only: printed in the Makefile and the README on purpose
DEMO_PATH = Path("var") / "demo-signing.p12"
DEMO_VALID_DAYS = 5 * 365


@dataclass(frozen=True)
class SigningFiles:
    p12: bytes
    ca_pem: bytes  # the CA certificate, the trust root a validator (or Adobe Reader) is given


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # non-repudiation: what document signatures ask of a signer's key
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_signing_files(
    *,
    ca_name: str = DEMO_CA_NAME,
    ca_organization: str = DEMO_ORGANIZATION,
    signer_name: str = DEMO_SIGNER_NAME,
    signer_organization: str = DEMO_ORGANIZATION,
    password: str = DEMO_PASSWORD,
    valid_days: int = DEMO_VALID_DAYS,
    rsa_bits: int | None = None,
    now: datetime.datetime | None = None,
) -> SigningFiles:
    """A new CA and a signer certificate it issued (ECDSA P-256, or RSA of `rsa_bits`; SHA-256), the
    signer's key and both certificates in one PKCS#12 file under `password`."""
    now = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    not_before = now - datetime.timedelta(days=1)

    def new_key():
        if rsa_bits:
            return rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
        return ec.generate_private_key(ec.SECP256R1())

    ca_key = new_key()
    ca_subject = _name(ca_name, ca_organization)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + datetime.timedelta(days=valid_days + 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = new_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name, signer_organization))
        .issuer_name(ca_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        signer_name.encode(), key, certificate, [ca], serialization.BestAvailableEncryption(password.encode())
    )
    return SigningFiles(p12=p12, ca_pem=ca.public_bytes(serialization.Encoding.PEM))


def ca_pem_path(p12_path: Path) -> Path:
    return p12_path.with_name(p12_path.stem + "-ca.pem")


def write_private(path: Path, content: bytes) -> None:
    """Write atomically (a reader never sees half a file), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)
