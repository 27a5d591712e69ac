"""Test settings: fast hashing, a throw-away media folder, tasks run at once."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "django-insecure-test-only-key")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("TASKS_BACKEND", "immediate")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test gets its own MEDIA_ROOT from conftest.py; this is only the fallback.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "pimpasa-test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STATIC_ROOT = Path(tempfile.gettempdir()) / "pimpasa-test-static"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Unsigned unless a test configures a key (certificates/tests/test_signing.py), whatever the shell exported.
CERTIFICATE_SIGNING_P12 = ""
CERTIFICATE_SIGNING_P12_PASSWORD = ""
# The tests' webhook receivers listen on http://127.0.0.1.
WEBHOOKS["ALLOW_INSECURE_LOOPBACK"] = True  # noqa: F405
# No credential keys unless a test configures them (certificates/tests/test_credentials.py).
CREDENTIAL_KEYS_FILE = ""
CREDENTIAL_KEYS = ""
CREDENTIALS_REQUIRED = False
