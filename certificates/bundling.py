"""Bundles of a course's certificates for printing: one ZIP, or one merged PDF (pypdf).

Small bundles whose PDFs are all ready are built in the request (copying files
is cheap); anything larger, or anything that still needs rendering, is built
by the task worker.
"""

import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypdf import PdfWriter

from certificates.models import BundleFormat, BundleStatus, CertificateBundle
from certificates.selectors import certificates_for_bundle
from certificates import services, tasks  # as modules: services and tasks import each other
from lms import queueing


def _bundle_certificates(bundle: CertificateBundle):
    return certificates_for_bundle(course=bundle.course, office=bundle.office, village=bundle.village)


def bundle_request(*, course, requested_by, fmt: str = BundleFormat.PDF, office=None, village=None) -> CertificateBundle:
    """Create a bundle; build it now when small and ready, otherwise in the background."""
    bundle = CertificateBundle.objects.create(
        course=course, office=office, village=village, format=fmt, requested_by=requested_by
    )
    certificates = list(_bundle_certificates(bundle))
    small = len(certificates) <= settings.CERTIFICATES["BUNDLE_SYNC_MAX"]
    if small and all(certificate.pdf_ready for certificate in certificates):
        return bundle_build(bundle=bundle, certificates=certificates)
    transaction.on_commit(lambda: _bundle_enqueue(bundle, tasks.build_certificate_bundle))
    return bundle


def _bundle_enqueue(bundle: CertificateBundle, task) -> None:
    try:
        queueing.enqueue(task, bundle.pk)
    except queueing.QueueUnavailable:
        CertificateBundle.objects.filter(pk=bundle.pk).update(status=BundleStatus.FAILED, finished_at=timezone.now())
        raise queueing.QueueUnavailable(_("Berkas cetak tidak dapat diantrekan karena antrean tugas sedang tidak "
                                          "dapat dihubungi; permintaan ini dicatat gagal. Coba lagi beberapa menit lagi.")) from None


def _pdf_bytes(certificate) -> bytes:
    if not certificate.pdf_ready or not default_storage.exists(certificate.pdf.name):
        certificate = services.certificate_render(certificate=certificate)
    with default_storage.open(certificate.pdf.name) as handle:
        return handle.read()


def _member_name(certificate) -> str:
    return f"{slugify(certificate.holder_name) or 'sertifikat'}_{certificate.serial.replace('/', '-')}.pdf"


def bundle_build(*, bundle: CertificateBundle, certificates=None) -> CertificateBundle:
    """Write the bundle file (rendering any PDF that is missing or outdated first)."""
    certificates = list(_bundle_certificates(bundle)) if certificates is None else certificates
    buffer = io.BytesIO()
    if bundle.format == BundleFormat.ZIP:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for certificate in certificates:
                archive.writestr(_member_name(certificate), _pdf_bytes(certificate))
    else:
        writer = PdfWriter()
        for certificate in certificates:
            # A PDF's signature covers that file's bytes (certificates/signing.py): in a merged print
            # file it would only show as broken. The ZIP keeps each signed file whole.
            writer.append(io.BytesIO(_pdf_bytes(certificate)), excluded_fields=["/Annots", "/B"])
        writer.root_object.pop("/AcroForm", None)
        writer.write(buffer)
    name = f"{slugify(bundle.course.slug)}-{timezone.localdate():%Y%m%d}-{bundle.pk}.{bundle.format}"
    bundle.file.save(name, ContentFile(buffer.getvalue()), save=False)
    bundle.status = BundleStatus.READY
    bundle.certificate_count = len(certificates)
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["file", "status", "certificate_count", "finished_at"])
    return bundle
