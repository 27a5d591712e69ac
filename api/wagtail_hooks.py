"""Admin wiring of the API: audit actions (api/audit.py registers them on import)."""

from api import audit  # noqa: F401
