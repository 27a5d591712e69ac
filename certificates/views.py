"""Thin views: verification for anyone, certificates for their holder, bundles for HR and trainers."""

import datetime
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certificates import selectors
from certificates.bundling import bundle_request
from certificates.codes import code_display, code_normalize
from certificates.credentials.qr import public_jwks
from certificates.forms import BundleForm, VerifyForm
from certificates.models import BundleStatus, Certificate, CertificateBundle, CertificateStatus
from certificates.credentials import openbadges
from certificates.credentials import status as credential_status
from certificates.services import certificate_credential, certificate_pdf_available, certificate_renew
from courses import api as courses_api
from lms.errors import DomainError


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})


@require_GET
def verify(request, code):
    canonical = code_normalize(code)
    if canonical and canonical != code:
        return redirect("certificates:verify", code=canonical, permanent=True)
    payload = selectors.verification_lookup(code)
    if payload is None:
        context = {"form": VerifyForm(initial={"code": code}), "typed_code": code}
        return render(request, "certificates/verify_not_found.html", context, status=404)
    context = {
        "result": payload,
        "dates": {
            key: datetime.date.fromisoformat(payload[key]) if payload[key] else None
            for key in ("issued_on", "expires_on", "revoked_on", "period_start", "period_end")
        },
        "code_display": code_display(canonical),
        "status_label": CertificateStatus(payload["status"]).label,
        "reason_label": selectors.revocation_reason_label(payload["revocation_reason"]),
        "code": canonical or code,
        "credentials_published": selectors.credentials_published(),
    }
    return render(request, "certificates/verify.html", context)


# What the verification pages' service worker keeps beside the offline verifier page.
OFFLINE_ASSETS = (
    "css/lms.css",
    "certificates/certificates.css",
    "certificates/offline-verify.js",
    "certificates/verify-worker-register.js",
)


@require_GET
def verify_offline(request):
    """The offline verifier: checks a QR code's signed token in the browser (certificates/credentials/qr.py)."""
    return render(request, "certificates/verify_offline.html", {"keys": public_jwks()})


@require_GET
@cache_control(no_cache=True)
def verify_worker(request):
    """The service worker of /verify/ (a template: it names the hashed static files and the keys' version)."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    offline_url = reverse("certificates:verify_offline")
    version = hashlib.sha256(json.dumps([public_jwks(), assets], sort_keys=True).encode()).hexdigest()[:16]
    context = {
        "scope": reverse("certificates:verify_form"),
        "offline_url": offline_url,
        # JSON (script literals) of our own paths; "</" cannot occur in them.
        "offline_url_json": json.dumps(offline_url),
        "assets_json": json.dumps(assets),
        "version": version,
    }
    return render(request, "certificates/verify_sw.js", context, content_type="text/javascript; charset=utf-8")


@require_GET
def verify_json(request, code):
    payload = selectors.verification_lookup(code)
    if payload is None:
        return JsonResponse({"status": "not_found"}, status=404)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@login_required
def my_certificates(request):
    certificates = list(selectors.certificates_for_holder(user=request.user))
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": certificates, "renewable": selectors.renewable_ids(certificates)},
    )


@login_required
@require_POST
def renew(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("course"), pk=pk, holder=request.user)
    try:
        certificate_renew(certificate=certificate, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("certificates:mine")
    messages.success(
        request, _("Kursus dibuka kembali. Selesaikan lagi semua modulnya untuk mendapatkan sertifikat baru.")
    )
    return redirect(certificate.course.url)


@login_required
def download(request, pk):
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None or not selectors.can_download(user=request.user, certificate=certificate):
        raise Http404
    if not certificate_pdf_available(certificate=certificate):
        return render(request, "certificates/pdf_preparing.html", {"certificate": certificate}, status=202)
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"sertifikat-{certificate.serial.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _course_for_bundles(request, course_id):
    course = courses_api.course_by_id(course_id, with_agency=True)
    if course is None or not selectors.can_download_bundle(user=request.user, agency_code=course.agency.code):
        raise Http404
    return course


@login_required
def bundle_create(request, course_id):
    course = _course_for_bundles(request, course_id)
    form = BundleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bundle = bundle_request(
            course=course,
            requested_by=request.user,
            fmt=form.cleaned_data["format"],
            office=form.cleaned_data["office"],
            village=form.cleaned_data["village"],
        )
        return redirect("certificates:bundle", pk=bundle.pk)
    return render(request, "certificates/bundle_form.html", {"course": course, "form": form})


def _bundle_for(request, pk) -> CertificateBundle:
    bundle = CertificateBundle.objects.filter(pk=pk).select_related("course__agency", "office", "village").first()
    if bundle is None or not (bundle.requested_by_id == request.user.pk or selectors.is_certificate_admin(request.user)):
        raise Http404
    return bundle


def _bundle_page(request, bundle: CertificateBundle, *, status: int = 200):
    context = {"bundle": bundle, "retention_days": settings.HR_FILE_RETENTION_DAYS}
    return render(request, "certificates/bundle_detail.html", context, status=status)


@login_required
def bundle_detail(request, pk):
    return _bundle_page(request, _bundle_for(request, pk))


@login_required
def bundle_download(request, pk):
    bundle = _bundle_for(request, pk)
    if bundle.status != BundleStatus.READY:
        return redirect("certificates:bundle", pk=bundle.pk)
    if bundle.file_deleted_at:
        return _bundle_page(request, bundle, status=410)  # Gone: the page says when and offers to build it again
    content_type = "application/zip" if bundle.format == "zip" else "application/pdf"
    response = FileResponse(
        bundle.file.open("rb"),
        as_attachment=True,
        filename=f"sertifikat-{bundle.course.slug}.{bundle.format}",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _json_ld(document: dict, *, content_type: str = "application/json", filename: str = "", cache_seconds: int = 0):
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # verifiers at other agencies fetch these from their pages
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={cache_seconds}" if cache_seconds else "no-cache"
    return response


@require_GET
def did_document(request):
    """The platform's DID document (did:web): every published key, the old ones too."""
    if not selectors.credentials_published():
        raise Http404
    return _json_ld(credential_status.did_document(), content_type="application/did+json", cache_seconds=300)


@require_GET
def credential_json(request, code):
    """Anyone's copy of a certificate's signed credential; a revoked one too (its status list says so)."""
    canonical = code_normalize(code)
    certificate = Certificate.objects.filter(code=canonical).first() if canonical else None
    credential = certificate_credential(certificate=certificate) if certificate is not None else None
    if credential is None:
        raise Http404
    return _json_ld(credential, content_type=openbadges.MEDIA_TYPE)


@require_GET
def status_list(request, number):
    credential = selectors.status_list(number)
    if credential is None:
        raise Http404
    return _json_ld(credential, content_type=openbadges.MEDIA_TYPE, cache_seconds=60)


@login_required
def credential_download(request, pk):
    """The holder's (or HR's) download of the credential, to import into a wallet or another system."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None or not selectors.can_download(user=request.user, certificate=certificate):
        raise Http404
    credential = certificate_credential(certificate=certificate)
    if credential is None:
        raise Http404
    response = _json_ld(
        credential, content_type=openbadges.MEDIA_TYPE,
        filename=f"kredensial-{certificate.serial.replace('/', '-')}.json",
    )
    response["Cache-Control"] = "private, no-store"
    return response
