"""Local development: DEBUG on unless DJANGO_DEBUG says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402,F403

# Local webhook receivers (http://127.0.0.1:...) may be subscribed while developing.
WEBHOOKS["ALLOW_INSECURE_LOOPBACK"] = True  # noqa: F405
