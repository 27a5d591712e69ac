"""HR issues the certificates officers earned but have not received, in the background."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from certificates.models import Certificate
from courses.models import Enrollment
from courses.services import enrollment_create
from hr.tests.builders import make_hr_user, make_world
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db


def completed(officer, course):
    enrollment_create(user=officer, course=course)
    Enrollment.objects.filter(user=officer, course=course).update(completed_at="2026-11-01T08:00:00+07:00")


@pytest.fixture
def world():
    return make_world()


def test_hr_issues_course_certificates_to_officers_who_completed_without_one(
    client, world, django_capture_on_commit_callbacks
):
    waiting = [make_officer(office=world.bandung), make_officer(office=world.medan)]
    for officer in [*waiting, world.budi]:  # Budi already holds a valid certificate for course A
        completed(officer, world.course_a)
    not_done = make_officer(office=world.bandung)
    enrollment_create(user=not_done, course=world.course_a)
    hr = make_hr_user()
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hr:bulk_issue"), {"subjek": f"c{world.course_a.pk}"}, follow=True)

    assert "2 sertifikat diantrekan" in response.content.decode()
    issued = Certificate.objects.filter(course=world.course_a, holder__in=waiting)
    assert issued.count() == 2
    assert Certificate.objects.filter(course=world.course_a, holder=world.budi).count() == 1
    assert not Certificate.objects.filter(holder=not_done).exists()
    entry = PageLogEntry.objects.get(action="hr.bulk_issue")
    assert entry.user == hr and entry.data["officers"] == 2

    # Nothing is waiting any more: a second click issues nothing.
    response = client.post(reverse("hr:bulk_issue"), {"subjek": f"c{world.course_a.pk}"}, follow=True)
    assert "Tidak ada petugas yang menunggu" in response.content.decode()
    assert Certificate.objects.filter(course=world.course_a).count() == 5  # 3 of the world + 2 new


def test_hr_limits_bulk_issuing_to_one_office(client, world, django_capture_on_commit_callbacks):
    bandung, medan = make_officer(office=world.bandung), make_officer(office=world.medan)
    for officer in (bandung, medan):
        completed(officer, world.course_a)
    client.force_login(make_hr_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hr:bulk_issue"), {"subjek": f"c{world.course_a.pk}", "office": world.medan.pk})
    assert list(Certificate.objects.filter(holder__in=[bandung, medan]).values_list("holder", flat=True)) == [medan.pk]


def test_hr_issues_program_certificates_to_holders_of_every_course(client, world, django_capture_on_commit_callbacks):
    # Joko holds only course B; with a valid course A certificate he has earned the program.
    from certificates.tests.factories import make_certificate

    make_certificate(holder=world.joko, course=world.course_a)
    client.force_login(make_hr_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hr:bulk_issue"), {"subjek": f"p{world.program.pk}"}, follow=True)
    assert "1 sertifikat diantrekan" in response.content.decode()
    assert Certificate.objects.filter(program=world.program, holder=world.joko).exists()
    assert ModelLogEntry.objects.filter(action="hr.bulk_issue").count() == 1


def test_bulk_issue_without_a_subject_says_what_is_missing(client, world):
    client.force_login(make_hr_user())
    response = client.post(reverse("hr:bulk_issue"), {"subjek": "x1"})
    assert "Pilih kursus atau program." in response.content.decode()
    response = client.post(reverse("hr:bulk_issue"), {"subjek": ""})
    assert response.status_code == 200
    assert "Pilih kursus atau program." in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="hr.bulk_issue").exists()
