"""Lesson citations point at a provision and say whether they quote it or summarise it."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from courses import selectors
from courses.models import ModulePage
from courses.tests.builders import make_course, make_module
from courses.tests.test_admin_authoring import add_url, authoring, create_course, module_form, trainer, trainer_client  # noqa: F401
from lms.models import LegalProvision
from lms.tests.factories import LegalBasisFactory, LegalProvisionFactory

pytestmark = pytest.mark.django_db

WORDING = "Setiap orang yang melakukan perekrutan, pengangkutan, penampungan, pengiriman ..."


def post_module(client, authoring, course, citation):
    return client.post(add_url("modulepage", course), module_form(authoring, citation=citation))


class TestAuthoring:
    def test_quote_of_a_provision_without_stored_wording_is_refused(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        provision = authoring["pasal2_1"]
        response = post_module(trainer_client, authoring, course, {"provision": provision.pk, "mode": "quote", "text": ""})
        assert response.status_code == 200
        assert "Bunyi pasal UU 21/2007 Pasal 2 ayat (1) belum tersimpan" in response.content.decode()
        assert not ModulePage.objects.child_of(course).exists()

    def test_summary_needs_its_text(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        citation = {"provision": authoring["pasal2_1"].pk, "mode": "summary", "text": " "}
        response = post_module(trainer_client, authoring, course, citation)
        assert response.status_code == 200
        assert "Tulis ringkasan pasal ini." in response.content.decode()

    def test_quote_of_a_provision_with_wording_is_saved(self, trainer_client, authoring):
        course = create_course(trainer_client, authoring)
        provision = authoring["pasal2_1"]
        LegalProvision.objects.filter(pk=provision.pk).update(text=WORDING)
        response = post_module(trainer_client, authoring, course, {"provision": provision.pk, "mode": "quote", "text": ""})
        assert response.status_code == 302
        draft = ModulePage.objects.child_of(course).get().get_latest_revision().as_object()
        [citation] = [block for block in draft.body if block.block_type == "legal_citation"]
        assert (citation.value["provision"], citation.value["mode"]) == (provision, "quote")


@pytest.fixture
def lesson(catalog):
    law = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007", title="Undang-Undang Nomor 21 Tahun 2007")
    kuhp = LegalBasisFactory(code="UU-1-2023", short_name="KUHP", year=2023)
    quoted = LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1", text=WORDING)
    summarised = LegalProvisionFactory(legal_basis=law, pasal="48", status="perlu_ditinjau", changed_by=kuhp)
    course = make_course(catalog=catalog)
    module = make_module(
        course=course,
        title="Dasar hukum",
        body=[
            ("legal_citation", {"provision": quoted, "mode": "quote", "text": "teks lama yang tidak ditampilkan"}),
            ("legal_citation", {"provision": summarised, "mode": "summary", "text": "Korban berhak atas restitusi."}),
        ],
    )
    return module, quoted, summarised


class TestRendering:
    def test_labels_quote_and_summary_and_shows_status(self, lesson):
        module, _quoted, _summarised = lesson
        html = str(ModulePage.objects.get(pk=module.pk).body)
        first, second = html.split('<figure class="legal-citation')[1:]
        assert "Bunyi pasal" in first and WORDING in first and "teks lama" not in first
        assert "UU 21/2007</abbr>, Pasal 2 ayat (1)" in first
        assert "Status pasal" not in first  # in force: nothing to say
        assert "Ringkasan" in second and "Korban berhak atas restitusi." in second
        assert "Status pasal: Perlu ditinjau" in second and "oleh KUHP" in second

    def test_query_count_does_not_grow_with_citations(self, lesson, catalog):
        module, quoted, summarised = lesson
        many = make_module(
            course=module.get_parent().specific,
            title="Banyak kutipan",
            body=[("legal_citation", {"provision": p, "mode": "summary", "text": f"Ringkasan {n}"}) for n, p in enumerate(
                [quoted, summarised, *[LegalProvisionFactory(legal_basis=quoted.legal_basis, pasal=str(n), status="diubah", changed_by=summarised.changed_by) for n in range(60, 66)]]
            )],
        )
        counts = []
        for page in (module, many):
            fresh = ModulePage.objects.get(pk=page.pk)
            with CaptureQueriesContext(connection) as queries:
                str(fresh.body)
            counts.append(len(queries))
        assert counts[0] == counts[1] == 1

    def test_citations_of(self, lesson):
        module, quoted, summarised = lesson
        fresh = ModulePage.objects.get(pk=module.pk)
        ids = [block.id for block in fresh.body]
        assert selectors.citations_of(fresh) == [(ids[0], quoted.pk, "quote"), (ids[1], summarised.pk, "summary")]
