"""Provisions and changes of the law through the Wagtail admin, as a reviewer and a trainer would."""

import pytest
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms import audit, roles
from lms.models import LegalBasis, LegalChange, LegalProvision
from lms.signals import legal_change_applied
from lms.tests.factories import LegalBasisFactory, LegalProvisionFactory, UserFactory
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db

PROVISIONS = "/admin/snippets/lms/legalprovision/"
CHANGES = "/admin/snippets/lms/legalchange/"


@pytest.fixture
def world():
    roles.sync_role_permissions()
    uu6 = LegalBasisFactory(code="UU-6-2011", short_name="UU 6/2011", year=2011)
    uu21 = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007", year=2007)
    kuhp = LegalBasisFactory(code="UU-1-2023", short_name="KUHP (UU 1/2023)", year=2023)
    return {
        "uu6": uu6,
        "uu21": uu21,
        "kuhp": kuhp,
        "p120": LegalProvisionFactory(legal_basis=uu6, pasal="120", heading="Penyelundupan manusia"),
        "p113": LegalProvisionFactory(legal_basis=uu6, pasal="113"),
        "p2": LegalProvisionFactory(legal_basis=uu21, pasal="2", ayat="1", heading="Eksploitasi di wilayah RI"),
        "p457": LegalProvisionFactory(legal_basis=kuhp, pasal="457"),
        "reviewer": UserFactory(username="peninjau", groups=[roles.REVIEWER]),
        "trainer": UserFactory(username="pelatih", groups=[roles.TRAINER_IMIGRASI]),
    }


def change_form(world, items, **fields):
    return nested_form_data(
        {
            "instrument": world["kuhp"].pk,
            "in_force_on": "2026-01-02",
            "summary": "KUHP baru berlaku; ancaman pidana perlu ditinjau.",
            "withhold_questions": "on",
            **fields,
            "items": inline_formset(items, min=1),
        }
    )


def provision_form(provision, **changes):
    data = {
        "legal_basis": provision.legal_basis_id,
        "pasal": provision.pasal,
        "ayat": provision.ayat,
        "butir": provision.butir,
        "heading": provision.heading,
        "text": provision.text,
        "status": provision.status,
        "in_force_from": "",
        "in_force_until": "",
        "changed_by": "",
        "changed_by_provision": "",
    }
    data.update(changes)
    return data


class TestProvisionList:
    def test_filter_by_legal_basis_and_status_and_search(self, client, world):
        client.force_login(world["trainer"])
        LegalProvision.objects.filter(pk=world["p113"].pk).update(status="dicabut")
        html = client.get(PROVISIONS, {"legal_basis": world["uu6"].pk}).content.decode()
        assert "UU 6/2011 Pasal 120" in html and "UU 6/2011 Pasal 113" in html
        assert "UU 21/2007 Pasal 2 ayat (1)" not in html
        html = client.get(PROVISIONS, {"status": "dicabut"}).content.decode()
        assert "UU 6/2011 Pasal 113" in html and "UU 6/2011 Pasal 120" not in html
        html = client.get(PROVISIONS, {"q": "Penyelundupan"}).content.decode()
        assert "UU 6/2011 Pasal 120" in html and "UU 6/2011 Pasal 113" not in html

    def test_officer_has_no_access(self, client, world):
        client.force_login(UserFactory(groups=[roles.OFFICER]))
        assert client.get(PROVISIONS).status_code == 302


