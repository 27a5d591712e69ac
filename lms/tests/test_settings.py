"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(settings_module: str, **env) -> subprocess.CompletedProcess:
    harness = {"SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "PUBLIC_BASE_URL", "SITE_URL"}
    clean = {key: value for key, value in os.environ.items() if key not in harness}
    clean.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_fails_with_a_clear_message():
    result = run_check("lms.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_without_secret_key_fails_even_in_dev_settings():
    result = run_check("lms.settings.dev", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


PRODUCTION_SECRET = "a-long-random-production-secret-for-this-test-only-0123456789"


def test_production_starts_with_secret_key_hosts_and_an_https_base_url():
    result = run_check(
        "lms.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="pimpasa.example.go.id",
        PUBLIC_BASE_URL="https://localhost",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "value",
    [None, "", "http://127.0.0.1:8000", "127.0.0.1:8000", "https://", "https://localhost/?x=1"],
    ids=["missing", "empty", "http", "no-scheme", "no-host", "query"],
)
def test_production_without_an_https_public_base_url_fails_with_a_clear_message(value):
    """Certificates print PUBLIC_BASE_URL on paper: production never falls back to a development address."""
    env = {"SECRET_KEY": PRODUCTION_SECRET, "ALLOWED_HOSTS": "localhost"}
    if value is not None:
        env["PUBLIC_BASE_URL"] = value
    result = run_check("lms.settings.production", **env)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must be the public https:// address of this deployment" in result.stderr


def test_production_prints_the_configured_base_url_and_the_admin_links_follow_it():
    code = "from django.conf import settings; print(settings.PUBLIC_BASE_URL, settings.WAGTAILADMIN_BASE_URL)"
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "SITE_URL", "DJANGO_DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY=PRODUCTION_SECRET,
               PUBLIC_BASE_URL="https://localhost:8443/")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["https://localhost:8443", "https://localhost:8443"], result.stderr


def test_a_malformed_debug_flag_is_refused():
    result = run_check("lms.settings.dev", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_database_url_selects_the_database(tmp_path):
    db_file = tmp_path / "custom.sqlite3"
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", DATABASE_URL=f"sqlite:///{db_file}")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == str(db_file)


def test_hr_file_retention_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.HR_FILE_RETENTION_DAYS)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "HR_FILE_RETENTION_DAYS": "30"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == "30", result.stderr


def test_an_hr_file_retention_below_one_day_is_refused():
    result = run_check("lms.settings.dev", HR_FILE_RETENTION_DAYS="0")
    assert result.returncode != 0
    assert "HR_FILE_RETENTION_DAYS must be 1 or more" in result.stderr
