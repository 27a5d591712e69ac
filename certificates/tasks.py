"""Background work for certificates (Django tasks API: database backend, RQ, or immediate in tests).

Tasks take ids, not objects, and do their work through `certificates.services`.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from certificates import bundling, refreshers, services
from certificates.models import BundleStatus, Certificate, CertificateBundle

logger = logging.getLogger(__name__)


@task()
def render_certificate(certificate_id: int, attempt: int = 1) -> str:
    """Render one certificate's PDF; on failure retry later, up to RENDER_MAX_ATTEMPTS tries.

    A failed render changes nothing in the record: the officer's page keeps
    saying the PDF is being prepared until a later try succeeds. Each try renews
    the render lease; a try that never ends (the worker was killed) lets it run
    out, and `manage.py sweep_outdated_pdfs` asks for the render again.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return "missing"
    if certificate.pdf_ready and default_storage.exists(certificate.pdf.name):
        return "current"  # enqueued twice (e.g. issued by the demo seed, which renders at once)
    services.certificate_render_started(certificate_id=certificate_id)
    try:
        certificate = services.certificate_render(certificate=certificate)
    except Exception:
        max_attempts = settings.CERTIFICATES["RENDER_MAX_ATTEMPTS"]
        if attempt < max_attempts:
            logger.warning("Rendering certificate %s failed (try %s of %s); retrying", certificate_id, attempt, max_attempts)
            retry = render_certificate
            if retry.get_backend().supports_defer:
                delay = settings.CERTIFICATES["RENDER_RETRY_SECONDS"] * attempt
                retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
            services.certificate_render_retry_enqueued(
                certificate_id=certificate_id, task_id=retry.enqueue(certificate_id, attempt=attempt + 1).id
            )
        else:
            logger.exception("Rendering certificate %s failed %s times; giving up", certificate_id, attempt)
        raise
    return certificate.pdf_sha256


@task()
def issue_certificates(user_ids: list[int], course_id: int | None = None, program_id: int | None = None) -> int:
    return services.certificates_issue_for_users(user_ids=user_ids, course_id=course_id, program_id=program_id)


@task()
def build_certificate_bundle(bundle_id: int) -> str:
    bundle = CertificateBundle.objects.select_related("course", "office", "village").get(pk=bundle_id)
    try:
        return bundling.bundle_build(bundle=bundle).status
    except Exception:
        CertificateBundle.objects.filter(pk=bundle_id).update(status=BundleStatus.FAILED, finished_at=timezone.now())
        raise


@task()
def send_refresher_reminders(*, refresher_ids: list[int]) -> int:
    """E-mail the officers of new refreshers (certificates.refreshers); each reminder goes once."""
    return refreshers.refresher_reminders_send(refresher_ids=refresher_ids)
