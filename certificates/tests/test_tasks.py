"""Background rendering: issuing renders on commit, failures retry, lost or outdated files come back."""

import hashlib
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from certificates import rendering
from certificates.models import Certificate, CertificateTemplate
from certificates.services import (
    certificate_issue,
    certificate_pdf_available,
    certificate_render,
    certificate_template_changed,
    certificates_issue_bulk,
)
from certificates.tests.factories import make_certificate
from certificates.subjects import Subject
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def imigrasi(db):
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")


@pytest.fixture
def course(catalog, imigrasi):
    return make_course(catalog=catalog, agency=imigrasi, title="Paspor", slug="paspor")


def stored_sha256(certificate) -> str:
    with default_storage.open(certificate.pdf.name) as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_issuing_renders_the_pdf_after_commit_and_stores_its_sha256(course, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(user=officer, subject=Subject.of(course))
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.rendered_at is not None
    assert certificate.pdf_sha256 == stored_sha256(certificate)
    assert ModelLogEntry.objects.for_instance(certificate).filter(action="certificates.render").count() == 1


def test_issuing_without_commit_renders_nothing_yet(course, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = certificate_issue(user=officer, subject=Subject.of(course))
    # the render is asked for once, after the commit (beside it, the API's list cache is invalidated)
    assert [callback.__qualname__ for callback in callbacks].count("certificate_render_enqueue.<locals>.ask") == 1
    certificate.refresh_from_db()
    assert not certificate.pdf


def test_a_failing_render_is_retried_and_leaves_the_record_intact(course, officer, monkeypatch, django_capture_on_commit_callbacks):
    real = rendering.render_certificate_pdf
    calls = []

    def flaky(certificate, template, **options):
        calls.append(certificate.pk)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(certificate, template, **options)

    monkeypatch.setattr(rendering, "render_certificate_pdf", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(user=officer, subject=Subject.of(course))
    certificate.refresh_from_db()
    assert len(calls) == 2
    assert certificate.pdf and certificate.pdf_sha256 == stored_sha256(certificate)


def test_a_render_that_keeps_failing_gives_up_after_the_maximum_and_keeps_the_record(
    course, officer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    calls = []

    def broken(certificate, template, **options):
        calls.append(certificate.pk)
        raise OSError("font missing")

    monkeypatch.setattr(rendering, "render_certificate_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(user=officer, subject=Subject.of(course))
    assert len(calls) == settings.CERTIFICATES["RENDER_MAX_ATTEMPTS"]
    record = Certificate.objects.get(pk=certificate.pk)
    assert (record.serial, record.code, record.holder_name) == (certificate.serial, certificate.code, certificate.holder_name)
    assert not record.pdf and record.pdf_sha256 == "" and record.revoked_at is None
    # The officer's page says "being prepared" rather than failing.
    assert record.pdf_ready is False


def test_a_lost_file_is_rendered_again_from_the_record(course, officer):
    certificate = certificate_render(certificate=make_certificate(holder=officer, course=course))
    default_storage.delete(certificate.pdf.name)
    assert certificate_pdf_available(certificate=certificate) is False  # the worker (immediate in tests) re-renders
    certificate.refresh_from_db()
    assert default_storage.exists(certificate.pdf.name)
    assert certificate.pdf_sha256 == stored_sha256(certificate)
    assert certificate_pdf_available(certificate=certificate) is True


def test_a_template_edit_marks_existing_pdfs_outdated_and_they_are_re_rendered_on_demand(course, officer, imigrasi):
    certificate = certificate_render(certificate=make_certificate(holder=officer, course=course))
    old_sha = certificate.pdf_sha256
    template = CertificateTemplate.objects.create(agency=imigrasi, title_text="Piagam Baru")
    assert certificate_template_changed(template=template) == 1
    certificate.refresh_from_db()
    assert certificate.pdf_outdated and not certificate.pdf_ready
    assert certificate_pdf_available(certificate=certificate) is False
    certificate.refresh_from_db()
    assert not certificate.pdf_outdated and certificate.pdf_sha256 != old_sha


def test_a_course_template_marks_only_that_courses_pdfs(catalog, course, officer, imigrasi):
    other_course = make_course(catalog=catalog, agency=imigrasi, title="Lain", slug="lain")
    ours = make_certificate(holder=officer, course=course)
    theirs = make_certificate(holder=officer, course=other_course)
    template = CertificateTemplate.objects.create(agency=imigrasi, course=course, title_text="Khusus")
    certificate_template_changed(template=template)
    assert Certificate.objects.get(pk=ours.pk).pdf_outdated
    assert not Certificate.objects.get(pk=theirs.pk).pdf_outdated


def test_rerender_command_by_agency_and_by_course(catalog, course, officer, other_officer):
    bp2mi_course = make_course(catalog=catalog, agency=AgencyFactory(code="BP2MI"), title="Migrasi", slug="migrasi")
    imi = make_certificate(holder=officer, course=course)
    imi_other = make_certificate(holder=other_officer, course=course)
    bp2mi = make_certificate(holder=officer, course=bp2mi_course)

    out = StringIO()
    call_command("rerender_certificates", agency="IMI", stdout=out)
    assert "2" in out.getvalue()
    rendered = set(Certificate.objects.exclude(pdf="").values_list("pk", flat=True))
    assert rendered == {imi.pk, imi_other.pk}

    call_command("rerender_certificates", course="migrasi", stdout=StringIO())
    assert Certificate.objects.get(pk=bp2mi.pk).pdf


def test_rerender_command_refuses_an_unknown_agency_clearly(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="NOPE"):
        call_command("rerender_certificates", agency="NOPE", stdout=StringIO())


def test_bulk_issuing_returns_the_count_and_the_worker_issues_and_renders_each(course, django_capture_on_commit_callbacks):
    officers = [make_officer() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_issue_bulk(user_ids=[o.pk for o in officers] * 2, subject=Subject.of(course)) == 3
    certificates = Certificate.objects.filter(course=course)
    assert certificates.count() == 3
    assert all(certificate.pdf for certificate in certificates)


def test_issue_certificates_command_issues_to_officers_who_completed(course, officer, other_officer, django_capture_on_commit_callbacks):
    from courses.models import Enrollment

    Enrollment.objects.create(user=officer, course=course, completed_at="2026-11-01T10:00:00+07:00")
    Enrollment.objects.create(user=other_officer, course=course)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", course="paspor", stdout=out)
    assert "1 officer" in out.getvalue()
    assert list(Certificate.objects.values_list("holder_id", flat=True)) == [officer.pk]
