"""Certificate URLs. /verify/ and /api/v1/verify/ are printed on paper: never change them.
The three public verification URLs share one rate limit per address (settings.RATE_LIMITS["verify"])
so that guessing codes is impractical."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from certificates import views
from lms.ratelimits import rate_limited

app_name = "certificates"

urlpatterns = [
    path("verify/", rate_limited("verify")(views.verify_form), name="verify_form"),
    # Before verify/<code>/: "offline" is no code (codes are 16 symbols).
    path("verify/offline/", views.verify_offline, name="verify_offline"),
    path("verify/sw.js", views.verify_worker, name="verify_worker"),
    path("verify/<str:code>/", rate_limited("verify")(views.verify), name="verify"),
    # GET only and no cookies needed: exempt from CSRF so another method gets 405, not the CSRF page.
    path("api/v1/verify/<str:code>/", csrf_exempt(rate_limited("verify")(views.verify_json)), name="verify_json"),
    # Portable credentials (README "Portable credentials"): the issuer's DID document, each certificate's
    # Open Badges credential (public, like the verification page) and the revocation status lists.
    path(".well-known/did.json", views.did_document, name="did_document"),
    path("verify/<str:code>/credential.json", rate_limited("verify")(views.credential_json), name="credential_json"),
    path("credentials/status/<int:number>.json", views.status_list, name="status_list"),
    path("certificates/<int:pk>/credential.json", views.credential_download, name="credential_download"),
    path("my/certificates/", views.my_certificates, name="mine"),
    path("my/certificates/<int:pk>/renew/", views.renew, name="renew"),
    path("certificates/<int:pk>/pdf/", views.download, name="download"),
    path("certificates/bundles/course/<int:course_id>/", views.bundle_create, name="bundle_create"),
    path("certificates/bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("certificates/bundles/<int:pk>/download/", views.bundle_download, name="bundle_download"),
]
