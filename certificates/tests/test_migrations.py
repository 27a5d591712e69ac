"""The data migrations of the certificate content: period backfill (0011) and the signatory register (0013)."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certificates.models import Certificate
from certificates.tests.factories import make_certificate, make_program
from courses.models import Enrollment
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer

backfill = importlib.import_module("certificates.migrations.0011_backfill_certificate_period").backfill
signatories = importlib.import_module("certificates.migrations.0013_signatories_from_agencies_and_templates")

JAKARTA = ZoneInfo("Asia/Jakarta")
BEFORE_THE_REGISTER = [("certificates", "0012_signatories")]  # also unapplies lms 0007, which runs after 0013


def migrate_to(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db
def test_the_period_is_backfilled_from_the_enrolment_where_known(catalog):
    agency = AgencyFactory(code="IMI")
    courses = [make_course(catalog=catalog, agency=agency, modules=1) for _ in range(2)]
    officer = make_officer()
    with time_machine.travel(datetime.datetime(2025, 3, 1, 23, 30, tzinfo=JAKARTA), tick=False):
        Enrollment.objects.create(user=officer, course=courses[0])  # 16:30 UTC: 1 March in Jakarta
    known = make_certificate(holder=officer, course=courses[0], issued_on=datetime.date(2025, 3, 9))
    unknown = make_certificate(holder=officer, course=courses[1], issued_on=datetime.date(2025, 4, 2))
    program = make_certificate(holder=officer, program=make_program(courses=courses), issued_on=datetime.date(2025, 4, 2))
    Certificate.objects.update(period_start=None, period_end=None)  # as before 0010

    backfill(current_apps, None)

    periods = dict(Certificate.objects.values_list("pk", "period_start"))
    assert periods == {known.pk: datetime.date(2025, 3, 1), unknown.pk: None, program.pk: datetime.date(2025, 3, 1)}
    assert set(Certificate.objects.values_list("period_end", flat=True)) == {datetime.date(2025, 3, 9), datetime.date(2025, 4, 2)}


def test_template_bodies_are_split_around_the_title_and_nothing_is_lost():
    assert signatories.split_body(signatories.OLD_DEFAULT_BODY) == (
        signatories.NEW_DEFAULT_BODY, signatories.NEW_DEFAULT_CLOSING
    )
    assert signatories.split_body("lulus {judul} dengan {jp} JP.") == ("lulus", "dengan {jp} JP.")
    assert signatories.split_body("dinyatakan kompeten pada {tanggal}.") == ("dinyatakan kompeten pada {tanggal}.", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agency_and_template_signatories_move_into_the_register():
    try:
        old = migrate_to(BEFORE_THE_REGISTER)
        Agency = old.get_model("lms", "Agency")
        Template = old.get_model("certificates", "CertificateTemplate")
        imigrasi = Agency.objects.create(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi",
                                         signatory_name="Dr. Contoh, S.H.", signatory_title="Direktur Jenderal")
        polri = Agency.objects.create(code="POLRI", name="Polri", short_name="Polri")
        general = Template.objects.create(agency=imigrasi, body_text=signatories.OLD_DEFAULT_BODY)
        own = Template.objects.create(agency=polri, signatory_name="Contoh Kabareskrim", signatory_title="Kabareskrim",
                                      body_text="lulus {judul} dengan {jp} JP.", language="id", title_text="Piagam")

        new = migrate_to()

        Signatory = new.get_model("certificates", "Signatory")
        Template = new.get_model("certificates", "CertificateTemplate")
        rows = sorted(Signatory.objects.values_list("agency__code", "name", "position"))
        assert rows == [("IMI", "Dr. Contoh, S.H.", "Direktur Jenderal"), ("POLRI", "Contoh Kabareskrim", "Kabareskrim")]
        general = Template.objects.get(pk=general.pk)
        assert general.signatory.name == "Dr. Contoh, S.H."
        assert (general.body_text, general.closing_text) == (signatories.NEW_DEFAULT_BODY, signatories.NEW_DEFAULT_CLOSING)
        own = Template.objects.get(pk=own.pk)
        assert own.signatory.name == "Contoh Kabareskrim"
        assert (own.body_text, own.closing_text) == ("lulus", "dengan {jp} JP.")
        assert not any(field.name == "signatory_name" for field in new.get_model("lms", "Agency")._meta.fields)
    finally:
        migrate_to()
