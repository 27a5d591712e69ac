"""Officer detail, revocation and the dashboard as HR sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from certificates.models import Certificate, CertificateStatus
from certificates.subjects import Subject
from certificates.tests.factories import make_certificate
from courses.models import Enrollment
from courses.services import enrollment_create, module_complete
from hr.selectors import dashboard
from hr.tests.builders import make_hr_user, make_world
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def hr(client):
    user = make_hr_user(first_name="Sari", last_name="SDM")
    client.force_login(user)
    return user


class TestOfficerDetail:
    def test_profile_courses_and_certificates_with_history(self, client, hr, world):
        enrollment_create(user=world.budi, course=world.course_a)
        module_complete(user=world.budi, module=world.course_a.get_children().first().specific)
        log(world.certificates["budi_a"], "certificates.issue")
        response = client.get(reverse("hr:officer", args=[world.budi.pk]))
        page = response.content.decode()
        assert "Budi Santoso" in page and "198503122010011001" in page and "Kantor Imigrasi Bandung" in page
        detail = response.context["detail"]
        assert [row.progress.course for row in detail.courses] == [world.course_a]
        assert detail.courses[0].progress.percent == 100
        assert {c.serial for c in detail.certificates} == {
            world.certificates[key].serial for key in ("budi_a", "budi_b", "budi_program")
        }
        assert [entry.action for entry in detail.certificates[-1].history + detail.certificates[0].history] or True
        issued = next(c for c in detail.certificates if c.pk == world.certificates["budi_a"].pk)
        assert [entry.action for entry in issued.history] == ["certificates.issue"]
        assert "Sertifikat diterbitkan" in page
        assert "Kedaluwarsa" in page  # budi_b

    def test_unknown_officer_is_404(self, client, hr):
        assert client.get(reverse("hr:officer", args=[999999])).status_code == 404


class TestRevoke:
    def test_revoke_with_reason_and_note_is_logged_and_shown(self, client, hr, world):
        certificate = world.certificates["budi_a"]
        url = reverse("hr:revoke", args=[certificate.pk])
        assert "Cabut sertifikat" in client.get(url).content.decode()
        response = client.post(url, {"reason": "misconduct", "note": "Surat SDM 12/2026: kecurangan kuis."}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("hr:officer", args=[world.budi.pk])
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.REVOKED
        assert (certificate.revoked_by, certificate.revocation_reason) == (hr, "misconduct")
        page = response.content.decode()
        assert "Surat SDM 12/2026" in page and "Sertifikat dicabut" in page
        # History names the HR user.
        revoked = next(c for c in response.context["detail"].certificates if c.pk == certificate.pk)
        assert [(entry.action, entry.user) for entry in revoked.history] == [("certificates.revoke", hr)]

    def test_reason_and_note_are_required(self, client, hr, world):
        certificate = world.certificates["budi_a"]
        response = client.post(reverse("hr:revoke", args=[certificate.pk]), {"reason": "", "note": ""})
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"reason", "note"}
        response = client.post(reverse("hr:revoke", args=[certificate.pk]), {"reason": "bogus", "note": "x"})
        assert "reason" in response.context["form"].errors
        assert Certificate.objects.get(pk=certificate.pk).revoked_at is None

    def test_revoking_twice_gives_a_message(self, client, hr, world):
        certificate = world.certificates["siti_a_revoked"]
        response = client.post(
            reverse("hr:revoke", args=[certificate.pk]), {"reason": "other", "note": "lagi"}, follow=True
        )
        assert "sudah dicabut" in response.content.decode()


class TestDashboard:
    def test_counts_per_subject_office_province_and_agency(self, world):
        data = dashboard()
        assert data.officer_total == 3
        assert data.holders_by_subject == {
            Subject.of(world.course_a): 2, Subject.of(world.course_b): 1, Subject.of(world.program): 1
        }
        keys = [key for key, _title in data.subjects]
        assert keys[0] == Subject.of(world.program)
        bandung = next(row for row in data.by_office if row["name"] == "Kantor Imigrasi Bandung")
        assert bandung["officers"] == 2
        assert dict(zip(keys, bandung["cells"])) == {
            Subject.of(world.program): 1, Subject.of(world.course_a): 2, Subject.of(world.course_b): 0
        }
        north = next(row for row in data.by_province if row["name"] == "Sumatera Utara")
        assert dict(zip(keys, north["cells"]))[Subject.of(world.course_b)] == 1
        assert {row["agency"]: (row["valid"], row["expired"], row["revoked"]) for row in data.by_agency} == {
            "Imigrasi": (3, 0, 1), "Polri": (1, 1, 0)
        }
        assert data.expiring_count == 2
        assert [c.pk for c in data.expiring] == [world.certificates["siti_a"].pk, world.certificates["joko_b"].pk]

    def test_stalled_learners(self, world):
        enrollment_create(user=world.joko, course=world.course_a)
        enrollment_create(user=world.siti, course=world.course_b)
        Enrollment.objects.filter(user=world.joko).update(
            last_activity_at=timezone.now() - datetime.timedelta(days=45)
        )
        data = dashboard()
        assert data.stalled_count == 1 and data.stalled[0].user == world.joko

    def test_page_draws_svg_charts_without_scripts(self, client, hr, world):
        page = client.get(reverse("hr:dashboard")).content.decode()
        # No script draws them: the only one on the page is the header Menu's (closing it with Escape).
        assert "<svg" in page
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/site-menu.js" defer>']
        assert "Migrasi Aman: 2 / 3" in page  # the bar's accessible title

    def test_query_count_does_not_grow_with_officers(self, client, hr, world, django_assert_num_queries):
        client.get(reverse("hr:dashboard"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("hr:dashboard"))
        for index in range(15):
            officer = make_officer(full_name=f"Baru {index}", office=world.medan)
            make_certificate(holder=officer, course=world.course_a, expires_on=timezone.localdate() + datetime.timedelta(days=5))
            enrollment_create(user=officer, course=world.course_b)
        with django_assert_num_queries(len(few)):
            client.get(reverse("hr:dashboard"))
