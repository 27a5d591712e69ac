import pytest
from django.core.cache import cache

from courses.tests.builders import make_catalog
from lms.tests.factories import make_officer


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def officer(db):
    return make_officer()


@pytest.fixture
def other_officer(db):
    return make_officer()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` exercise row locks and truly concurrent transactions,
    which SQLite cannot offer; they run in the PostgreSQL pass of CI (`.ci/run`)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    selected, deselected = [], []
    for item in items:
        needs_postgres = item.get_closest_marker("postgres") or item.get_closest_marker("multiprocess")
        (deselected if needs_postgres else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
