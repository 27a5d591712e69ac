"""The committed service worker and page script (static/pwa/) are what `make pwa` builds
from tools/pwa/ today: rebuilt into a temporary folder with the locked esbuild and
Workbox (tools/pwa/node_modules, installed by `make npm`), byte for byte. Also their
weight: at most 30 KB compressed together, on a village phone's connection."""

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PWA = ROOT / "tools" / "pwa"
BUILT = ROOT / "static" / "pwa"
OUTPUTS = ("sw.js", "register.js")
BUDGET = 30 * 1024


def test_committed_build_is_what_the_sources_build(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to rebuild the service worker: run .ci/install-system-deps")
    if not (PWA / "node_modules" / "esbuild").exists():
        pytest.fail(f"{PWA}/node_modules is missing: run `make npm` (npm ci in tools/pwa)")
    subprocess.run([node, str(PWA / "build.mjs"), str(tmp_path)], check=True, cwd=PWA, timeout=120)
    for name in OUTPUTS:
        rebuilt, committed = (tmp_path / name).read_bytes(), (BUILT / name).read_bytes()
        assert rebuilt == committed, f"static/pwa/{name} is stale: run `make pwa` and commit it"


def test_worker_and_page_script_weigh_at_most_30_kb_compressed():
    total = sum(len(gzip.compress((BUILT / name).read_bytes(), 9)) for name in OUTPUTS)
    assert 0 < total <= BUDGET, f"{total} bytes compressed"
