"""The HR registry and dashboard count "expiring" from Jakarta's date (pinned at 20:00 and 02:00 UTC)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certificates.tests.factories import make_certificate
from certificates.tests.test_local_dates import AT, course, days, officer  # noqa: F401  (fixtures)
from hr.selectors import dashboard
from hr.tests.builders import make_hr_user
from lms.tests.factories import make_officer

pytestmark = pytest.mark.django_db


@AT
def test_registry_expiring_filters_count_from_the_jakarta_date(client, course, officer, now, jakarta_today):
    """`Berakhir dalam 30 hari` holds what expires by Jakarta's today + 30 days, and nothing already expired."""
    edge = make_certificate(holder=officer, course=course, issued_on=datetime.date(2025, 1, 1),
                            expires_on=jakarta_today + days(30))
    other = make_officer(full_name="Siti Aminah", nip="199001012015032002")
    ended = make_certificate(holder=other, course=course, issued_on=datetime.date(2025, 1, 1),
                             expires_on=datetime.date(2026, 11, 30))
    client.force_login(make_hr_user())
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("hr:registry"), {"status": "expiring30"})
        shown = {row.serial for row in response.context["certificates"]}
        board = dashboard()
    expected = {edge.serial} | ({ended.serial} if ended.expires_on >= jakarta_today else set())
    assert shown == expected
    assert {certificate.serial for certificate in board.expiring} == expected
