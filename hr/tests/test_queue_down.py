"""Work for the task worker while its queue (Redis) is unreachable: the user is told, nothing is half done."""

import pytest
import redis
from django.urls import reverse
from django_tasks.base import Task
from wagtail.models import PageLogEntry

from certificates.models import Certificate
from hr import exports
from hr.models import ExportJob, JobStatus
from hr.tests.builders import make_hr_user, make_world
from hr.tests.test_bulk_issue import completed
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_down(monkeypatch):
    def refused(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    # Called after the data is built: Wagtail queues tasks of its own when pages are published.
    return lambda: monkeypatch.setattr(Task, "enqueue", refused)


@pytest.fixture
def hr_client(client):
    client.force_login(make_hr_user())
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # queued on commit, in the request, as in production; restores the migrated rows a browser test's flush may have left empty
def test_a_background_export_is_recorded_failed_and_the_page_says_so(hr_client, queue_down, monkeypatch):
    make_world()
    queue_down()
    monkeypatch.setattr(exports, "XLSX_INLINE_LIMIT", 1)
    response = hr_client.get(reverse("hr:export_xlsx"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "Ekspor Excel tidak dapat diantrekan" in body and "could not be queued" in body
    assert ExportJob.objects.get().status == JobStatus.FAILED  # not pending for ever


def test_a_bulk_issue_issues_nothing_and_logs_nothing(hr_client, queue_down):
    world = make_world()
    completed(make_officer(office=world.bandung), world.course_a)
    before = Certificate.objects.count()
    queue_down()
    response = hr_client.post(reverse("hr:bulk_issue"), {"subjek": f"c{world.course_a.pk}"})
    assert response.status_code == 503
    assert "Antrean tugas latar belakang" in response.content.decode()
    assert Certificate.objects.count() == before
    assert not PageLogEntry.objects.filter(action="hr.bulk_issue").exists()
