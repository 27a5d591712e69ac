"""Nothing assumes one process: two app servers and two RQ workers on one PostgreSQL and Redis.

Several officers take a quiz and finish a course, every step of it sent to
one server or the other, the final steps (submit the quiz, mark the last
module done) to both servers at the same moment, as a double tap behind a
load balancer would. Every certificate must be issued once and its PDF
rendered once, by whichever worker took the job.

Runs in the PostgreSQL pass (marker `multiprocess`); skipped when Redis is not
reachable at $TEST_REDIS_URL (default redis://127.0.0.1:6379/5, whose
database it empties).
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.models import AttemptAnswer, Enrollment, QuizAttempt
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import make_officer
from lms.tests.servers import (
    Browser,
    Processes,
    collectstatic,
    database_url,
    empty_redis,
    free_ports,
    production_env,
    wait_for_other_sessions_to_close,
)

# serialized_rollback: starts from (and leaves behind) what the migrations created, like the other
# transactional tests; a plain flush would re-create content types the next one restores again.
pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OFFICERS = 6
PASSWORD = "Sandi-Uji-Banyak-Proses-1"
DEADLINE_SECONDS = 240


@pytest.fixture
def redis_url():
    with empty_redis(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")) as url:
        yield url


def officer_flow(browser: Browser, servers: list[str], *, username, urls: dict, questions):
    """One officer, start to finish; each step on the other server, the last two on both at once.

    Runs in a thread: it only speaks HTTP (URLs are worked out beforehand), so it
    opens no database connection of its own that would outlive the test."""
    a, b = servers
    browser.login(a, username, PASSWORD)
    assert browser.post(b, urls["course"] + "daftar/", {}).status_code == 302
    assert browser.get(a, urls["quiz"]).status_code == 200
    started = browser.post(b, urls["quiz"] + "kuis/", {})
    assert started.status_code == 302, started.text[:300]
    attempt_path = started.headers["location"]
    assert browser.get(a, attempt_path).status_code == 200
    answers = {f"q{n}": "0" for n in range(1, questions + 1)}
    with ThreadPoolExecutor(2) as pool:
        submits = list(pool.map(lambda server: browser.post(server, attempt_path, answers), servers))
    assert [r.status_code for r in submits] == [302, 302], [r.text[:300] for r in submits]
    assert browser.get(b, urls["last"]).status_code == 200
    with ThreadPoolExecutor(2) as pool:
        completes = list(pool.map(lambda server: browser.post(server, urls["last"] + "selesai/", {}), servers))
    assert all(r.status_code == 302 for r in completes), [(r.status_code, r.text[:400]) for r in completes]


def test_two_servers_two_workers_issue_and_render_each_certificate_once(catalog, redis_url, tmp_path):
    started_at = time.monotonic()
    course = make_course(catalog=catalog, title="Kursus Multi Proses", validity_months=24)
    quiz_module = make_module(course=course, title="Kuis", questions=quiz_questions(3))
    last_module = make_module(course=course, title="Penutup")
    password_hash = PBKDF2PasswordHasher().encode(PASSWORD, "multiprocesssalt")  # what production checks
    officers = [make_officer() for _ in range(OFFICERS)]
    for officer in officers:
        officer.password = password_hash
        officer.save(update_fields=["password"])

    env = production_env(
        database_url=database_url(),
        redis_url=redis_url,
        media_root=tmp_path / "media",
        static_root=tmp_path / "static",
        CERTIFICATE_RENDER_RETRY_SECONDS=2,
        GUNICORN_ACCESS_LOG="-",
    )
    collectstatic(env)
    processes = Processes(tmp_path / "logs")
    try:
        ports = free_ports(2, int(os.environ.get("TEST_SERVER_PORT", "8511")))
        servers = [processes.gunicorn(f"web{i}", port=port, env=env) for i, port in enumerate(ports)]
        processes.rqworker("worker0", env=env)
        processes.rqworker("worker1", env=env)
        for server in servers:
            processes.wait_until_serving(server)

        # Officers in parallel; officer i starts on server i % 2.
        urls = {"course": course.url, "quiz": quiz_module.url, "last": last_module.url}
        usernames = [officer.username for officer in officers]

        def run(index):
            order = servers if index % 2 == 0 else servers[::-1]
            officer_flow(Browser(), order, username=usernames[index], urls=urls, questions=3)

        with ThreadPoolExecutor(OFFICERS) as pool:
            list(pool.map(run, range(OFFICERS)))

        # Issued once each, in the request that completed the course.
        for officer in officers:
            attempts = QuizAttempt.objects.filter(user=officer, module=quiz_module)
            assert attempts.count() == 1 and attempts.get().passed
            assert AttemptAnswer.objects.filter(attempt__in=attempts).count() == 3
            assert Enrollment.objects.get(user=officer, course=course).completed_at is not None
        certificates = Certificate.objects.filter(course=course)
        assert sorted(certificates.values_list("holder_id", flat=True)) == sorted(o.pk for o in officers)

        # Rendered once each, by the workers, within the time limit.
        while time.monotonic() - started_at < DEADLINE_SECONDS:
            if not certificates.filter(rendered_at__isnull=True).exists():
                break
            time.sleep(1)
        logs = "\n".join(processes.log(f"worker{i}") for i in range(2))
        assert not certificates.filter(rendered_at__isnull=True).exists(), logs[-4000:]
        for certificate in certificates:
            assert certificate.pdf and (Path(env["MEDIA_ROOT"]) / certificate.pdf.name).read_bytes().startswith(b"%PDF")
            renders = ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.render")
            issues = ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.issue")
            assert (renders.count(), issues.count()) == (1, 1)

        # Both servers and both workers took part.
        for i in range(2):
            assert "POST" in processes.log(f"web{i}")
        assert "render_certificate" in logs or "Job OK" in logs
    finally:
        processes.stop()
        wait_for_other_sessions_to_close()