class TestTrainerEditsWording:
    def test_trainer_edits_text_and_heading_with_revision_and_audit(self, client, world):
        client.force_login(world["trainer"])
        provision = world["p2"]
        response = client.post(
            f"{PROVISIONS}edit/{provision.pk}/",
            {"heading": "Eksploitasi di wilayah Indonesia", "text": "Setiap orang yang melakukan perekrutan ..."},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        provision.refresh_from_db()
        assert provision.heading == "Eksploitasi di wilayah Indonesia"
        assert provision.has_text
        assert provision.revisions.count() == 1
        entry = ModelLogEntry.objects.get(action=audit.LEGAL_PROVISION_EDITED)
        assert entry.user == world["trainer"]
        assert entry.data == {"provision": "UU 21/2007 Pasal 2 ayat (1)", "fields": "heading, text"}

    def test_trainer_cannot_change_status_or_place(self, client, world):
        client.force_login(world["trainer"])
        provision = world["p2"]
        form = client.get(f"{PROVISIONS}edit/{provision.pk}/").content.decode()
        assert 'name="status"' not in form and 'name="pasal"' not in form and 'name="text"' in form
        client.post(f"{PROVISIONS}edit/{provision.pk}/", provision_form(provision, status="dicabut", pasal="99"))
        provision.refresh_from_db()
        assert (provision.status, provision.pasal) == ("berlaku", "2")

    def test_trainer_cannot_add_a_provision_or_record_a_change(self, client, world):
        client.force_login(world["trainer"])
        assert client.get(f"{PROVISIONS}add/").status_code == 302
        assert client.get(f"{CHANGES}add/").status_code == 302
        response = client.post(f"{CHANGES}add/", change_form(world, [{"provision": world["p120"].pk, "new_status": "dicabut"}]))
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert not LegalChange.objects.exists()
        assert LegalProvision.objects.get(pk=world["p120"].pk).status == "berlaku"
        assert client.get(CHANGES).status_code == 200  # but sees what was recorded


class TestReviewerRecordsChange:
    def test_recording_applies_the_change(self, client, world):
        client.force_login(world["reviewer"])
        received = []

        def receiver(sender, change, user, **kwargs):
            received.append((change.pk, user.username))

        legal_change_applied.connect(receiver)
        try:
            response = client.post(
                f"{CHANGES}add/",
                change_form(
                    world,
                    [
                        {"provision": world["p120"].pk, "new_status": "perlu_ditinjau", "replacement": world["p457"].pk, "note": "Bandingkan dengan KUHP Pasal 457."},
                        {"provision": world["p2"].pk, "new_status": "perlu_ditinjau", "replacement": "", "note": ""},
                    ],
                ),
            )
        finally:
            legal_change_applied.disconnect(receiver)
        assert response.status_code == 302, response.content.decode()[:3000]
        change = LegalChange.objects.get()
        assert change.recorded_by == world["reviewer"] and change.applied_at is not None
        assert received == [(change.pk, "peninjau")]
        p120 = LegalProvision.objects.get(pk=world["p120"].pk)
        assert (p120.status, p120.changed_by, p120.changed_by_provision) == ("perlu_ditinjau", world["kuhp"], world["p457"])
        assert LegalProvision.objects.get(pk=world["p2"].pk).status == "perlu_ditinjau"
        assert LegalProvision.objects.get(pk=world["p113"].pk).status == "berlaku"
        provisions_logged = ModelLogEntry.objects.filter(action=audit.LEGAL_PROVISION_CHANGED).values_list("object_id", flat=True)
        assert sorted(provisions_logged) == sorted([str(world["p120"].pk), str(world["p2"].pk)])
        applied = ModelLogEntry.objects.get(action=audit.LEGAL_CHANGE_APPLIED)
        assert applied.user == world["reviewer"]
        # the provision's history shows the change
        history = client.get(f"{PROVISIONS}history/{world['p120'].pk}/").content.decode()
        assert "KUHP (UU 1/2023)" in history
        # and an applied change is not edited afterwards
        response = client.get(f"{CHANGES}edit/{change.pk}/", follow=True)
        assert "Perubahan yang sudah diterapkan tidak dapat diubah" in response.content.decode()

    def test_a_change_without_provisions_or_with_one_twice_is_refused(self, client, world):
        client.force_login(world["reviewer"])
        response = client.post(f"{CHANGES}add/", change_form(world, []))
        assert response.status_code == 200
        response = client.post(
            f"{CHANGES}add/",
            change_form(world, [{"provision": world["p120"].pk, "new_status": "dicabut"}, {"provision": world["p120"].pk, "new_status": "diubah"}]),
        )
        assert response.status_code == 200
        assert not LegalChange.objects.exists()
        assert LegalProvision.objects.get(pk=world["p120"].pk).status == "berlaku"

    def test_a_provision_does_not_replace_itself(self, client, world):
        client.force_login(world["reviewer"])
        response = client.post(
            f"{CHANGES}add/", change_form(world, [{"provision": world["p120"].pk, "new_status": "dicabut", "replacement": world["p120"].pk}])
        )
        assert response.status_code == 200
        assert "Pasal pengganti harus pasal lain." in response.content.decode()
        assert not LegalChange.objects.exists()

    def test_reviewer_adds_a_provision_and_it_is_unique(self, client, world):
        client.force_login(world["reviewer"])
        data = provision_form(LegalProvision(legal_basis=world["kuhp"], pasal="79", status="berlaku"), heading="Kategori denda")
        assert client.post(f"{PROVISIONS}add/", data).status_code == 302
        assert LegalProvision.objects.filter(legal_basis=world["kuhp"], pasal="79").count() == 1
        response = client.post(f"{PROVISIONS}add/", data)
        assert response.status_code == 200
        assert LegalProvision.objects.filter(legal_basis=world["kuhp"], pasal="79").count() == 1


# The admin menu asks who sees which refreshers (Peraturan → Penyegaran) once per page.
@pytest.mark.parametrize("url, budget", [(PROVISIONS, 20), (CHANGES, 20)])
def test_the_provision_and_change_lists_cost_the_same_with_many_rows(client, world, url, budget,
                                                                    django_assert_num_queries):
    """Each row names its legal basis, a change also who recorded it: loaded with the rows, not a query each."""
    client.force_login(world["reviewer"])

    def record(count):
        for n in range(count):
            basis = LegalBasisFactory(code=f"PP-{n}-{LegalBasis.objects.count()}", short_name=f"PP {n}/{LegalBasis.objects.count()}")
            LegalProvisionFactory(legal_basis=basis, pasal="1")
            LegalChange.objects.create(instrument=basis, in_force_on="2026-01-02", summary="x", recorded_by=UserFactory())

    record(1)
    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=lambda: client.get(url), grow=lambda: record(10), budget=budget
    )
    page = large.content.decode()
    assert all(basis.short_name in page for basis in LegalBasis.objects.filter(code__startswith="PP-"))
