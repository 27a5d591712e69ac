"""The PAdES signature on certificate PDFs (pyHanko), from the key the installation configures.

Configuration: `CERTIFICATE_SIGNING_P12` (path of a PKCS#12 file) and
`CERTIFICATE_SIGNING_P12_PASSWORD`, from the environment. Without them PDFs
are not signed, as before. `manage.py create_demo_signing_certificate` makes a
self-made demo key (`make run` uses it); production refuses to start with a
P12 it cannot load (lms/settings/production.py), and `manage.py check` says so
in development.

What is signed: the bytes WeasyPrint produced (PDF/A-3u), by an incremental
update, so the original document stays byte for byte inside the signed one and
keeps its PDF/A identification. The signature is PAdES baseline B-B
(ETSI.CAdES.detached), invisible (the page itself says what it is, see
`signature_statement`), and covers the whole file.

Which statement the page prints (the BSrE rule): the certificate counts as
issued by BSrE (Balai Besar Sertifikasi Elektronik, BSSN) when its issuer's
common name, organisation or organisational unit is "Balai Besar Sertifikasi
Elektronik" or "Balai Sertifikasi Elektronik" (its earlier name),
ignoring case and spacing, or the issuer's common name begins with the word
"BSrE" ("BSrE CA", "BSrE G2"); and, when the PKCS#12 file carries that
issuing CA certificate, the signer's certificate really is signed by it. Only
then does the PDF say it was signed with a certificate issued by BSrE. The rule
reads names: it tells a BSrE certificate from the demo one or another CA's, it
does not prove one (the installation chooses its own key; the verification
page shows issuer and fingerprint for anyone who wants to check).
"""

import asyncio
import datetime
import functools
import hashlib
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.pkcs12 import Pkcs12Error, SigningKeyPair, load_pkcs12

SIGNATURE_FIELD = "Tanda tangan elektronik"
BSRE_ISSUER_NAMES = {"balai besar sertifikasi elektronik", "balai sertifikasi elektronik"}
BSRE_COMMON_NAME = re.compile(r"bsre\b", re.IGNORECASE)
# Room for the CMS signature beyond the certificates it embeds: signed attributes (under 400 bytes) and
# the signature value (512 bytes for RSA-4096) fit with plenty to spare. Reserved from the key's certificates, so
# pyHanko need not sign a dummy document first to measure it (half the cost of a signature).
SIGNATURE_OVERHEAD_BYTES = 2048


@dataclass(frozen=True)
class SigningIdentity:
    """Who signs, as the certificate record and the verification page show it."""

    common_name: str
    organization: str
    serial: str  # the certificate's serial number, hexadecimal
    fingerprint: str  # SHA-256 of the certificate (DER), hexadecimal
    issuer_common_name: str
    issuer_organization: str
    is_bsre: bool

    @property
    def issuer(self) -> str:
        return ", ".join(part for part in (self.issuer_common_name, self.issuer_organization) if part)


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    identity: SigningIdentity | None  # None: not signed (no signing key configured)
    signed_at: datetime.datetime | None


def _attribute(name: x509.Name, oid) -> str:
    return ", ".join(str(attribute.value) for attribute in name.get_attributes_for_oid(oid))


def _normalized(value: str) -> str:
    return " ".join(value.split()).casefold()


def names_bsre(name: x509.Name) -> bool:
    """Does this (issuer) name say BSrE? See the module docstring."""
    values = [
        str(attribute.value)
        for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME)
        for attribute in name.get_attributes_for_oid(oid)
    ]
    if any(_normalized(value) in BSRE_ISSUER_NAMES for value in values):
        return True
    return any(BSRE_COMMON_NAME.match(str(a.value).strip()) for a in name.get_attributes_for_oid(NameOID.COMMON_NAME))


def _issued_by_bsre(keys: SigningKeyPair) -> bool:
    certificate = keys.certificate
    if not names_bsre(certificate.issuer):
        return False
    issuers = [ca for ca in keys.chain if ca.subject == certificate.issuer]
    if not issuers:
        return True  # the file holds only the signer's certificate: the issuer's name is all there is
    for issuer in issuers:
        try:
            certificate.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def identity_of(keys: SigningKeyPair) -> SigningIdentity:
    certificate = keys.certificate
    return SigningIdentity(
        common_name=_attribute(certificate.subject, NameOID.COMMON_NAME),
        organization=_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        serial=format(certificate.serial_number, "X"),
        fingerprint=hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest(),
        issuer_common_name=_attribute(certificate.issuer, NameOID.COMMON_NAME),
        issuer_organization=_attribute(certificate.issuer, NameOID.ORGANIZATION_NAME),
        is_bsre=_issued_by_bsre(keys),
    )


