"""Only HR and superusers reach /hr/: officers, trainers and reviewers get 403, anonymous users the login page."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from hr.models import BulkVerification, ExportJob, OfficerImport
from hr.tests.builders import make_hr_user, make_world
from lms import roles
from lms.tests.factories import UserFactory, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_urls():
    world = make_world()
    hr = make_hr_user()
    certificate = world.certificates["budi_a"]
    export = ExportJob.objects.create(created_by=hr, format="xlsx", status="done", file="hr/exports/x.xlsx")
    verification = BulkVerification.objects.create(created_by=hr, course=world.course_a, subject_title="A")
    officer_import = OfficerImport.objects.create(created_by=hr, file="hr/imports/x.csv", filename="x.csv", sha256="0")
    return [
        reverse("hr:dashboard"),
        reverse("hr:registry"),
        reverse("hr:export_csv"),
        reverse("hr:export_xlsx"),
        reverse("hr:revoke", args=[certificate.pk]),
        reverse("hr:export_job", args=[export.pk]),
        reverse("hr:export_download", args=[export.pk]),
        reverse("hr:officer", args=[world.budi.pk]),
        reverse("hr:officer_invite", args=[world.budi.pk]),
        reverse("hr:bulk_verify"),
        reverse("hr:bulk_issue"),
        reverse("hr:bulk_verify_result", args=[verification.pk]),
        reverse("hr:bulk_verify_download", args=[verification.pk, "csv"]),
        reverse("hr:officer_import"),
        reverse("hr:officer_import_template"),
        reverse("hr:officer_import_preview", args=[officer_import.pk]),
    ]


def test_anonymous_users_are_sent_to_the_login_page(client, hr_urls):
    for url in hr_urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next="), url
    assert not ExportJob.objects.filter(format="csv").exists()


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(make_officer, id="officer"),
        pytest.param(lambda: UserFactory(groups=[roles.TRAINER_IMIGRASI]), id="trainer"),
        pytest.param(lambda: UserFactory(groups=[roles.REVIEWER]), id="reviewer"),
        pytest.param(lambda: UserFactory(is_staff=True), id="staff-without-hr"),
    ],
)
def test_everyone_else_gets_403(client, hr_urls, make_user):
    client.force_login(make_user())
    for url in hr_urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert not ModelLogEntry.objects.filter(action__startswith="hr.").exists()


@pytest.mark.parametrize(
    "make_user",
    [pytest.param(make_hr_user, id="hr"), pytest.param(lambda: UserFactory(is_superuser=True), id="admin")],
)
def test_hr_and_admins_get_in(client, make_user):
    make_world()
    client.force_login(make_user())
    for name in ("hr:dashboard", "hr:registry", "hr:bulk_verify", "hr:officer_import"):
        assert client.get(reverse(name)).status_code == 200, name


def test_inactive_hr_account_is_refused(client):
    user = make_hr_user()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("hr:dashboard")).status_code in (302, 403)


def test_hr_link_in_the_header_only_for_hr(client):
    make_world()
    client.force_login(make_officer())
    assert 'href="/hr/"' not in client.get(reverse("my_learning")).content.decode()
    client.force_login(make_hr_user())
    assert 'href="/hr/"' in client.get(reverse("my_learning")).content.decode()
