"""Expiry reminders: 30 and 7 days before, once per threshold, however often the command runs."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from certificates.models import ExpiryReminder
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def run(today) -> str:
    out = StringIO()
    call_command("send_expiry_reminders", date=today.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")


def expiring(holder, course, in_days, **kwargs):
    return make_certificate(
        holder=holder, course=course, issued_on=TODAY - datetime.timedelta(days=300), expires_on=TODAY + datetime.timedelta(days=in_days), **kwargs
    )


def test_reminders_at_30_and_7_days_each_sent_once(course, officer):
    certificate = expiring(officer, course, 20)
    assert "Sent 1" in run(TODAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Paspor" in message.subject and certificate.serial in message.body
    assert "/my/certificates/" in message.body

    assert "Sent 0" in run(TODAY)  # same day again: nothing
    assert "Sent 0" in run(TODAY + datetime.timedelta(days=1))  # still in the 30-day window, already reminded
    assert "Sent 1" in run(TODAY + datetime.timedelta(days=14))  # 6 days left: the 7-day reminder
    assert "Sent 0" in run(TODAY + datetime.timedelta(days=15))
    assert len(mail.outbox) == 2
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30]


def test_a_certificate_first_seen_inside_7_days_gets_one_reminder(course, officer):
    expiring(officer, course, 3)
    run(TODAY)
    run(TODAY)
    assert len(mail.outbox) == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7]


def test_no_reminder_far_from_expiry_or_for_revoked_expired_renewed_or_unlimited(course, officer, other_officer):
    expiring(officer, course, 45)
    expiring(other_officer, course, 10, revoked=True)
    make_certificate(holder=other_officer, course=course, expires_on=None, cycle=2)
    renewed_holder_old = expiring(officer, make_course(agency=course.agency, title="Lama", slug="lama"), 10)
    make_certificate(holder=officer, course=renewed_holder_old.course, cycle=2)
    assert "Sent 0" in run(TODAY)
    assert mail.outbox == []


def test_the_database_refuses_a_second_reminder_for_the_same_threshold(course, officer):
    certificate = expiring(officer, course, 20)
    ExpiryReminder.objects.create(certificate=certificate, days_before=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpiryReminder.objects.create(certificate=certificate, days_before=30)


def test_a_failed_send_is_retried_on_the_next_run(course, officer, monkeypatch):
    from certificates import reminders

    expiring(officer, course, 20)
    monkeypatch.setattr(reminders, "send_mail", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("smtp down")))
    assert "Sent 0" in run(TODAY)
    assert not ExpiryReminder.objects.exists()
    monkeypatch.undo()
    assert "Sent 1" in run(TODAY)


def test_bad_date_is_a_clear_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2026-11-23"):
        call_command("send_expiry_reminders", date="23/11/2026")
