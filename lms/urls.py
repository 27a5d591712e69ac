from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import accounts, pwa

# The site's own 500 page, which needs no database (lms/errors.py); 400, 403 and 404 are Django's
# handlers with templates/400.html, 403.html, 404.html.
handler500 = "lms.errors.server_error"

urlpatterns = [
    path("django-admin/login/", accounts.django_admin_login),
    path("django-admin/", admin.site.urls),
    # Wagtail's own login view, counted against the login budget (lms/ratelimits.py).
    path("admin/login/", accounts.admin_login),
    # Wagtail's reset form, rate-limited and mailing from the task worker (lms/password_reset.py).
    path("admin/password_reset/", accounts.admin_password_reset),
    path("admin/password_reset/confirm/<uidb64>/<token>/", accounts.admin_password_reset_confirm),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", pwa.LogoutView.as_view(), name="logout"),
    # The officer app on the phone (lms/pwa.py, README "Offline"): the worker at the root, so its scope is the site.
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.web_manifest, name="web_manifest"),
    path("offline/", pwa.offline_page, name="offline"),
    path("accounts/kata-sandi/", accounts.password_change, name="password_change"),
    path("accounts/kata-sandi/selesai/", accounts.password_change_done, name="password_change_done"),
    path("", include("courses.urls")),  # my/learning/
    path("accounts/", include("lms.account_urls")),
    path("hr/", include("hr.urls")),
    path("", include("certificates.urls")),  # before the API: /api/v1/verify/<code>/ is printed on paper
    path("api/v1/", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