class _Configured:
    """One loaded PKCS#12 file: key, certificates, identity, and the pyHanko signer made from them on first use."""

    def __init__(self, keys: SigningKeyPair):
        self.keys = keys
        self.identity = identity_of(keys)
        certificates = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in (keys.certificate, *keys.chain))
        # In hexadecimal digits, as pyHanko counts them (two per byte of the CMS object).
        self.bytes_reserved = 2 * -(-(SIGNATURE_OVERHEAD_BYTES + certificates) // 512) * 512
        self._signer = None

    def signer(self):
        if self._signer is None:
            self._signer = _pyhanko_signer(self.keys)
        return self._signer


@functools.lru_cache(maxsize=4)
def _load(path: str, password: str, mtime_ns: int, size: int) -> _Configured:
    # Keyed by the file's modification time and size too: a replaced file is read again.
    return _Configured(load_pkcs12(path, password))


def _configured() -> _Configured | None:
    """The configured key, loaded once per process; None when signing is not configured."""
    path = getattr(settings, "CERTIFICATE_SIGNING_P12", "")
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError as error:
        raise Pkcs12Error(f"cannot read {path}: {error.strerror or error}") from error
    return _load(str(path), getattr(settings, "CERTIFICATE_SIGNING_P12_PASSWORD", ""), stat.st_mtime_ns, stat.st_size)


def configured_identity() -> SigningIdentity | None:
    """Who signs the PDFs rendered now; None when they are not signed. Raises Pkcs12Error on a broken configuration."""
    configured = _configured()
    return configured.identity if configured is not None else None


def configured_fingerprint() -> str:
    """The fingerprint a current PDF records ("" for unsigned): a PDF signed otherwise is outdated."""
    identity = configured_identity()
    return identity.fingerprint if identity is not None else ""


def signature_statement(identity: SigningIdentity | None) -> str:
    """What the page says about its signature, in the active language; "" when unsigned (the QR code says enough)."""
    if identity is None:
        return ""
    if identity.is_bsre:
        return _(
            "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
            "oleh Balai Besar Sertifikasi Elektronik (BSrE)."
        )
    return _(
        "Keaslian dokumen dapat diperiksa melalui kode QR; tanda tangan elektronik ini bukan tanda tangan "
        "tersertifikasi BSrE."
    )


def _pyhanko_signer(keys: SigningKeyPair):
    # pyHanko takes almost half a second to import; the web processes, which never sign, never load it.
    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import attributes, signers
    from pyhanko.sign.general import as_signing_certificate_v2
    from pyhanko.sign.signers.pdf_cms import SignedAttributeProviderSpec
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class SigningCertificateOnce(attributes.CMSAttributeProvider):
        """The ESS signing-certificate-v2 attribute, built once per key instead of once per signature.

        It depends on the certificate alone. asn1crypto re-serialises a freshly built value over and
        over while the signature is assembled (two thirds of pyHanko's time per signature); a value
        parsed back from its bytes is serialised once.
        """

        attribute_type = "signing_certificate_v2"

        def __init__(self, certificate):
            self.value = tsp.SigningCertificateV2.load(as_signing_certificate_v2(certificate).dump())

        async def build_attr_value(self, dry_run=False):
            return self.value

    class PadesSignedAttributes(SignedAttributeProviderSpec):
        """What pyHanko's PAdES default gives here (no signing-time attribute, no CAdES extras;
        content-type and message-digest are added by pyHanko itself), with the attribute above."""

        def __init__(self, certificate):
            self.signing_certificate = SigningCertificateOnce(certificate)

        def signed_attr_providers(self, data_digest, digest_algorithm):
            yield self.signing_certificate

    def der(certificate):
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    private_key = keys.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = signers.SimpleSigner(
        signing_cert=der(keys.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_key),
        cert_registry=SimpleCertificateStore.from_certs([der(ca) for ca in keys.chain]),
    )
    signer.signed_attr_prov_spec = PadesSignedAttributes(signer.signing_cert)
    return signer


def sign_pdf(content: bytes) -> SignedPdf:
    """Sign a PDF (as WeasyPrint wrote it) with the configured key; unchanged when none is configured."""
    configured = _configured()
    if configured is None:
        return SignedPdf(content=content, identity=None, signed_at=None)
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields, signers

    signed_at = timezone.now()
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    # PDF/A wants the document information dictionary to agree with the XMP metadata. pyHanko
    # rewrites the XMP producer to its own name but appends it to the dictionary's; name it alike.
    if "/Info" in writer.trailer:
        info = writer.trailer["/Info"]
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.update_container(info)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=configured.identity.common_name or None,
    )
    sign = functools.partial(
        signers.sign_pdf, writer, metadata, signer=configured.signer(), bytes_reserved=configured.bytes_reserved
    )
    output = _outside_any_event_loop(sign)
    return SignedPdf(content=output.getvalue(), identity=configured.identity, signed_at=signed_at)


def _outside_any_event_loop(call):
    """Run `call` here, or in a short-lived thread when this thread already runs an event loop:
    pyHanko's synchronous API calls asyncio.run(), which refuses to start inside a running loop
    (an ASGI server's thread, or a test session driving a browser through Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
