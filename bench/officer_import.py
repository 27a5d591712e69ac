"""How long does importing 10,000 officers take? (the issue asks for under 30 s)

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python bench/officer_import.py [rows]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pimpasa_x .venv/bin/python bench/officer_import.py

Times the preview (read + plan) and the import (read + plan + write + invitations
queued) of a fresh file, then a re-import of the same file (all unchanged).
"""

import sys
import time

from _django import test_database

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def make_csv(rows: int) -> bytes:
    lines = ["NIP,Nama Lengkap,Email,Pangkat/Golongan,Kantor,Desa Binaan,Kabupaten/Kota,Provinsi"]
    for n in range(rows):
        # Valid, unique NIPs: birth 1980-01-(1 + n // 1000), appointed 2005-(1 + n % 12), sex 1, sequence n % 1000.
        nip = f"198001{1 + n // 1000:02d}2005{1 + n % 12:02d}1{n % 1000:03d}"
        lines.append(
            f"{nip},Petugas Bench {n},petugas{n}@bench.example,Penata (III/c),KANIM-B{n % 20},"
            f"Desa Bench {n % 500},Kabupaten Bench {n % 50},Provinsi {n % 10}"
        )
    return ("\n".join(lines) + "\n").encode()


def main():
    from django.db import transaction

    from lms.models import Office, OfficerProfile
    from hr.invitations import officer_invitations_send_now
    from hr.officer_import import officer_import_apply, officer_import_plan
    from hr.tabular import read_table

    Office.objects.bulk_create(
        Office(code=f"KANIM-B{i}", name=f"Kantor Imigrasi Bench {i}", city="Kota", province=f"Provinsi {i % 10}")
        for i in range(20)
    )
    data = make_csv(ROWS)
    rows = ROWS

    start = time.perf_counter()
    plan = officer_import_plan(table=read_table(name="bench.csv", data=data))
    preview = time.perf_counter() - start
    assert plan.is_valid, plan.issues[:3]

    start = time.perf_counter()
    with transaction.atomic():  # commits, so the invitations task is queued (not run: dummy backend)
        plan = officer_import_apply(table=read_table(name="bench.csv", data=data))
    imported = time.perf_counter() - start
    assert OfficerProfile.objects.count() == rows

    start = time.perf_counter()
    sent = officer_invitations_send_now(user_ids=list(OfficerProfile.objects.values_list("user_id", flat=True)))
    invited = time.perf_counter() - start
    assert sent == rows

    start = time.perf_counter()
    again = officer_import_apply(table=read_table(name="bench.csv", data=data))
    reimported = time.perf_counter() - start
    assert again.unchanged == rows

    print(f"officer import, {rows} rows ({len(data) / 1024:.0f} KiB CSV):")
    print(f"  preview (read + plan):     {preview:6.2f} s")
    print(f"  import (read + plan + write): {imported:6.2f} s  {'OK' if imported < 30 else 'TOO SLOW'} (limit 30 s)")
    print(f"  re-import, all unchanged:  {reimported:6.2f} s")
    print(f"  invitations rendered and handed to the mail backend (task worker): {invited:6.2f} s")


if __name__ == "__main__":
    from django.test import override_settings

    # The HR request only queues the invitations; the worker's share is timed separately above.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ), test_database():
        main()
