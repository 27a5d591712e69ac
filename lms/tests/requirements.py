"""Tests that need a service or tool this machine may lack (Redis, GNU gettext).

On a developer's machine without it they skip and say what is missing; under CI
(`CI` set, as `.ci/run` runs) the service is provided, so a missing one fails the
run instead of silently checking nothing.
"""

import os

import pytest


def missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {what} (see .ci/run and .ci/install-system-deps)")
    pytest.skip(f"needs {what}")
