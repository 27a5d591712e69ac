"""The production server with Redis unreachable (REDIS_URL at a closed port): the site stays up.

Pages come from the database, logins and sessions work from the database, the verification
page and API answer, a certificate download says the PDF is being prepared (its render is
left to `sweep_outdated_pdfs`), and the outage is logged once, not per request. A real
gunicorn on PostgreSQL (marker `multiprocess`: the PostgreSQL pass)."""

import os
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import transaction

from certificates.models import Certificate
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.servers import (
    FORWARDED,
    Browser,
    Processes,
    collectstatic,
    database_url,
    free_ports,
    production_env,
    wait_for_other_sessions_to_close,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Sandi-Uji-Redis-Mati-2026"


def test_the_site_answers_from_the_database_while_redis_is_unreachable(catalog, officer, tmp_path):
    course = make_course(catalog=catalog, title="Kursus Tanpa Redis", modules=1)
    with transaction.atomic():
        certificate = make_certificate(holder=officer, course=course)
    password_hash = PBKDF2PasswordHasher().encode(PASSWORD, "redisoutagesalt")
    User.objects.filter(pk=officer.pk).update(password=password_hash)
    admin = User.objects.create(username="admin-redis-mati", is_superuser=True, is_staff=True, password=password_hash)

    closed = free_ports(1, 6390)[0]
    env = production_env(
        database_url=database_url(),
        redis_url=f"redis://127.0.0.1:{closed}/3",
        media_root=tmp_path / "media",
        static_root=tmp_path / "static",
        GUNICORN_ACCESS_LOG="-",
    )
    collectstatic(env, only_project=False)  # the admin login page too
    processes = Processes(tmp_path / "logs")
    try:
        port = free_ports(1, int(os.environ.get("TEST_SERVER_PORT", "8531")))[0]
        base = processes.gunicorn("web", port=port, env=env, workers=1, threads=2)
        processes.wait_until_serving(base)

        visitor = Browser()
        for path in ("/", catalog.url, course.url, f"/verify/{certificate.code}/", "/verify/",
                     f"/api/v1/verify/{certificate.code}/", "/accounts/login/", "/admin/login/"):
            for _ in range(2):
                response = visitor.get(base, path)
                assert response.status_code == 200, (path, response.status_code, processes.log("web")[-3000:])
        assert visitor.client.get(base + f"/api/v1/verify/{certificate.code}/", headers=FORWARDED).json()["status"]

        officer_browser = Browser()
        officer_browser.login(base, officer.username, PASSWORD)  # session written to PostgreSQL only
        assert officer_browser.get(base, "/my/learning/").status_code == 200
        assert officer_browser.get(base, "/my/certificates/").status_code == 200
        download = officer_browser.get(base, f"/certificates/{certificate.pk}/pdf/")
        assert download.status_code == 202, download.text[:500]  # "being prepared"; the sweep asks later
        assert Certificate.objects.get(pk=certificate.pk).render_requested_at is None

        admin_browser = Browser()
        assert admin_browser.get(base, "/admin/login/").status_code == 200
        response = admin_browser.post(base, "/admin/login/", {"username": admin.username, "password": PASSWORD})
        assert response.status_code == 302, response.text[:500]
        assert admin_browser.get(base, "/admin/").status_code == 200

        time.sleep(0.5)
        log = processes.log("web")
        assert log.count("Cache unreachable") == 1, log[-4000:]  # one worker process, one outage, one line
        assert '" 500 ' not in log and "Traceback" not in log, log[-4000:]
    finally:
        processes.stop()
        wait_for_other_sessions_to_close()
