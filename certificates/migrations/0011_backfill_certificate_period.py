"""Fill the training period of certificates issued before it was recorded, where it is known.

A course certificate's period runs from the day its holder enrolled in the course (or the
day the course was reopened, for a renewal) to its issue date; a program certificate's from
the earliest start of its holder's certificates for the program's courses to its issue date.
Where neither is known the start stays empty and only the end (the issue date) is filled:
nothing is invented. The holder's rank, position and unit at issue are not known for these
certificates and stay empty.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 1000


def _local_date(moment):
    return timezone.localdate(moment) if moment is not None else None


def backfill(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Enrollment = apps.get_model("courses", "Enrollment")
    ProgramCourse = apps.get_model("certificates", "ProgramCourse")

    enrollments = {
        (user_id, course_id): (enrolled_at, renewed_at)
        for user_id, course_id, enrolled_at, renewed_at in Enrollment.objects.values_list(
            "user_id", "course_id", "enrolled_at", "renewed_at"
        ).iterator()
    }
    course_starts: dict[tuple[int, int], list] = {}
    pending = []

    def flush():
        Certificate.objects.bulk_update(pending, ["period_start", "period_end"])
        pending.clear()

    for certificate in (
        Certificate.objects.filter(course__isnull=False, period_end__isnull=True)
        .only("pk", "holder_id", "course_id", "cycle", "issued_on")
        .order_by("pk")
        .iterator()
    ):
        enrolled_at, renewed_at = enrollments.get((certificate.holder_id, certificate.course_id), (None, None))
        start = _local_date(renewed_at if certificate.cycle > 1 and renewed_at else enrolled_at)
        if start is not None and start > certificate.issued_on:
            start = None  # the enrolment is of a later cycle than this certificate: not this one's start
        certificate.period_start = start
        certificate.period_end = certificate.issued_on
        if start is not None:
            course_starts.setdefault((certificate.holder_id, certificate.course_id), []).append(start)
        pending.append(certificate)
        if len(pending) >= BATCH:
            flush()
    flush()

    program_courses: dict[int, list[int]] = {}
    for program_id, course_id in ProgramCourse.objects.values_list("program_id", "course_id"):
        program_courses.setdefault(program_id, []).append(course_id)
    for certificate in (
        Certificate.objects.filter(program__isnull=False, period_end__isnull=True)
        .only("pk", "holder_id", "program_id", "issued_on")
        .order_by("pk")
        .iterator()
    ):
        starts = [
            start
            for course_id in program_courses.get(certificate.program_id, [])
            for start in course_starts.get((certificate.holder_id, course_id), [])
            if start <= certificate.issued_on
        ]
        certificate.period_start = min(starts) if starts else None
        certificate.period_end = certificate.issued_on
        pending.append(certificate)
        if len(pending) >= BATCH:
            flush()
    flush()


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0010_certificate_period_and_holder_snapshot"),
        ("courses", "0004_glossary_wording"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
