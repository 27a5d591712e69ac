"""The officer app on the phone (README "Offline"): web app manifest, service worker, logout that clears it.

The worker and the page script are built by `make pwa` from tools/pwa/ (Workbox +
esbuild, locked by tools/pwa/package-lock.json) into static/pwa/, committed, so
`make run` needs neither node nor npm. The worker is served here at /sw.js, not
from /static/, so that its scope is the whole site: officer pages under /my/,
course pages under the catalogue's path, /accounts/... It registers itself from
officer pages only (templates/base.html; templates/hr/base_hr.html turns it off)
and never routes /admin/, /hr/ or /django-admin/ (tools/pwa/src/sw.js).

What a phone keeps and for whom: only what the officer saves with "Simpan untuk
offline", in Cache Storage caches named after `offline_key(user)`, a keyed hash
of the user that their pages carry; the worker answers from them only when the
network fails. Logging out sends `Clear-Site-Data: "cache", "storage"` (Chromium:
HTTP cache, Cache Storage, IndexedDB, service workers of this origin) and the page
script deletes the caches before sending the logout form, for browsers without it.
"""

from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

WORKER_STATIC_PATH = "pwa/sw.js"
THEME_COLOUR = "#1d4f91"  # --brand in static/css/lms.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg
ICONS = (
    ("pwa/icons/icon-192.png", "192x192", "any"),
    ("pwa/icons/icon-512.png", "512x512", "any"),
    ("pwa/icons/maskable-192.png", "192x192", "maskable"),
    ("pwa/icons/maskable-512.png", "512x512", "maskable"),
)


def offline_key(user) -> str:
    """The officer's name for their caches on a phone: a keyed hash, no id or name in clear."""
    return salted_hmac("lms.pwa.offline_key", str(user.pk), algorithm="sha256").hexdigest()[:20]


def _worker_source() -> bytes:
    path = finders.find(WORKER_STATIC_PATH)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(WORKER_STATIC_PATH):
        with staticfiles_storage.open(WORKER_STATIC_PATH) as handle:
            return handle.read()
    raise Http404("service worker not built (make pwa)")


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js: the built worker, revalidated on every check so an update reaches phones at once."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def web_manifest(request):
    manifest = {
        "name": _("Pimpasa LMS — Pelatihan daring Petugas Imigrasi Pembina Desa"),
        "short_name": "Pimpasa",
        "description": _("Belajar di desa, juga tanpa sinyal: simpan kursus untuk dibaca offline."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("my_learning"),
        "scope": "/",
        "id": reverse("my_learning"),
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose} for path, sizes, purpose in ICONS],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def offline_page(request):
    """What the worker shows, offline, for a page not saved or a step that needs the server (a quiz)."""
    return render(request, "lms/offline.html")


class LogoutView(auth_views.LogoutView):
    """Django's logout, telling the browser to drop every cache and storage of this site."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
