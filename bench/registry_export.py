"""Does the CSV export of 50,000 certificates stream in bounded memory? And how long does XLSX take?

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python bench/registry_export.py [rows]

Consumes the CSV response of /hr/sertifikat/ekspor.csv chunk by chunk, as a
browser download would, and reports the peak Python memory while doing so
(tracemalloc) next to the size of the file: a streamed export's peak stays
far below the file size.
"""

import sys
import time
import tracemalloc

from _django import test_database

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000


def seed(rows: int):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.tests.builders import make_course
    from lms.models import OfficerProfile
    from lms.tests.factories import AgencyFactory, OfficeFactory

    agency = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    course = make_course(title="Migrasi Aman", agency=agency, modules=1)
    office = OfficeFactory()
    User = get_user_model()
    officers = 5_000
    users = User.objects.bulk_create(User(username=f"bench{n}") for n in range(officers))
    OfficerProfile.objects.bulk_create(
        OfficerProfile(user=user, nip=f"198001{1 + n // 1000:02d}2005{1 + n % 12:02d}1{n % 1000:03d}",
                       full_name=f"Petugas Bench {n}", office=office)
        for n, user in enumerate(users)
    )
    today = timezone.localdate()
    Certificate.objects.bulk_create(
        (
            Certificate(
                holder=users[n % officers], course=course, cycle=1 + n // officers, agency=agency,
                holder_name=f"Petugas Bench {n % officers}", holder_nip="198001012005011001", title=course.title,
                agency_name=agency.name, issued_on=today, expires_on=today + datetime.timedelta(days=700),
                serial=f"PIMPASA/IMI/{today.year}/{n + 1:06d}", serial_year=today.year, serial_number=n + 1,
                code=f"B{n:015d}",
            )
            for n in range(rows)
        ),
        batch_size=2_000,
    )


def main():
    from django.test import Client

    from hr.tests.builders import make_hr_user

    seed(ROWS)
    client = Client()
    client.force_login(make_hr_user())

    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/hr/sertifikat/ekspor.csv")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == ROWS + 1, lines
    print(f"CSV export of {ROWS} rows: {size / 1e6:.1f} MB in {elapsed:.1f} s; "
          f"peak Python memory while streaming {peak / 1e6:.1f} MB")

    start = time.perf_counter()
    from hr import exports
    from hr.selectors import export_rows, registry_queryset

    data = exports.xlsx_bytes(exports.registry_header(), exports.registry_cells(export_rows(registry_queryset())),
                              title="Registri")
    print(f"XLSX of the same rows (what the background task does): {len(data) / 1e6:.1f} MB in "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    with test_database():
        main()
