"""Real-browser tests: Playwright for Python driving Debian's Chromium against a
live server filled with the demo data (`seed_demo`).

Run alone with `make e2e` (or `pytest -m e2e`); `make test` runs them too.
Screenshots of every step land in test-artifacts/e2e/<test>/ (git-ignored).
How to add a scenario or a page type: tests/e2e/README.md.
"""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.harness import ARTIFACTS, AXE_JS, CHROMIUM, CHROMIUM_ARGS, PHONE, Demo, Shots

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse the ORM calls the tests make to set up data. Nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser test (Playwright + Chromium); `make e2e` runs only these")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder is an e2e test on a live server: marked `e2e`, and
    on a database the server thread sees (committed, flushed after each test;
    serialized_rollback restores what the migrations created for the tests after)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


_browser = {}


def pytest_collection_finish(session):
    """Start Chromium before any test touches the database. Starting Playwright
    gives this thread a new context, and Django keeps its connections per context:
    started in the middle of the session, it would hand later tests a fresh
    connection object without the snapshot serialized_rollback restores from."""
    if not any(item.get_closest_marker("e2e") for item in session.items):
        return
    if not Path(CHROMIUM).exists():
        _browser["error"] = f"{CHROMIUM} is missing: run .ci/install-system-deps (apt-get install chromium)"
        return
    from playwright.sync_api import sync_playwright

    _browser["playwright"] = sync_playwright().start()
    _browser["browser"] = _browser["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def pytest_sessionfinish(session):
    if "browser" in _browser:
        _browser.pop("browser").close()
        _browser.pop("playwright").stop()


@pytest.fixture(scope="session")
def browser():
    if "error" in _browser:
        pytest.fail(_browser["error"])
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make npm` (npm ci in tools/a11y)")
    return _browser["browser"]


@pytest.fixture
def demo(live_server) -> Demo:
    from demo.seed import seed_demo

    seed_demo()
    return Demo(base_url=live_server.url)


@pytest.fixture
def shots(request) -> Shots:
    return Shots(ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name))


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser profiles (no cookies): `new_page(locale=..., viewport=...)`.
    Indonesian and phone-sized unless asked otherwise. JavaScript errors fail the test."""
    contexts, errors = [], []

    def open_page(*, locale="id-ID", viewport=PHONE):
        context = browser.new_context(locale=locale, viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors:\n" + "\n".join(errors)


@pytest.fixture
def page(new_page):
    return new_page()
