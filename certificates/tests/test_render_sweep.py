"""A PDF that is missing or outdated with no live render is asked for again, exactly once.

`manage.py sweep_outdated_pdfs` covers a render whose worker was killed (RQ: see
tests/test_multiprocess.py; database backend: a task left RUNNING), and a render
that could not be queued because Redis was down."""

import datetime
from io import StringIO

import pytest
import redis
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates import services
from certificates.models import Certificate
from certificates.services import certificate_issue, certificates_render_sweep
from certificates.subjects import Subject
from certificates.tasks import render_certificate
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course

pytestmark = pytest.mark.django_db

LEASE = 900
NOW = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, title="Paspor", slug="paspor")


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CERTIFICATES = {**settings.CERTIFICATES, "RENDER_LEASE_SECONDS": LEASE}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CERTIFICATES = {**settings.CERTIFICATES, "RENDER_LEASE_SECONDS": LEASE}


def renders_enqueued(backend) -> list:
    return [result for result in backend.results if result.task.name == "render_certificate"]


def test_the_sweep_asks_once_for_a_missing_pdf_however_often_it_runs(dummy_tasks, course, officer):
    certificate = make_certificate(holder=officer, course=course)
    with time_machine.travel(NOW, tick=False):
        assert certificates_render_sweep() == 1
        assert certificates_render_sweep() == 0
        out = StringIO()
        call_command("sweep_outdated_pdfs", stdout=out)
    assert "Enqueued 0" in out.getvalue()
    (result,) = renders_enqueued(dummy_tasks)
    assert result.args == [certificate.pk]
    certificate.refresh_from_db()
    assert certificate.render_requested_at == NOW and certificate.render_task_id == result.id


def test_a_render_asked_for_recently_is_live_until_its_lease_runs_out(dummy_tasks, course, officer):
    certificate = make_certificate(holder=officer, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(render_requested_at=NOW, pdf_outdated=True)
    with time_machine.travel(NOW + datetime.timedelta(seconds=LEASE - 1), tick=False):
        assert certificates_render_sweep() == 0
    with time_machine.travel(NOW + datetime.timedelta(seconds=LEASE + 1), tick=False):
        assert certificates_render_sweep() == 1
        assert certificates_render_sweep() == 0
    assert len(renders_enqueued(dummy_tasks)) == 1


def test_a_current_pdf_is_never_swept(dummy_tasks, course, officer):
    certificate = make_certificate(holder=officer, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="certificates/2026/a.pdf", pdf_outdated=False)
    assert certificates_render_sweep() == 0
    assert renders_enqueued(dummy_tasks) == []


def test_two_sweeps_that_read_the_same_row_claim_it_once(dummy_tasks, course, officer):
    certificate = make_certificate(holder=officer, course=course)
    held_since = Certificate.objects.get(pk=certificate.pk).render_requested_at  # both read "no lease"
    assert services._render_claim(certificate.pk, held_since=held_since) is True
    assert services._render_claim(certificate.pk, held_since=held_since) is False


def test_a_task_left_running_by_a_killed_db_worker_is_asked_for_again_exactly_once(
    db_tasks, course, officer, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(user=officer, subject=Subject.of(course))
    certificate.refresh_from_db()
    first = DBTaskResult.objects.get(id=certificate.render_task_id)
    assert first.status == TaskResultStatus.READY and certificate.render_requested_at == NOW

    # A long queue outlasts the lease: a task still waiting is live, nothing more is asked.
    with time_machine.travel(NOW + datetime.timedelta(seconds=LEASE * 3), tick=False):
        assert certificates_render_sweep() == 0

    # db_worker takes it, the render starts (renewing the lease), and the worker is killed.
    started = NOW + datetime.timedelta(seconds=LEASE * 3)
    with time_machine.travel(started, tick=False):
        first.claim(worker_id="db-worker-killed")
        services.certificate_render_started(certificate_id=certificate.pk)
    with time_machine.travel(started + datetime.timedelta(seconds=LEASE - 1), tick=False):
        assert certificates_render_sweep() == 0  # it may still be rendering
    with time_machine.travel(started + datetime.timedelta(seconds=LEASE + 1), tick=False):
        assert certificates_render_sweep() == 1
        assert certificates_render_sweep() == 0
    second = DBTaskResult.objects.filter(task_path=first.task_path).exclude(id=first.id).get()
    assert second.status == TaskResultStatus.READY and second.args_kwargs["args"] == [certificate.pk]
    certificate.refresh_from_db()
    assert certificate.render_task_id == str(second.id)

    # The new task renders it (as db_worker would) and the lease is released.
    render_certificate.call(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf_ready and certificate.render_requested_at is None
    assert certificates_render_sweep() == 0


def test_issuing_while_the_queue_is_down_leaves_the_pdf_to_the_sweep(
    course, officer, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def refused(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(type(render_certificate), "enqueue", refused)
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(user=officer, subject=Subject.of(course))  # no exception: the record stands
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.render_requested_at is None
    assert "Could not enqueue" in caplog.text

    assert certificates_render_sweep() == 1  # the queue is back (immediate backend: renders at once)
    certificate.refresh_from_db()
    assert certificate.pdf_ready


def test_the_sweep_command_says_when_the_queue_is_down(course, officer, monkeypatch):
    from django.core.management.base import CommandError

    make_certificate(holder=officer, course=course)

    def refused(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused.")

    monkeypatch.setattr(type(render_certificate), "enqueue", refused)
    with pytest.raises(CommandError, match="cannot be reached"):
        call_command("sweep_outdated_pdfs", stdout=StringIO())
    assert Certificate.objects.get().render_requested_at is None  # still wanted, without a lease
