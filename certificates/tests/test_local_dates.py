"""Certificate dates are Jakarta dates, at any hour of the UTC day.

At 20:00 UTC on 30 November it is already 03:00 on 1 December in Jakarta (UTC+7):
whatever turns on "today" (issue date, serial year, status, expiry windows,
reminders) must read 1 December then. The same checks at 02:00 UTC (09:00 the
same day in Jakarta) keep the other half of the day honest.
"""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate
from certificates.tests.factories import make_certificate
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
EVENING = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 1 Dec 03:00 in Jakarta
MORNING = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 30 Nov 09:00 in Jakarta
AT = pytest.mark.parametrize(
    "now, jakarta_today",
    [(EVENING, datetime.date(2026, 12, 1)), (MORNING, datetime.date(2026, 11, 30))],
    ids=["20:00 UTC", "02:00 UTC"],
)
days = datetime.timedelta


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor", modules=1)


@pytest.fixture
def officer(db):
    return make_officer(full_name="Budi Santoso", nip="198503122010011001")


def test_a_course_completed_on_new_years_night_is_issued_in_the_new_year(
    course, officer, django_capture_on_commit_callbacks
):
    """31 Dec 20:00 UTC is 1 Jan 03:00 in Jakarta: the issue date and the serial's year are the new year's."""
    with time_machine.travel(datetime.datetime(2026, 12, 31, 20, 0, tzinfo=UTC), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=officer, course=course)
        for module in course.get_modules():
            module_complete(user=officer, module=module.specific)
    certificate = Certificate.objects.get(holder=officer)
    assert certificate.issued_on == datetime.date(2027, 1, 1)
    assert certificate.serial_year == 2027 and "/2027/" in certificate.serial


@AT
def test_a_certificate_expiring_on_the_utc_date_is_expired_in_jakarta(client, course, officer, now, jakarta_today):
    """Its last valid day is 30 November: at 03:00 on 1 December (Jakarta) it has expired."""
    certificate = make_certificate(
        holder=officer, course=course, issued_on=datetime.date(2025, 1, 1), expires_on=datetime.date(2026, 11, 30)
    )
    with time_machine.travel(now, tick=False):
        expected = "expired" if jakarta_today > certificate.expires_on else "valid"
        assert certificate.status == expected
        response = client.get(reverse("certificates:verify", kwargs={"code": certificate.code}))
        assert response.context["result"]["status"] == expected


@AT
def test_expiry_reminders_count_days_from_the_jakarta_date(course, officer, now, jakarta_today):
    """Run without --date (as cron runs it) the 30-day reminder goes out when 30 Jakarta days are left."""
    make_certificate(holder=officer, course=course, issued_on=datetime.date(2025, 1, 1),
                     expires_on=datetime.date(2026, 12, 31))
    with time_machine.travel(now, tick=False):
        out = StringIO()
        call_command("send_expiry_reminders", stdout=out)
    left = (datetime.date(2026, 12, 31) - jakarta_today).days
    assert ("Sent 1" in out.getvalue()) == (left <= 30)
    if left <= 30:
        assert "dalam 30 hari" in mail.outbox[0].body
