import datetime

import pytest
from wagtail.models import ModelLogEntry

from lms import audit
from lms.legal import legal_change_apply, provision_references
from lms.models import LegalChange, LegalChangeItem, LegalProvision
from lms.signals import legal_change_applied
from lms.tests.factories import LegalBasisFactory, LegalProvisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def law():
    uu6 = LegalBasisFactory(code="UU-6-2011", short_name="UU 6/2011")
    kuhp = LegalBasisFactory(code="UU-1-2023", short_name="KUHP (UU 1/2023)", year=2023)
    return {
        "pasal120": LegalProvisionFactory(legal_basis=uu6, pasal="120"),
        "pasal113": LegalProvisionFactory(legal_basis=uu6, pasal="113"),
        "pasal457": LegalProvisionFactory(legal_basis=kuhp, pasal="457"),
        "kuhp": kuhp,
    }


def test_label_and_str():
    provision = LegalProvisionFactory(
        legal_basis=LegalBasisFactory(short_name="UU 21/2007"), pasal="2", ayat="1", butir="huruf a"
    )
    assert provision.label == "Pasal 2 ayat (1) huruf a"
    assert str(provision) == "UU 21/2007 Pasal 2 ayat (1) huruf a"
    assert not provision.has_text


def test_natural_order_of_pasal_numbers():
    basis = LegalBasisFactory()
    for pasal in ["10", "2", "1", "120", "13"]:
        LegalProvisionFactory(legal_basis=basis, pasal=pasal)
    assert [p.pasal for p in LegalProvision.objects.filter(legal_basis=basis)] == ["1", "2", "10", "13", "120"]


def test_apply_sets_status_revisions_audit_and_signal_once(law):
    reviewer = UserFactory()
    change = LegalChange.objects.create(
        instrument=law["kuhp"], in_force_on=datetime.date(2026, 1, 2), summary="KUHP baru berlaku."
    )
    LegalChangeItem.objects.create(
        change=change, provision=law["pasal120"], new_status=LegalProvision.Status.DICABUT, replacement=law["pasal457"]
    )
    LegalChangeItem.objects.create(change=change, provision=law["pasal113"])
    received = []

    def receiver(sender, change, user, **kwargs):
        received.append((change.pk, user))

    legal_change_applied.connect(receiver)
    try:
        legal_change_apply(change, user=reviewer)
        legal_change_apply(change, user=reviewer)
    finally:
        legal_change_applied.disconnect(receiver)

    assert received == [(change.pk, reviewer)]
    p120 = LegalProvision.objects.get(pk=law["pasal120"].pk)
    assert (p120.status, p120.changed_by, p120.changed_by_provision) == ("dicabut", law["kuhp"], law["pasal457"])
    assert p120.in_force_until == datetime.date(2026, 1, 1)
    p113 = LegalProvision.objects.get(pk=law["pasal113"].pk)
    assert (p113.status, p113.in_force_until) == ("perlu_ditinjau", None)
    assert p113.revisions.count() == 1 and p113.latest_revision.user == reviewer
    change.refresh_from_db()
    assert change.applied_at is not None
    entries = ModelLogEntry.objects.filter(action=audit.LEGAL_PROVISION_CHANGED).order_by("id")
    assert [e.data["provision"] for e in entries] == ["UU 6/2011 Pasal 120", "UU 6/2011 Pasal 113"]
    assert entries[0].data["new"] == "Dicabut"
    assert ModelLogEntry.objects.filter(action=audit.LEGAL_CHANGE_APPLIED, object_id=str(change.pk)).count() == 1


def test_a_failing_receiver_rolls_the_whole_change_back(law):
    change = LegalChange.objects.create(instrument=law["kuhp"], in_force_on=datetime.date(2026, 1, 2), summary="x")
    LegalChangeItem.objects.create(change=change, provision=law["pasal120"])

    def receiver(**kwargs):
        raise RuntimeError("gagal")

    legal_change_applied.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            legal_change_apply(change, user=None)
    finally:
        legal_change_applied.disconnect(receiver)
    assert LegalProvision.objects.get(pk=law["pasal120"].pk).status == "berlaku"
    change.refresh_from_db()
    assert change.applied_at is None
    assert not ModelLogEntry.objects.filter(action=audit.LEGAL_PROVISION_CHANGED).exists()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Pasal 2 ayat (1)", [("2", "1", "")]),
        ("Pasal 1 angka 1", [("1", "", "angka 1")]),
        ("pasal 13 huruf e", [("13", "", "huruf e")]),
        ("Pasal 4 ayat (2) huruf b", [("4", "2", "huruf b")]),
        ("Pasal 5, Pasal 13, dan Pasal 69", [("5", "", ""), ("13", "", ""), ("69", "", "")]),
        ("Pasal 69 dan Pasal 81", [("69", "", ""), ("81", "", "")]),
        ("Pasal 28A", [("28A", "", "")]),
        ("Pasal 43–51", None),
        ("Bab VI", None),
        ("Pasal 2 ayat (1) dan penjelasannya", None),
        ("", None),
    ],
)
def test_provision_references(text, expected):
    assert provision_references(text) == expected
