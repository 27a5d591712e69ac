"""A small certified world for the HR workspace tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from certificates.tests.factories import make_certificate, make_program
from courses.tests.builders import make_course
from lms import roles
from lms.tests.factories import AgencyFactory, OfficeFactory, UserFactory, make_officer



def make_hr_user(**kwargs):
    return UserFactory(groups=[roles.HR], **kwargs)


@dataclass
class World:
    imigrasi: object
    polri: object
    bandung: object
    medan: object
    course_a: object
    course_b: object
    program: object
    budi: object  # Bandung: valid A, expired B, program valid
    siti: object  # Bandung: revoked A, A expiring in 20 days (cycle 2)
    joko: object  # Medan: valid B expiring in 75 days
    certificates: dict


def make_world(today: datetime.date | None = None) -> World:
    today = today or timezone.localdate()
    imigrasi = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    polri = AgencyFactory(code="POLRI", name="Kepolisian Negara Republik Indonesia", short_name="Polri")
    bandung = OfficeFactory(code="KANIM-BDG", name="Kantor Imigrasi Bandung", province="Jawa Barat")
    medan = OfficeFactory(code="KANIM-MDN", name="Kantor Imigrasi Medan", province="Sumatera Utara")
    course_a = make_course(title="Migrasi Aman", agency=imigrasi, modules=1)
    course_b = make_course(title="Penyelundupan Manusia", agency=polri, modules=1)
    program = make_program(courses=[course_a, course_b], agency=imigrasi)
    budi = make_officer(full_name="Budi Santoso", nip="198503122010011001", office=bandung)
    siti = make_officer(full_name="Siti Aminah", nip="199001012015032002", office=bandung)
    joko = make_officer(full_name="Joko Widodo", nip="198811052012121003", office=medan)
    days = datetime.timedelta
    certificates = {
        "budi_a": make_certificate(holder=budi, course=course_a, issued_on=today - days(100)),
        "budi_b": make_certificate(
            holder=budi, course=course_b, issued_on=today - days(800), expires_on=today - days(70)
        ),
        "budi_program": make_certificate(holder=budi, program=program, issued_on=today - days(10)),
        "siti_a_revoked": make_certificate(holder=siti, course=course_a, issued_on=today - days(400), revoked=True),
        "siti_a": make_certificate(
            holder=siti, course=course_a, issued_on=today - days(300), expires_on=today + days(20), cycle=2
        ),
        "joko_b": make_certificate(holder=joko, course=course_b, issued_on=today - days(50), expires_on=today + days(75)),
    }
    return World(imigrasi, polri, bandung, medan, course_a, course_b, program, budi, siti, joko, certificates)
