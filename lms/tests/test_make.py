"""The two promised commands: `make run` needs only Python and make; `make test` installs what the tests need.

`make -n` prints what a target would run without running it.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def planned(*args) -> list[str]:
    result = subprocess.run(
        ["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_test_installs_the_system_packages_before_npm_and_the_tests():
    lines = planned("test")
    installer = lines.index(".ci/install-system-deps")
    npm = next(n for n, line in enumerate(lines) if "npm ci" in line)
    pytest_run = next(n for n, line in enumerate(lines) if "-m pytest" in line and not line.startswith("echo"))
    assert installer < npm < pytest_run


def test_make_run_installs_no_system_packages():
    lines = planned("run")
    assert not any("install-system-deps" in line or "apt-get" in line or "npm" in line for line in lines)
    assert any("manage.py runserver" in line for line in lines)


def test_the_installer_knows_every_tool_the_tests_use():
    script = (ROOT / ".ci" / "install-system-deps").read_text()
    for path in ("/usr/bin/chromium", "/usr/bin/xgettext", "/usr/bin/npm", "/usr/bin/soffice"):
        assert path in script
    assert "libreoffice-calc-nogui" in script
