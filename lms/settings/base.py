"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment
variables (see README "Configuration"); the defaults here are the safe local
ones. Environment-specific modules (dev, test, production) only adjust.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# A development key is only ever used with DEBUG on; production must bring its own.
DEVELOPMENT_ONLY_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string when DJANGO_DEBUG is off (for example: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = DEVELOPMENT_ONLY_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "courses",
    "certificates",
    "hr",
    "api",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_ratelimit",
    # The API (api/): OAuth 2.0 clients; "ninja" listed so its docs page is served from our static files, no CDN.
    "oauth2_provider",
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.audit.LogContextMiddleware",
    "lms.no_store.NoStoreMiddleware",  # HR pages, exports and certificate files: never stored (NIPs)
    "django.contrib.messages.middleware.MessageMiddleware",
    # Work that could not be queued (Redis down) gets a page saying so, not a 500 (lms/queueing.py).
    "lms.queueing.QueueUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.csp.PathAwareCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Shared page cache: a hit skips only the view (pages the same for every anonymous visitor).
    "lms.cache.SharedPageCacheMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: WAL lets readers go on
    # while one writes, IMMEDIATE transactions queue writers instead of failing
    # half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_learning"
LOGOUT_REDIRECT_URL = "/"

# Bahasa Indonesia first, English second. Source strings are Indonesian; the
# catalogues in locale/ are compiled by `make setup`/`make test` (see README).
# Dates follow lms/formats/ ("23 November 2026"); the Wagtail admin speaks the
# language each user picks in their account (Indonesian unless they choose).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("Bahasa Inggris"))]
# locale/wagtail/: Indonesian for the Wagtail admin strings Wagtail's own id_ID catalogue
# lacks or words differently (Wagtail's English msgids; tools/i18n.py leaves them out of fill-id).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
FORMAT_MODULE_PATH = ["lms.formats"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pimpasa",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work goes through the Django tasks API: the database backend on one
# machine (worker: `manage.py db_worker`), RQ when REDIS_URL and TASKS_BACKEND=rq.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be one of db, rq, immediate.")

# --- Logins, sessions, rate limits, content security (README "Roles and security") ---

# Behind a load balancer REMOTE_ADDR is the balancer; name how many proxies add
# X-Forwarded-For so lockouts and rate limits count the real client (lms.ratelimits.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Lockout (lms.accounts.LockoutHandler): AXES_FAILURE_LIMIT failed logins on an account lock
# that account for the address they came from only (locking it everywhere would let anyone
# lock out anyone); AXES_ADDRESS_FAILURE_LIMIT failures on any accounts lock the address.
# Both last AXES_COOLOFF_MINUTES; an admin unlocks earlier (Wagtail admin: Settings > Masuk terkunci).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "lms.accounts.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "lms.accounts.lockout_response"  # renders templates/lms/lockout.html
AXES_CLIENT_IP_CALLABLE = "lms.ratelimits.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Request budgets per rate-limit group, "count/period" (s, m, h, d); see lms/ratelimits.py.
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "10/m"),
    "verify": os.environ.get("RATE_LIMIT_VERIFY", "30/m"),
    # Forgotten-password requests: per client address, and per typed e-mail address.
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "10/h"),
    "password_reset_account": os.environ.get("RATE_LIMIT_PASSWORD_RESET_ACCOUNT", "3/h"),
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", default=True)
# When the cache cannot count (Redis down, lms/redis_cache.py), requests pass rather than every
# visitor getting 429: verification and login stay up during the outage, which is logged once;
# login lockouts (django-axes) live in the database and keep working.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "lms.ratelimits.client_ip"
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit only lists django-redis as supported; Django's own RedisCache
    # increments atomically (INCR) and is what REDIS_URL selects.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # Without Redis the counters live in each process: fine for one process (local use,
    # tests); a production with several workers sets REDIS_URL so the limits are shared.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lms.errors.csrf_failure"  # the site's page (templates/403_csrf.html), not Django's
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script anywhere on the site's own pages.
# The Wagtail admin gets the additions in CSP_ADMIN_ADDITIONS (lms/csp.py says why).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The officer app's service worker (/sw.js) and web app manifest, from our origin only (lms/pwa.py).
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
CSP_ADMIN_PREFIXES = ("/admin/",)
CSP_ADMIN_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:", "https:"],
    "frame-src": ["'self'", "https:"],
}
# Admin views whose responses the editor's preview panel frames (same origin only, lms/csp.py).
CSP_PREVIEW_URL_NAMES = ("preview_on_edit", "preview_on_add", "preview_on_create", "wagtailadmin_block_preview")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pimpasa LMS <noreply@pimpasa.example>")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Pimpasa LMS"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "mp4", "odt", "pdf", "pptx", "txt", "webm", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
# "Simpan untuk offline" (courses/offline.py): lesson documents and videos larger than this stay online only.
OFFLINE_DOCUMENT_MAX_BYTES = int(os.environ.get("OFFLINE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
# Images: common raster formats only (no SVG: it can carry script), bounded in bytes and pixels.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.uploads.ImageForm"  # undecodable images get a form error
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send a hash of each user's email to a third party (and its
# http:// images break under the CSP); the admin shows its plain default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "lms.admin_forms.AdminLoginForm"  # translatable field labels

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# In development WhiteNoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Certificates (certificates app) ---------------------------------------------
# The public origin printed on every certificate's QR code and verification link.
# Paper lives for years: set it once per deployment and never change it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
CERTIFICATES = {
    # Renders retried by the background task before giving up (the record stays intact).
    "RENDER_MAX_ATTEMPTS": int(os.environ.get("CERTIFICATE_RENDER_MAX_ATTEMPTS", "3")),
    "RENDER_RETRY_SECONDS": int(os.environ.get("CERTIFICATE_RENDER_RETRY_SECONDS", "60")),
    # A render asked for (or started) this long ago without a PDF is dead (its worker was killed):
    # `manage.py sweep_outdated_pdfs` asks again. Longer than RQ_JOB_TIMEOUT, the most a render may run.
    "RENDER_LEASE_SECONDS": int(os.environ.get("CERTIFICATE_RENDER_LEASE_SECONDS", "900")),
    # Seconds a verification answer is served from the cache (revocation and re-rendering clear it).
    "VERIFY_CACHE_SECONDS": int(os.environ.get("CERTIFICATE_VERIFY_CACHE_SECONDS", "3600")),
    # Days before expiry on which holders are reminded by email.
    "REMINDER_DAYS": (30, 7),
    # Bundles of up to this many certificates are built in the request; larger ones by the worker.
    "BUNDLE_SYNC_MAX": int(os.environ.get("CERTIFICATE_BUNDLE_SYNC_MAX", "25")),
}
# The PAdES signature on certificate PDFs (certificates/signing.py): a PKCS#12 file with the
# signing key and certificate, and its password. Unset: PDFs are not signed. `make run` uses the
# self-made demo key (`manage.py create_demo_signing_certificate`); README "Production" says more.
CERTIFICATE_SIGNING_P12 = os.environ.get("CERTIFICATE_SIGNING_P12", "").strip()
CERTIFICATE_SIGNING_P12_PASSWORD = os.environ.get("CERTIFICATE_SIGNING_P12_PASSWORD", "")
# The Ed25519 keys that sign portable credentials (Open Badges 3.0, status lists, QR tokens):
# a JSON key file (mode 0600) written by `manage.py create_credential_key`, or the same JSON text in
# CREDENTIAL_KEYS; never the database. Unset: no credentials are issued (development); production
# refuses to issue without one (CREDENTIALS_REQUIRED). README "Portable credentials".
CREDENTIAL_KEYS_FILE = os.environ.get("CREDENTIAL_KEYS_FILE", "").strip()
CREDENTIAL_KEYS = os.environ.get("CREDENTIAL_KEYS", "").strip()
CREDENTIALS_REQUIRED = env_bool("CREDENTIALS_REQUIRED", default=False)

# Hours of competency development (jam pelajaran, JP) each officer should earn in a calendar year:
# 20 for a civil servant (PP 11/2017 Pasal 203 ayat (4)). Shown on /hr/jp/ and on My learning.
JP_ANNUAL_TARGET = int(os.environ.get("JP_ANNUAL_TARGET", "20"))
if JP_ANNUAL_TARGET < 1:
    raise ImproperlyConfigured("JP_ANNUAL_TARGET must be 1 or more (jam pelajaran per year).")
# What the SIASN export writes in jenisKursusSertipikat for a course certificate (README: "SIASN").
SIASN_JENIS_KURSUS_SERTIPIKAT = os.environ.get("SIASN_JENIS_KURSUS_SERTIPIKAT", "Kursus")
# WeasyPrint logs every rendering step at INFO; keep the worker's log for what matters.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}

# --- HR workspace files ---------------------------------------------------------------
# Days that background exports, uploaded officer imports and print bundles stay in
# MEDIA_ROOT once finished; `manage.py cleanup_hr_files` (daily) deletes older ones
# and keeps their records as history. They hold NIPs and names: keep them no longer
# than people need to download them.
HR_FILE_RETENTION_DAYS = int(os.environ.get("HR_FILE_RETENTION_DAYS", "7"))
if HR_FILE_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("HR_FILE_RETENTION_DAYS must be 1 or more (days a finished file stays downloadable).")

# --- Integration API (api app, README "API") --------------------------------------------
# OAuth 2.0 client credentials only; client secrets are stored hashed (django-oauth-toolkit's default)
# and shown once when an admin registers a client. Each client may ask only for its own scopes.
# django-oauth-toolkit's models are swappable; migrations that point at them need the setting named.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.scopes.ApiClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.ApiOAuth2Validator",
    # OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored hashed, no implicit or password
    # grant, no tokens in query strings (only client credentials is used, but nothing else is left open).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("API_TOKEN_EXPIRE_SECONDS", "3600")),
}

# --- Integration API webhooks (api.webhooks; README "Webhooks") ---------------------------
WEBHOOKS = {
    # Tries per message before it is recorded as failed (an admin can still send it again).
    "MAX_ATTEMPTS": int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", "8")),
    # The wait after the 1st, 2nd, ... failed try, in seconds; the last one repeats.
    "RETRY_SCHEDULE_SECONDS": tuple(
        int(seconds) for seconds in os.environ.get("WEBHOOKS_RETRY_SCHEDULE_SECONDS", "60,300,1800,7200,21600,43200").split(",")
    ),
    # How long the receiver may take to answer one try.
    "TIMEOUT_SECONDS": float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10")),
    # A try taken by a worker holds its message this long (more than the timeout); after
    # that the worker is taken as dead and `manage.py sweep_webhook_deliveries` asks again.
    "SEND_LEASE_SECONDS": int(os.environ.get("WEBHOOKS_SEND_LEASE_SECONDS", "120")),
    # The sweep leaves a due message this long to the task that was queued for it.
    "SWEEP_GRACE_SECONDS": int(os.environ.get("WEBHOOKS_SWEEP_GRACE_SECONDS", "300")),
    # `manage.py emit_expired_certificates` emits certificates that expired at most this many days ago.
    "EXPIRED_LOOKBACK_DAYS": int(os.environ.get("WEBHOOKS_EXPIRED_LOOKBACK_DAYS", "7")),
    # Plain http:// to 127.0.0.1 / localhost receivers (development and tests only); else https only.
    "ALLOW_INSECURE_LOOPBACK": env_bool("WEBHOOKS_ALLOW_INSECURE_LOOPBACK", default=False),
    # After a secret is rotated, messages carry a second signature with the old secret for this
    # many hours, so a receiver can deploy the new one without refusing anything (0: none).
    "SECRET_GRACE_HOURS": int(os.environ.get("WEBHOOKS_SECRET_GRACE_HOURS", "24")),
}
if WEBHOOKS["MAX_ATTEMPTS"] < 1 or not WEBHOOKS["RETRY_SCHEDULE_SECONDS"]:
    raise ImproperlyConfigured("WEBHOOKS_MAX_ATTEMPTS must be 1 or more and WEBHOOKS_RETRY_SCHEDULE_SECONDS not empty.")
if WEBHOOKS["SECRET_GRACE_HOURS"] < 0:
    raise ImproperlyConfigured("WEBHOOKS_SECRET_GRACE_HOURS must be 0 or more.")
