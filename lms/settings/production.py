"""Production: DEBUG off, SECRET_KEY from the environment, hardened transport."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_DEBUG", "0")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from lms.pkcs12 import Pkcs12Error, load_pkcs12  # noqa: E402

from .base import *  # noqa: E402,F403

# --- The address printed on every certificate (QR code and link). Paper lives for
# years, so production never falls back to a development address: it refuses to
# start without an https PUBLIC_BASE_URL, as it does without SECRET_KEY.
_public_base_url = os.environ.get("PUBLIC_BASE_URL", "").strip()
_parts = urlsplit(_public_base_url)
if _parts.scheme != "https" or not _parts.hostname or _parts.query or _parts.fragment:
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL must be the public https:// address of this deployment, e.g. "
        "https://lms.example.go.id: certificates print it in their QR code and verification link. "
        + (f"Got {_public_base_url!r}." if _public_base_url else "It is not set.")
    )
PUBLIC_BASE_URL = _public_base_url.rstrip("/")
if not os.environ.get("SITE_URL"):
    WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL  # the admin's links in emails, unless SITE_URL names another

# --- The key that signs certificate PDFs (optional). Configured but unreadable is a
# deployment mistake: refuse to start, rather than render unsigned PDFs or fail each render.
if CERTIFICATE_SIGNING_P12:  # noqa: F405
    try:
        load_pkcs12(CERTIFICATE_SIGNING_P12, CERTIFICATE_SIGNING_P12_PASSWORD)  # noqa: F405
    except Pkcs12Error as error:
        raise ImproperlyConfigured(
            f"CERTIFICATE_SIGNING_P12 is set, but the signing key cannot be loaded: {error}. "
            "Fix the path or CERTIFICATE_SIGNING_P12_PASSWORD, or unset CERTIFICATE_SIGNING_P12 "
            "to issue unsigned PDFs."
        ) from None

# --- The keys that sign portable credentials (certificates/credentials/keys.py): issuing a
# certificate without one fails with a message saying how to create it, rather than handing out
# certificates no other agency can verify offline.
CREDENTIALS_REQUIRED = env_bool("CREDENTIALS_REQUIRED", default=True)  # noqa: F405

# --- Static files: hashed names (cache forever) and pre-compressed copies, both
# written by `collectstatic`; WhiteNoise serves them with far-future headers.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# --- Database: one persistent connection per worker thread, checked before reuse
# (a new connection per request made a bare page 3.3 times slower).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)  # noqa: F405

# --- Cache and sessions: Redis shared by every app server (REDIS_URL); sessions
# live in the cache and fall back to the database, so a Redis restart logs no one out.
# The cache fails open (lms/redis_cache.py): with Redis down, pages and sessions come from
# the database and the outage is logged once.
if REDIS_URL:  # noqa: F405
    CACHES["default"].update(  # noqa: F405
        TIMEOUT=int(os.environ.get("CACHE_TIMEOUT", "600")),
        OPTIONS={"socket_connect_timeout": 2, "socket_timeout": 2},
    )
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background tasks: RQ (Redis) when REDIS_URL is set; start workers with
# `make rqworker`. Every queue a task may name must be listed here.
if TASKS_BACKEND == "rq":  # noqa: F405
    RQ_QUEUES = {  # noqa: F405
        # A bounded connect: a request that enqueues while Redis is unreachable is told so in
        # seconds (lms/queueing.py), instead of waiting for the operating system's TCP timeout.
        name: {
            "URL": REDIS_URL + ("&" if "?" in REDIS_URL else "?") + "socket_connect_timeout=2",  # noqa: F405
            "DEFAULT_TIMEOUT": int(os.environ.get("RQ_JOB_TIMEOUT", "600")),
        }
        for name in TASKS["default"]["QUEUES"]  # noqa: F405
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# X-Forwarded-For is trusted only when TRUSTED_PROXY_COUNT says how many of our own proxies
# append to it (base.py reads it, default 0): trusting it by default let anyone reaching
# gunicorn directly pick a fresh address per request and walk past lockouts and rate limits.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
