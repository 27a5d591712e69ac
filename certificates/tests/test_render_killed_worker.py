"""A worker killed in the middle of a render: the PDF is rendered again, exactly once.

Real processes on PostgreSQL and Redis (DB 3, which it empties): an RQ worker whose
render never ends is killed with SIGKILL while rendering, which leaves its job in RQ's
started registry. `manage.py sweep_outdated_pdfs` leaves the render alone while its lease
runs, then two sweeps at once enqueue one new render, which a second worker (with
RQ's scheduler) stores. RQ's own cleanup of the abandoned job (moved to the failed
registry, no retry) renders nothing more. Runs in the PostgreSQL pass (marker `multiprocess`).
"""

import datetime
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.servers import (
    PYTHON,
    ROOT,
    Processes,
    collectstatic,
    database_url,
    empty_redis,
    production_env,
    wait_for_other_sessions_to_close,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEASE_SECONDS = 25  # longer than starting a management command on a busy machine

STUCK_WORKER = '''
import os, sys, time
sys.path.insert(0, os.environ["PIMPASA_ROOT"])
import django
django.setup()
from certificates import rendering

def never_ends(*args, **kwargs):
    with open(os.environ["RENDER_STARTED_MARKER"], "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(600)

rendering.render_certificate_pdf = never_ends
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--name", sys.argv[1]])
'''


@pytest.fixture
def redis_url():
    with empty_redis(os.environ.get("TEST_REDIS_URL_H3", "redis://127.0.0.1:6379/3")) as url:
        yield url


def manage(env, *args) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_for(condition, *, timeout: float, what: str, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{logs()[-4000:]}")


def test_a_render_killed_midway_is_rendered_again_exactly_once(catalog, officer, redis_url, tmp_path):
    course = make_course(catalog=catalog, title="Kursus Pekerja Terhenti")
    with transaction.atomic():  # issued (its serial counter locked), its PDF not rendered yet
        certificate = make_certificate(holder=officer, course=course)
    marker = tmp_path / "render-started"
    env = production_env(
        database_url=database_url(),
        redis_url=redis_url,
        media_root=tmp_path / "media",
        static_root=tmp_path / "static",
        CERTIFICATE_RENDER_LEASE_SECONDS=LEASE_SECONDS,
        RENDER_STARTED_MARKER=marker,
        PIMPASA_ROOT=ROOT,
    )
    collectstatic(env)
    script = tmp_path / "stuck_worker.py"
    script.write_text(STUCK_WORKER)
    processes = Processes(tmp_path / "logs")
    logs = lambda: processes.log("stuck") + processes.log("worker")  # noqa: E731
    renders = lambda: ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.render").count()  # noqa: E731
    try:
        stuck = processes.start("stuck", [PYTHON, str(script), f"stuck-{os.getpid()}"], env)
        assert "Enqueued 1 " in manage(env, "sweep_outdated_pdfs")  # never asked for: asked now
        wait_for(lambda: marker.exists() and marker.read_text(), timeout=120, what="the render to start", logs=logs)

        # The machine dies mid-render: the worker and its work horse (RQ puts it in a session of its own).
        horse = int(marker.read_text())
        os.killpg(stuck.pid, signal.SIGKILL)
        os.kill(horse, signal.SIGKILL)
        stuck.wait(timeout=10)
        import redis
        from rq.registry import StartedJobRegistry

        started = StartedJobRegistry("default", connection=redis.Redis.from_url(redis_url))
        assert len(started.get_job_ids(cleanup=False)) == 1  # RQ still thinks it runs
        certificate.refresh_from_db()
        assert not certificate.pdf and certificate.render_task_id

        # While the lease runs, the render may still be alive: nothing is asked.
        assert "Enqueued 0 " in manage(env, "sweep_outdated_pdfs")

        certificate.refresh_from_db()
        time.sleep(max(0.0, (certificate.render_requested_at + datetime.timedelta(seconds=LEASE_SECONDS + 1)
                             - timezone.now()).total_seconds()))
        with ThreadPoolExecutor(2) as pool:  # two machines' cron at the same moment
            outputs = list(pool.map(lambda _: manage(env, "sweep_outdated_pdfs"), range(2)))
        assert sorted(outputs) == ["Enqueued 0 certificate render(s).\n", "Enqueued 1 certificate render(s).\n"]

        processes.rqworker("worker", env=env)
        wait_for(lambda: Certificate.objects.filter(pk=certificate.pk, rendered_at__isnull=False).exists(),
                 timeout=180, what="the new render", logs=logs)
        certificate.refresh_from_db()
        assert (Path(env["MEDIA_ROOT"]) / certificate.pdf.name).read_bytes().startswith(b"%PDF")
        assert certificate.render_requested_at is None and renders() == 1

        # RQ's maintenance, when it gets to the abandoned job, fails it without a retry; nothing renders again.
        manage(env, "shell", "-c", (
            "import time, django_rq; from rq.registry import StartedJobRegistry; "
            "StartedJobRegistry(queue=django_rq.get_queue('default')).cleanup(time.time() + 3600)"
        ))
        failed = django_failed_count(redis_url)
        assert failed == 1
        assert "Enqueued 0 " in manage(env, "sweep_outdated_pdfs")
        time.sleep(3)
        assert renders() == 1
    finally:
        if marker.exists() and marker.read_text():
            try:
                os.kill(int(marker.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
        processes.stop()
        wait_for_other_sessions_to_close()


def django_failed_count(redis_url: str) -> int:
    import redis
    from rq.registry import FailedJobRegistry

    return len(FailedJobRegistry("default", connection=redis.Redis.from_url(redis_url)).get_job_ids())
