"""How long does checking 1,000 NIPs against one course take, and in how many queries?

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python bench/bulk_verification.py [nips]

Builds 1,000 officers (half certified), then posts the pasted list to
/hr/verifikasi/ as an HR user, exactly as the page does, and times the request.
"""

import sys
import time

from _django import test_database

NIPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000


def main():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hr.models import BulkVerification
    from certificates.tests.factories import make_certificate
    from hr.tests.builders import make_hr_user
    from courses.tests.builders import make_course
    from lms.tests.factories import AgencyFactory, OfficeFactory, OfficerProfileFactory

    course = make_course(title="Migrasi Aman", agency=AgencyFactory(code="IMI"), modules=1)
    office = OfficeFactory()
    profiles = [
        OfficerProfileFactory(nip=f"198001{1 + n // 1000:02d}2005{1 + n % 12:02d}1{n % 1000:03d}", office=office)
        for n in range(NIPS)
    ]
    for profile in profiles[::2]:
        make_certificate(holder=profile.user, course=course)
    client = Client()
    client.force_login(make_hr_user())
    pasted = "\n".join(profile.nip for profile in profiles)

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/hr/verifikasi/", {"subjek": f"c{course.pk}", "nips": pasted})
    elapsed = time.perf_counter() - start
    query_count = len(queries)  # read now: the next request clears the connection's query log
    assert response.status_code == 302, response.status_code
    record = BulkVerification.objects.get()
    start = time.perf_counter()
    page = client.get(response["Location"])
    shown = time.perf_counter() - start
    assert page.status_code == 200
    print(f"bulk verification of {NIPS} NIPs: {record.counts}")
    print(f"  POST /hr/verifikasi/ (parse, verify, store, audit log): {elapsed:5.2f} s in {query_count} queries")
    print(f"  GET the result page: {shown:5.2f} s")


if __name__ == "__main__":
    with test_database():
        main()
